using System.Runtime.Intrinsics.X86;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// <see cref="Conv.PermuteWindows"/> (Im2colImages' gather for small float planes with AVX-512: windows permuted straight
/// from the input plane into GEMM's packed panels) must write exactly the packed panels the phase-plane gather
/// (<c>Conv.Im2ColPhases</c> through <see cref="PackedSink{T}"/>) writes, bit for bit, so the GEMM that follows — and every
/// output of the route — keeps its bits: DCGAN's example layers and ragged geometries (strides 1–3, paddings, dilations,
/// kernels 1–5, planes of 1–16 chunks), several images per tile at column offsets, k-slices that cut through a channel's
/// taps, and values with −0, ±inf and NaN payloads. On machines without AVX-512 the plan must not apply.
/// </summary>
public class ConvPermuteWindowsTests
{
    /// <summary>(big side [N, C, H, W], kernel, stride, padding): D's 16→32 and 32→64 layers and G's input gradients, channels reduced.</summary>
    public static TheoryData<int[], int, int, int> Example() => new()
    {
        { [3, 5, 16, 16], 4, 2, 1 },   // D conv 16->32 s2 16x16 (and G convT 64->32's input gradient): 8x8 outputs, two chunks per vector
        { [3, 6, 8, 8], 4, 2, 1 },     // D conv 32->64 s2 8x8 (and G convT 128->64's input gradient): 4x4 outputs, four chunks
    };

    [Theory]
    [MemberData(nameof(Example))]
    public void ExampleLayers_PermuteWindows_BitwiseThePhasePlaneGather(int[] big, int k, int s, int p)
    {
        var g = ConvKernelCalls.Conv2d(big, [7, big[1], k, k], null, s, new Padding2d(p, p), 1, 1);
        var plan = Conv.PermuteWindows.Plan<float>(g, 32);
        if (!Avx512F.IsSupported)
        {
            Assert.Null(plan);
            return;
        }
        Assert.NotNull(plan);
        foreach (int kc in new[] { 256, 24, 7 })
            Compare(g, plan, new Random(big[2] + kc), kc);
    }

    [Fact]
    public void RaggedGeometries_PermuteWindows_BitwiseThePhasePlaneGather()
    {
        if (!Avx512F.IsSupported)
        {
            Assert.Null(Conv.PermuteWindows.Plan<float>(ConvKernelCalls.Conv2d([1, 2, 8, 8], [3, 2, 4, 4], null, 2, new Padding2d(1, 1), 1, 1), 32));
            return;
        }
        var rng = new Random(17);
        int planned = 0, tried = 0;
        (int H, int W)[] planes = [(4, 4), (8, 8), (2, 8), (4, 12), (16, 16), (8, 16), (16, 8), (1, 16), (6, 8), (12, 12)];
        for (int trial = 0; trial < 400 && planned < 60; trial++)
        {
            var (h, w) = planes[rng.Next(planes.Length)];
            int kh = rng.Next(1, 6), kw = rng.Next(1, 6), sh = rng.Next(1, 4), sw = rng.Next(1, 4), dh = rng.Next(1, 3), dw = rng.Next(1, 3);
            int ph = rng.Next(0, 3), pw = rng.Next(0, 3), channels = rng.Next(1, 5);
            if (h + 2 * ph < (kh - 1) * dh + 1 || w + 2 * pw < (kw - 1) * dw + 1) continue;
            var g = ConvKernelCalls.Conv2d([3, channels, h, w], [5, channels, kh, kw], null, (sh, sw), new Padding2d(ph, pw), (dh, dw), 1);
            if (g.SmallPlane % 16 != 0) continue;
            tried++;
            var plan = Conv.PermuteWindows.Plan<float>(g, 32);
            if (plan is null) continue;
            planned++;
            Compare(g, plan, rng, rng.Next(1, 40));
        }
        Assert.True(planned >= 20, $"only {planned} of {tried} geometries took the permute gather");
    }

    /// <summary>Three images side by side (columns 0, pixels, 2·pixels) into panels pre-filled with one NaN pattern, by both gathers.</summary>
    private static unsafe void Compare(in ConvGeometry g, Conv.PermuteWindows plan, Random rng, int kc)
    {
        const int nr = 32;
        int pixels = g.SmallPlane, rows = g.BigCg * g.Taps, images = 3, len = images * pixels, panels = (len + nr - 1) / nr;
        int size = rows * panels * nr;
        var x = Values(rng, images * g.BigCg * g.BigPlane);
        var expected = new float[size];
        var actual = new float[size];
        // Untouched entries must stay as they were in both.
        for (int i = 0; i < size; i++) expected[i] = actual[i] = BitConverter.Int32BitsToSingle(0x7FA00000 | i);
        fixed (float* pe = expected, pa = actual)
            for (int i = 0; i < images; i++)
            {
                var image = x.AsSpan(i * g.BigCg * g.BigPlane, g.BigCg * g.BigPlane);
                var sink = new PackedSink<float>(pe, rows, kc, nr, panels, i * pixels);
                Conv.Im2ColPhases(g, image, ref sink, 0, g.BigCg);
                plan.Gather(image, g.BigCg, pa, rows, kc, nr, panels, i * pixels);
            }
        for (int i = 0; i < size; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                        $"{g} kc {kc}: element {i} is {actual[i]}, the phase-plane gather wrote {expected[i]}");
    }

    private static float[] Values(Random rng, int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++)
            v[i] = rng.Next(24) switch
            {
                0 => -0f,
                1 => BitConverter.Int32BitsToSingle(0x7FC00000 | rng.Next(1, 1 << 20)),
                2 => float.PositiveInfinity,
                3 => float.NegativeInfinity,
                _ => (float)(rng.NextDouble() * 2 - 1),
            };
        return v;
    }
}
