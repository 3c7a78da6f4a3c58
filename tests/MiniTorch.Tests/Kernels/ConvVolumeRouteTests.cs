using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The routes written for depth (3-d) and 1-d layers, in float32 at the sizes that switch their layouts
/// on: the direct phase-plane route's folded layout (phase rows narrower than a vector: a stride-2
/// layer's 8-wide phases, interleaved in pairs) and its row layout (wide phase rows), ragged channel
/// counts and plane sizes, odd strides, dilation and groups; the channels-last weight gradient with
/// depth, pixel-major partials and column-limited regions. Each is checked against the float64 Reference
/// within the a-priori bound |ŷ − y| ≤ γ_n·Σ|terms| (n = terms + 1), and is bitwise the same for 1, 2
/// and 3 threads. (The all-routes property checks every route in float64 on small random geometries.)
/// </summary>
public class ConvVolumeRouteTests
{
    /// <summary>(input [N, C, D, H, W], weight, stride, padding, dilation, groups, transposed layer).</summary>
    public static TheoryData<string, int[], int[], int[], int[], int[], int> Volumes() => new()
    {
        // The ConvTranspose3d row, reduced in batch: 8-wide phase rows, folded, stride-2 pairs.
        { "convT 4x4x4 s2 p1 64->32 on 8^3", [1, 32, 16, 16, 16], [64, 32, 4, 4, 4], [2, 2, 2], [1, 1, 1], [1, 1, 1], 1 },
        // Conv3d's input gradient shape: one phase, 32-wide rows (row layout), 3 copies of nothing.
        { "conv 3x3x3 p1 12->10 on 6x7x32", [2, 12, 6, 7, 32], [10, 12, 3, 3, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1], 1 },
        // Unit stride, narrow rows (folded, straight to y), channels not a multiple of 8.
        { "conv 3x3x3 p1 5->11 on 5x6x7", [2, 5, 5, 6, 7], [11, 5, 3, 3, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1], 1 },
        // Stride 3 with dilation (phases without taps, uneven phase widths), groups.
        { "conv 3x2x3 s(1,3,3) d2 groups 2 on 4x13x20", [1, 6, 4, 13, 20], [10, 3, 3, 2, 3], [1, 3, 3], [1, 0, 2], [1, 2, 2], 2 },
        // Stride 2 in W only, odd width: pairs of unequal column phases (not interleaved), 19 output channels.
        { "conv 2x3x3 s(2,1,2) on 5x5x9", [1, 19, 5, 5, 9], [4, 19, 2, 3, 3], [2, 1, 2], [0, 1, 1], [1, 1, 1], 1 },
    };

    [Theory]
    [MemberData(nameof(Volumes))]
    public void TransposedVolume_Float32_WithinBoundOfReference_AndThreadCountIndependent(string name, int[] input, int[] weight, int[] stride,
                                                                                          int[] padding, int[] dilation, int groups)
    {
        var g = Shape.Conv(input, weight, null, stride, new ConvPadding(ConvPaddingKind.Explicit, padding), dilation, groups);
        // The direct phase-plane route needs Vector512; without it, the route the planner runs here.
        var route = ConvPlanner.Applies(ConvRoute.DirectPhasePlanes, g, ConvPass.InputGrad, ConvPlanner.Isa)
            ? ConvRoute.DirectPhasePlanes : ConvPlanner.Choose(g, ConvPass.InputGrad, ConvPlanner.Isa);
        var rng = new Random(name.Length);
        var z = Values(rng, g.N * g.SmallC * g.SmallPlane);
        var w = Values(rng, g.SmallC * g.BigCg * g.Taps);
        var bias = Values(rng, g.BigC);
        var expected = Reference(g, z, w, bias, abs: false);
        var magnitude = Reference(g, z, w, bias, abs: true);
        int terms = g.SmallCg * g.Taps + 1;
        double u = Math.Pow(2, -24), gamma = (terms + 1) * u / (1 - (terms + 1) * u);
        float[]? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var actual = new float[g.N * g.BigC * g.BigPlane];
            int saved = Torch.GetNumThreads();
            try
            {
                Torch.SetNumThreads(threads);
                ConvKernels.Run<float>(ConvPass.InputGrad, route, g, z, w, bias, actual);
            }
            finally { Torch.SetNumThreads(saved); }
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= gamma * magnitude[i] + 1e-12,
                            $"{name}: element {i}: Reference {expected[i]:R}, {route} {actual[i]:R}, bound {gamma * magnitude[i]:R}");
            if (first is null) first = actual;
            else Assert.Equal(first, actual);
        }
    }

    /// <summary>(input [N, C, spatial…], weight, stride, padding, dilation): weight gradients on the channels-last route.</summary>
    public static TheoryData<string, int[], int[], int[], int[], int[]> WeightGradients() => new()
    {
        // 3-d: tiles spanning several output planes (whole planes of the input region), pixel-major partials.
        { "conv3d 3x3x3 p1 16->32 on 2x6x7x9", [2, 16, 6, 7, 9], [32, 16, 3, 3, 3], [1, 1, 1], [1, 1, 1], [1, 1, 1] },
        // The ConvTranspose3d row's weight gradient, reduced: stride 2, 4×4×4, 64 output-gradient channels.
        { "convT3d 4x4x4 s2 p1 (big 17->64) on 1x8x8x8", [1, 17, 8, 8, 8], [64, 17, 4, 4, 4], [2, 2, 2], [1, 1, 1], [1, 1, 1] },
        // 1-d, one long row: tiles within one output row read only their columns; dilation.
        { "conv1d k9 p8 d2 20->24 on 3x1500", [3, 20, 1500], [24, 20, 9], [1], [8], [2] },
        // 1-d, few output channels (GEMM rows as before, not pixel-major), stride 3.
        { "conv1d k5 s3 16->5 on 2x700", [2, 16, 700], [5, 16, 5], [3], [2], [1] },
    };

    [Theory]
    [MemberData(nameof(WeightGradients))]
    public void WeightGradChannelsLast_Float32_WithinBoundOfReference_AndThreadCountIndependent(string name, int[] input, int[] weight, int[] stride,
                                                                                                int[] padding, int[] dilation)
    {
        var g = Shape.Conv(input, weight, null, stride, new ConvPadding(ConvPaddingKind.Explicit, padding), dilation, 1);
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(g, ConvPass.WeightGrad, ConvPlanner.Isa));
        var rng = new Random(name.Length);
        var x = Values(rng, g.N * g.BigC * g.BigPlane);
        var gy = Values(rng, g.N * g.SmallC * g.SmallPlane);
        double[] D(float[] a, bool abs) => [.. a.Select(v => abs ? Math.Abs((double)v) : v)];
        var expected = new double[g.SmallC * g.BigCg * g.Taps];
        var magnitude = new double[expected.Length];
        ConvKernels.Run<double>(ConvPass.WeightGrad, ConvRoute.Reference, g, D(x, false), D(gy, false), ReadOnlyMemory<double>.Empty, expected);
        ConvKernels.Run<double>(ConvPass.WeightGrad, ConvRoute.Reference, g, D(x, true), D(gy, true), ReadOnlyMemory<double>.Empty, magnitude);
        int terms = g.N * g.SmallPlane;
        double u = Math.Pow(2, -24), gamma = (terms + 1) * u / (1 - (terms + 1) * u);
        float[]? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var actual = new float[expected.Length];
            int saved = Torch.GetNumThreads();
            try
            {
                Torch.SetNumThreads(threads);
                ConvKernels.Run<float>(ConvPass.WeightGrad, ConvRoute.WeightGradChannelsLast, g, x, gy, ReadOnlyMemory<float>.Empty, actual);
            }
            finally { Torch.SetNumThreads(saved); }
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= gamma * magnitude[i] + 1e-12,
                            $"{name}: element {i}: Reference {expected[i]:R}, route {actual[i]:R}, bound {gamma * magnitude[i]:R}");
            if (first is null) first = actual;
            else Assert.Equal(first, actual);
        }
    }

    private static float[] Values(Random rng, int count)
    {
        var a = new float[count];
        for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>The transposed convolution with bias by the float64 Reference route, on the values or on their absolute values.</summary>
    private static double[] Reference(in ConvGeometry g, float[] z, float[] w, float[] bias, bool abs)
    {
        double[] D(float[] a) => [.. a.Select(v => abs ? Math.Abs((double)v) : v)];
        var y = new double[g.N * g.BigC * g.BigPlane];
        ConvKernels.Run<double>(ConvPass.InputGrad, ConvRoute.Reference, g, D(z), D(w), D(bias), y);
        return y;
    }
}
