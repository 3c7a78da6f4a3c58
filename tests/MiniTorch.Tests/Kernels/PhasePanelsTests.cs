using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// <see cref="ConvRoute.PhaseGemm"/> on small images side by side writes its phase columns straight into
/// GEMM's packed panels (<see cref="PhasePanels{T}"/>; pixel-major, <see cref="PhaseRowPanels{T}"/> into the A panels). A speed-only change: every output must still be
/// exactly the blocked GEMM's sum — per k-block of <c>KC</c> rows (k, a, b) one chain of fused
/// multiply-adds from zero, the blocks added in order — as the stored column buffer gave it.
/// </summary>
public class PhasePanelsTests
{
    /// <summary>(name, small side [N, K, h, w], output channels, output padding): batched phase GEMMs, B panels (C_g &lt; 8 or &gt; 32) and pixel-major A panels.</summary>
    public static TheoryData<string, int[], int, int> Batched() => new()
    {
        { "4x4 -> 8x8, 16-float planes (the Vector512 permute), two k-blocks", [20, 40, 4, 4], 40, 0 },
        { "4x4 -> 8x8, 5 output channels", [7, 33, 4, 4], 5, 0 },
        { "3x3 -> 6x6, 9-pixel phases (the offset table)", [9, 36, 3, 3], 37, 0 },
        { "3x5 -> 7x11, output padding, ragged phases", [6, 12, 3, 5], 34, 1 },
        // Pixel-major (8 ≤ C_g ≤ 32): the transposed column matrix written into GEMM's packed A panels (PhaseRowPanels),
        // 14-row panels straddling two images' 16 pixels, a last partial panel, several k-blocks.
        { "pixel-major 4x4 -> 8x8, 32 channels (the example's D 32->64 input gradient, reduced), three k-blocks", [9, 130, 4, 4], 32, 0 },
        { "pixel-major 4x4 -> 8x8, 8 channels, 7 images (a partial last panel)", [7, 33, 4, 4], 8, 0 },
        { "pixel-major 4x4 -> 9x9, output padding (ragged phases: the offset table)", [5, 21, 4, 4], 19, 1 },
        { "pixel-major 3x3 -> 6x6, 9-pixel phases (the offset table)", [11, 36, 3, 3], 20, 0 },
    };

    [Theory]
    [MemberData(nameof(Batched))]
    public void PhaseGemm_SmallImages_EqualsTheBlockedGemmSum_Bitwise(string name, int[] small, int channels, int outputPadding)
    {
        var g = ConvKernelCalls.ConvTranspose2d(small, [small[1], channels, 4, 4], null, 2, new Padding2d(1, 1), outputPadding, 1, 1);
        var rng = new Random(name.Length);
        var z = Values(rng, g.N * g.SmallC * g.SmallPlane);
        var w = Values(rng, g.SmallC * g.BigCg * g.Taps);
        var expected = BlockedSum(g, z, w, Gemm.Blocking.Of<float>(Gemm.Best).KC);
        foreach (int threads in new[] { 1, 2 })
        {
            var y = new float[expected.Length];
            Array.Fill(y, float.NaN);
            int saved = Torch.GetNumThreads();
            try
            {
                Torch.SetNumThreads(threads);
                ConvKernels.Run<float>(ConvPass.InputGrad, ConvRoute.PhaseGemm, g, z, w, ReadOnlyMemory<float>.Empty, y);
            }
            finally { Torch.SetNumThreads(saved); }
            for (int i = 0; i < y.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(y[i]),
                            $"{name}, {threads} threads: element {i}: blocked sum {expected[i]:R}, PhaseGemm {y[i]:R}");
        }
    }

    /// <summary>The oracle: y by phase, each output Σ over k-blocks of an FMA chain from zero over rows (k, a, b).</summary>
    private static float[] BlockedSum(in ConvGeometry g, float[] z, float[] w, int kc)
    {
        var y = new float[g.N * g.BigC * g.BigPlane];
        foreach (var p in ConvTranspose.Phases(g))
        {
            int th = p.TapsH.Length, tw = p.TapsW.Length, rows = g.SmallCg * th * tw;
            for (int n = 0; n < g.N; n++)
                for (int c = 0; c < g.BigC; c++)
                    for (int qh = 0; qh < p.NH; qh++)
                        for (int qw = 0; qw < p.NW; qw++)
                        {
                            float total = 0;
                            for (int r0 = 0; r0 < rows; r0 += kc)
                            {
                                float acc = 0;
                                for (int r = r0; r < Math.Min(rows, r0 + kc); r++)
                                {
                                    int k = r / (th * tw), a = r / tw % th, b = r % tw;
                                    int h = p.BaseH[a] + qh, x = p.BaseW[b] + qw;
                                    float col = h >= 0 && h < g.SmallH && x >= 0 && x < g.SmallW ? z[((n * g.SmallC + k) * g.SmallH + h) * g.SmallW + x] : 0f;
                                    acc = MathF.FusedMultiplyAdd(w[((k * g.BigCg + c) * g.KH + p.TapsH[a]) * g.KW + p.TapsW[b]], col, acc);
                                }
                                total = r0 == 0 ? acc : acc + total;
                            }
                            if (rows == 0) total = 0;
                            y[((n * g.BigC + c) * g.BigH + p.H0 + 2 * qh) * g.BigW + p.W0 + 2 * qw] = total;
                        }
        }
        return y;
    }

    private static float[] Values(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
}
