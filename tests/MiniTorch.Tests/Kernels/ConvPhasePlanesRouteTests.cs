using System.Runtime.Intrinsics;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// 2-d transposed convolutions with narrow phase rows (DCGAN G's 8×8 → 16×16, small unit-stride input
/// gradients) take <see cref="ConvRoute.DirectPhasePlanes"/> instead of <see cref="ConvRoute.DirectPhases"/>:
/// a speed-only change, so both routes must give the same bits (the DCGAN recipe pins were measured
/// with DirectPhases), for any thread count.
/// </summary>
public class ConvPhasePlanesRouteTests
{
    /// <summary>(name, small side [N, K, h, w], weight [K, C/groups, kh, kw], stride, padding, dilation, groups, output padding).</summary>
    public static TheoryData<string, int[], int[], int, int, int, int, int> Folded() => new()
    {
        { "DCGAN G 128->64 s2 8x8 (reduced)", [3, 24, 8, 8], [24, 16, 4, 4], 2, 1, 1, 1, 0 },
        { "example G 64->32 s2 8x8 (reduced)", [2, 16, 8, 8], [16, 9, 4, 4], 2, 1, 1, 1, 0 },
        { "13 images, several per work item", [13, 12, 8, 8], [12, 11, 4, 4], 2, 1, 1, 1, 0 },
        { "unit stride 8x8, 11 images straight into y", [11, 5, 8, 8], [5, 9, 3, 3], 1, 1, 1, 1, 0 },
        { "unit stride 3x3 p1 on 4x4", [2, 10, 4, 4], [10, 12, 3, 3], 1, 1, 1, 1, 0 },
        { "unit stride 3x3 p1 on 12x12", [2, 7, 12, 12], [7, 5, 3, 3], 1, 1, 1, 1, 0 },
        { "s2 odd 7x9 output padding", [2, 6, 7, 9], [6, 3, 4, 4], 2, 1, 1, 1, 1 },
        { "s3 dilation 2 groups 2 on 5x8", [1, 8, 5, 8], [8, 4, 3, 3], 3, 2, 2, 2, 0 },
    };

    [Theory]
    [MemberData(nameof(Folded))]
    public void NarrowPhaseRows_TakeDirectPhasePlanes_BitwiseAsDirectPhases(string name, int[] small, int[] weight, int stride, int padding,
                                                                            int dilation, int groups, int outputPadding)
    {
        var g = ConvKernelCalls.ConvTranspose2d(small, weight, null, stride, new Padding2d(padding, padding), outputPadding, groups, dilation);
        Assert.Equal(ConvRoute.DirectPhasePlanes, ConvPlanner.Choose(g, ConvPass.InputGrad, ConvIsa.Vector512));
        if (!Vector512.IsHardwareAccelerated) return; // both direct routes need AVX-512; the pin tests cover the other paths
        var rng = new Random(name.Length);
        var z = Values(rng, g.N * g.SmallC * g.SmallPlane);
        var w = Values(rng, g.SmallC * g.BigCg * g.Taps);
        var expected = Run<float>(ConvRoute.DirectPhases, g, z, w, 1);
        foreach (int threads in new[] { 1, 2, 3 })
            Assert.Equal(expected, Run<float>(ConvRoute.DirectPhasePlanes, g, z, w, threads));
        var (z64, w64) = (Array.ConvertAll(z, v => (double)v), Array.ConvertAll(w, v => (double)v));
        Assert.Equal(Run<double>(ConvRoute.DirectPhases, g, z64, w64, 1), Run<double>(ConvRoute.DirectPhasePlanes, g, z64, w64, 2));
    }

    [Fact]
    public void TapBeyondTheRow_CopiesNothing_BitwiseAsDirectPhases()
    {
        // Found by the teaching tests: padding 3 with a dilated 1×4 kernel on 2-wide rows shifts a copy past the whole row.
        var g = ConvKernelCalls.ConvTranspose2d([2, 2, 2, 2], [2, 3, 1, 4], null, (3, 1), new Padding2d(0, 3), (1, 1), 2, (1, 2));
        Assert.Equal(ConvRoute.DirectPhasePlanes, ConvPlanner.Choose(g, ConvPass.InputGrad, ConvIsa.Vector512));
        if (!Vector512.IsHardwareAccelerated) return;
        var rng = new Random(7);
        var z = Values(rng, g.N * g.SmallC * g.SmallPlane);
        var w = Values(rng, g.SmallC * g.BigCg * g.Taps);
        Assert.Equal(Run<float>(ConvRoute.DirectPhases, g, z, w, 1), Run<float>(ConvRoute.DirectPhasePlanes, g, z, w, 1));
    }

    [Fact]
    public void DcganGeneratorLayer_DescribesItsForwardAsDirectPhasePlanes()
    {
        var layer = new ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false, generator: new Generator(1));
        string text = layer.Describe(64, 128, 8, 8);
        Assert.StartsWith("ConvTranspose2d on input [64, 128, 8, 8] -> [64, 64, 16, 16]", text);
        string expected = ConvPlanner.Isa == ConvIsa.Vector512 ? "DirectPhasePlanes" : "PhaseGemm";
        Assert.Contains($"  forward: {expected} (planner, {ConvPlanner.Isa})", text);
    }

    [Fact]
    public void WidePhaseRows_StayOnDirectPhases()
    {
        // DCGAN G's last layer (16×16 → 32×32): 16-wide phase rows fill vectors, DirectPhases is faster there.
        var g = ConvKernelCalls.ConvTranspose2d([64, 64, 16, 16], [64, 3, 4, 4], null, 2, new Padding2d(1, 1), 0, 1, 1);
        Assert.Equal(ConvRoute.DirectPhases, ConvPlanner.Choose(g, ConvPass.InputGrad, ConvIsa.Vector512));
    }

    private static T[] Run<T>(ConvRoute route, in ConvGeometry g, T[] z, T[] w, int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ConvKernelCalls.TransposeByRoute(route, g, z, w, threads, T.NaN);

    private static float[] Values(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
}
