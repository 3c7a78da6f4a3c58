using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The phase routes of the transposed convolution (<see cref="ConvRoute.PhaseGemm"/>, <see cref="ConvRoute.DirectPhases"/>,
/// <see cref="ConvRoute.DirectPhasePlanes"/>) skip the clear of their output when every output phase has taps
/// (<see cref="ConvKernels.WritesEveryOutput"/>): then each route, on an output full of NaN, must give bitwise what it
/// gives on a zeroed one, for 1–3 threads, float and double; where a phase has no taps the flag must be off, and the
/// route must indeed leave those elements as it found them (so the clear is what makes them zero).
/// </summary>
public class ConvPhaseRoutesOverwriteTests
{
    /// <summary>(name, small side [N, K, (d,) h, w], weight [K, C/groups, (kd,) kh, kw], stride, padding, dilation, groups, output padding, every phase has taps).</summary>
    public static TheoryData<string, int[], int[], int, int, int, int, int, bool> Geometries() => new()
    {
        { "example G 128->64 s2 4x4 (reduced)", [5, 12, 4, 4], [12, 16, 4, 4], 2, 1, 1, 1, 0, true },
        { "example D 16->32 s2 16x16 input grad (reduced)", [3, 8, 8, 8], [8, 16, 4, 4], 2, 1, 1, 1, 0, true },
        { "example G 64->32 s2 8x8 (reduced, 9 channels)", [2, 10, 8, 8], [10, 9, 4, 4], 2, 1, 1, 1, 0, true },
        { "s2 odd 7x9, output padding, ragged", [3, 6, 7, 9], [6, 3, 4, 4], 2, 1, 1, 1, 1, true },
        { "s3 k3 dilation 2 groups 2", [2, 8, 5, 8], [8, 4, 3, 3], 3, 2, 2, 2, 0, true },
        { "s2 k3 p1", [2, 5, 6, 7], [5, 7, 3, 3], 2, 1, 1, 1, 1, true },
        { "3-d s2 k4 (DirectPhasePlanes)", [2, 4, 3, 4, 5], [4, 6, 4, 4, 4], 2, 1, 1, 1, 0, true },
        { "s3 k2: a phase without taps", [2, 6, 5, 6], [6, 5, 2, 2], 3, 0, 1, 1, 2, false },
        { "s2 k1: odd rows and columns without taps", [2, 6, 5, 6], [6, 9, 1, 1], 2, 0, 1, 1, 1, false },
        { "3-d s2 k1 in depth only", [2, 3, 3, 4, 4], [3, 8, 1, 3, 3], 2, 1, 1, 1, 1, false },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void PhaseRoutes_OnOutputFullOfNaN_BitwiseTheZeroedRun_OnlyWhereEveryPhaseHasTaps(string name, int[] small, int[] weight, int stride,
                                                                                           int padding, int dilation, int groups, int outputPadding, bool covered)
    {
        int rank = small.Length - 2;
        int[] Axes(int v) => [.. Enumerable.Repeat(v, rank)];
        // The 3-d "depth only" case: stride 2 and no padding along depth, unit stride and padding 1 in the plane.
        bool depthOnly = name.Contains("depth only");
        int[] strides = depthOnly ? [stride, 1, 1] : Axes(stride), pads = depthOnly ? [0, padding, padding] : Axes(padding);
        int[] outPads = depthOnly ? [outputPadding, 0, 0] : Axes(outputPadding);
        var g = Shape.ConvTranspose(small, weight, null, strides, new ConvPadding(ConvPaddingKind.Explicit, pads), outPads, groups, Axes(dilation));
        Assert.Equal(covered, ConvKernels.EveryPhaseHasTaps(g));
        var routes = new[] { ConvRoute.PhaseGemm, ConvRoute.DirectPhases, ConvRoute.DirectPhasePlanes }
            .Where(r => ConvPlanner.Applies(r, g, ConvPass.InputGrad, ConvPlanner.Isa)).ToList();
        if (rank == 2) Assert.Contains(ConvRoute.PhaseGemm, routes);
        var rng = new Random(name.Length);
        var z = Values(rng, g.N * g.SmallC * g.SmallPlane);
        var w = Values(rng, g.SmallC * g.BigCg * g.Taps);
        z[0] = -0f;
        foreach (var route in routes)
        {
            Assert.Equal(covered, ConvKernels.WritesEveryOutput(route, ConvPass.InputGrad, g));
            var zeroed = Run(route, g, z, w, 1, 0f);
            Assert.DoesNotContain(zeroed, float.IsNaN);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                var dirty = Run(route, g, z, w, threads, float.NaN);
                if (covered) Assert.True(zeroed.AsSpan().SequenceEqual(dirty), $"{route}, {threads} threads");
                else
                {
                    // Every element the route wrote is the zeroed run's; the ones it left are the tapless phases' zeros.
                    Assert.Contains(dirty, float.IsNaN);
                    for (int i = 0; i < dirty.Length; i++)
                        Assert.True(float.IsNaN(dirty[i]) ? zeroed[i] == 0f : BitConverter.SingleToInt32Bits(dirty[i]) == BitConverter.SingleToInt32Bits(zeroed[i]), $"{route} at {i}");
                }
            }
            if (covered)
            {
                var (z64, w64) = (Array.ConvertAll(z, v => (double)v), Array.ConvertAll(w, v => (double)v));
                Assert.True(Run(route, g, z64, w64, 1, 0d).AsSpan().SequenceEqual(Run(route, g, z64, w64, 2, double.NaN)), $"{route} (double)");
            }
        }
    }

    [Fact]
    public void ConvTranspose2d_ExampleLayer_OnPoisonedMemory_EveryRoute_IsBitwiseTheZeroedRun()
    {
        // ConvTransposeOp allocates its output without clearing it for these routes now (ConvCall.Output); the suite's
        // allocator poisons uninitialised memory (NaN), so any element a route left would show.
        Assert.True(MiniTorch.Storage.CachingAllocator.Poison);
        var gen = new Generator(3);
        var z = Torch.Randn([4, 16, 4, 4], gen);
        var weight = Torch.Randn([16, 8, 4, 4], gen);
        var g = ConvKernelCalls.ConvTranspose2d(z.ShapeRef, weight.ShapeRef, null, 2, new Padding2d(1, 1), 0, 1, 1);
        foreach (var route in ConvPlanner.Applicable(g, ConvPass.InputGrad, ConvPlanner.Isa).Where(r => r != ConvRoute.Reference))
            using (ConvPlanner.Force(route))
            {
                var expected = Run(route, g, z.ToArray(), weight.ToArray(), 1, 0f);
                var y = F.ConvTranspose2d(z, weight, null, stride: 2, padding: 1);
                Assert.True(expected.AsSpan().SequenceEqual(y.ToArray()), route.ToString());
            }
    }

    private static T[] Run<T>(ConvRoute route, in ConvGeometry g, T[] z, T[] w, int threads, T fill) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ConvKernelCalls.TransposeByRoute(route, g, z, w, threads, fill);

    private static float[] Values(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
}
