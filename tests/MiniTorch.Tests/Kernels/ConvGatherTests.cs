using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The gathers that feed the convolution GEMMs only move values: the whole-image im2col through stride
/// phase planes (<c>Conv.Im2ColPhases</c>, with its vector even/odd split of stride-2 float rows) and the
/// transposed route's whole-image phase columns (<c>ConvTranspose.PhaseCols</c> through a zero-bordered
/// plane) must write exactly, bit for bit, the element of the input (or +0 in the padding) that the
/// definition names, and the same as the plain per-segment gather. Ragged shapes, strides 1–3, paddings,
/// dilations, channel subsets and row strides; random values with −0 and NaN payloads among them, so a
/// computed (not copied) value or a dropped sign would show. The CI suite runs this on the Vector512,
/// Vector256 and scalar paths.
/// </summary>
public class ConvGatherTests
{
    /// <summary>Random values, some −0 and some NaNs with payloads (copied bits must survive unchanged).</summary>
    private static T[] Values<T>(Random rng, int count) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var v = new T[count];
        for (int i = 0; i < count; i++)
        {
            int kind = rng.Next(20);
            v[i] = kind == 0 ? T.NegativeZero
                 : kind == 1 ? (typeof(T) == typeof(float) ? (T)(object)BitConverter.Int32BitsToSingle(0x7FC00000 | rng.Next(1, 1 << 20))
                                                          : (T)(object)BitConverter.Int64BitsToDouble(0x7FF8000000000000L | (long)(uint)rng.Next(1, 1 << 30)))
                 : T.CreateChecked(rng.NextDouble() * 2 - 1);
        }
        return v;
    }

    private static long Bits<T>(T v) where T : unmanaged =>
        typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)v) : BitConverter.DoubleToInt64Bits((double)(object)v);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Im2Col_WholeImageThroughPhasePlanes_EqualsDefinitionAndSegmentGather_Bitwise(int seed)
    {
        Im2ColCases<float>(seed);
        Im2ColCases<double>(seed + 100);
    }

    private static void Im2ColCases<T>(int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        int phaseCases = 0;
        for (int trial = 0; trial < 150; trial++)
        {
            int sh = rng.Next(1, 4), sw = trial % 3 == 0 ? 2 : rng.Next(1, 4), kh = rng.Next(1, 6), kw = rng.Next(1, 6);
            int dh = rng.Next(1, 3), dw = rng.Next(1, 3), ph = rng.Next(0, 3), pw = rng.Next(0, 3), channels = rng.Next(1, 5);
            // Widths around the vector blocks of the even/odd split (16 and 32 input elements).
            int h = rng.Next(1, 12), w = trial % 4 == 0 ? rng.Next(28, 72) : rng.Next(1, 24);
            if (h + 2 * ph < (kh - 1) * dh + 1 || w + 2 * pw < (kw - 1) * dw + 1) continue;
            var g = ConvKernelCalls.Conv2d([1, channels, h, w], [3, channels, kh, kw], null, (sh, sw), new Padding2d(ph, pw), (dh, dw), 1);
            if (!Conv.PhasePlanesApply(g)) continue;
            phaseCases++;
            var x = Values<T>(rng, channels * h * w);
            int c0 = rng.Next(0, channels), cCount = rng.Next(1, channels - c0 + 1), len = g.SmallPlane, ld = len + rng.Next(0, 3);
            int rows = cCount * kh * kw;
            var col = new T[rows * ld];
            Array.Fill(col, T.NaN);
            Conv.Im2Col(g, x, 0, len, col, c0, cCount, ld);
            // The plain gather: the same image in two tiles, which takes the per-segment path.
            var plain = new T[rows * len];
            int split = len / 2;
            var first = new T[rows * Math.Max(split, 1)];
            var rest = new T[rows * (len - split)];
            if (split > 0) Conv.Im2Col(g, x, 0, split, first, c0, cCount);
            if (len - split > 0) Conv.Im2Col(g, x, split, len - split, rest, c0, cCount);
            for (int r = 0; r < rows; r++)
            {
                for (int q = 0; q < split; q++) plain[r * len + q] = first[r * split + q];
                for (int q = split; q < len; q++) plain[r * len + q] = rest[r * (len - split) + q - split];
            }
            string at = $"{typeof(T).Name} trial {trial}: x [{channels}, {h}, {w}], kernel {kh}x{kw}, stride {sh}x{sw}, padding {ph}x{pw}, dilation {dh}x{dw}, channels {c0}+{cCount}, ld {ld}";
            for (int c = 0; c < cCount; c++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                        for (int oh = 0; oh < g.SmallH; oh++)
                            for (int ow = 0; ow < g.SmallW; ow++)
                            {
                                int r = (c * kh + i) * kw + j, q = oh * g.SmallW + ow;
                                int ih = oh * sh - ph + i * dh, iw = ow * sw - pw + j * dw;
                                T expected = ih >= 0 && ih < h && iw >= 0 && iw < w ? x[((c0 + c) * h + ih) * w + iw] : T.Zero;
                                Assert.True(Bits(expected) == Bits(col[r * ld + q]), $"{at}: row {r}, pixel {q}: {col[r * ld + q]} vs the definition's {expected}");
                                Assert.True(Bits(plain[r * len + q]) == Bits(col[r * ld + q]), $"{at}: row {r}, pixel {q}: {col[r * ld + q]} vs the segment gather's {plain[r * len + q]}");
                            }
        }
        Assert.True(phaseCases >= 30, $"only {phaseCases} cases took the phase-plane gather");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PhaseCols_WholeImage_EqualsDefinitionAndTiledGather_Bitwise(int seed)
    {
        PhaseColsCases<float>(seed);
        PhaseColsCases<double>(seed + 100);
    }

    private static void PhaseColsCases<T>(int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        int cases = 0;
        for (int trial = 0; trial < 120; trial++)
        {
            int s = rng.Next(1, 4), k = rng.Next(1, 6), d = rng.Next(1, 3), pad = rng.Next(0, k * d / 2 + 1), channels = rng.Next(1, 5);
            int h = rng.Next(1, 10), w = rng.Next(1, 20), outPad = rng.Next(0, Math.Max(s, d));
            // First, 16-value planes with 16-pixel phases (DCGAN's 4×4 → 8×8, which AVX-512 gathers by permutes): taps
            // reaching past every edge of the input (paddings 0–3), 2×8 planes, one- and two-tap phases.
            (int H, int W, int K, int S, int Pad, int OutPad)[] planes16 =
                [(4, 4, 4, 2, 1, 0), (4, 4, 4, 2, 0, 0), (4, 4, 4, 2, 2, 0), (4, 4, 4, 2, 3, 0), (2, 8, 4, 2, 1, 0), (4, 4, 3, 2, 1, 1), (4, 4, 2, 2, 0, 0), (4, 4, 5, 1, 2, 0)];
            if (trial < planes16.Length) (h, w, k, s, pad, outPad, d) = (planes16[trial].H, planes16[trial].W, planes16[trial].K, planes16[trial].S, planes16[trial].Pad, planes16[trial].OutPad, 1);
            int bigH = (h - 1) * s - 2 * pad + d * (k - 1) + outPad + 1, bigW = (w - 1) * s - 2 * pad + d * (k - 1) + outPad + 1;
            if (bigH < 1 || bigW < 1) continue;
            var g = ConvKernelCalls.ConvTranspose2d([1, channels, h, w], [channels, 2, k, k], null, s, new Padding2d(pad, pad), outPad, 1, d);
            var z = Values<T>(rng, channels * h * w);
            foreach (var p in ConvTranspose.Phases(g))
            {
                int th = p.TapsH.Length, tw = p.TapsW.Length, rows = channels * th * tw, len = p.NH * p.NW, ld = len + rng.Next(0, 3);
                if (rows == 0 || len == 0) continue;
                cases++;
                var col = new T[rows * ld];
                Array.Fill(col, T.NaN);
                ConvTranspose.PhaseCols(g, p, z, 0, len, col, ld);
                // The tiled gather (segments of phase rows) on the same image in two parts.
                int split = Math.Max(1, len / 2);
                var first = new T[rows * split];
                var rest = new T[rows * Math.Max(1, len - split)];
                ConvTranspose.PhaseCols(g, p, z, 0, split, first, split);
                if (len > split) ConvTranspose.PhaseCols(g, p, z, split, len - split, rest, len - split);
                string at = $"{typeof(T).Name} trial {trial}: z [{channels}, {h}, {w}], kernel {k}, stride {s}, padding {pad}, dilation {d}, output padding {outPad}, phase ({p.H0}, {p.W0}), ld {ld}";
                for (int c = 0; c < channels; c++)
                    for (int a = 0; a < th; a++)
                        for (int b = 0; b < tw; b++)
                            for (int qh = 0; qh < p.NH; qh++)
                                for (int qw = 0; qw < p.NW; qw++)
                                {
                                    int r = (c * th + a) * tw + b, q = qh * p.NW + qw;
                                    int sr = p.BaseH[a] + qh, sc = p.BaseW[b] + qw;
                                    T expected = sr >= 0 && sr < h && sc >= 0 && sc < w ? z[(c * h + sr) * w + sc] : T.Zero;
                                    T tiled = q < split ? first[r * split + q] : rest[r * (len - split) + q - split];
                                    Assert.True(Bits(expected) == Bits(col[r * ld + q]), $"{at}: row {r}, pixel {q}: {col[r * ld + q]} vs the definition's {expected}");
                                    Assert.True(Bits(tiled) == Bits(col[r * ld + q]), $"{at}: row {r}, pixel {q}: {col[r * ld + q]} vs the tiled gather's {tiled}");
                                }
            }
        }
        Assert.True(cases >= 100, $"only {cases} phases gathered");
    }
}

/// <summary>
/// The weight gradient's register-lane tile (<c>ConvWeightGrad.AccumulateLanes</c>, one-channel sides with at
/// most one Vector512 of taps) against the GEMM call it replaces (<c>Conv.Multiply</c>, B transposed,
/// accumulating) bit for bit: ragged row counts (blocks of eight and the rest), column counts 1 … one
/// vector, depths across several KC slices, strided rows, and a C that already holds values (−0 among them).
/// </summary>
public class ConvWeightGradLanesTests
{
    [Fact]
    public void AccumulateLanes_EqualsTheGemmCall_Bitwise()
    {
        if (!ConvWeightGrad.LanesApply<float>(2, 1))
        {
            // Without the Vector512 GEMM kernel the weight gradient keeps the GEMM call: nothing else to compare.
            Assert.False(ConvWeightGrad.LanesApply<float>(16, 16));
            return;
        }
        int kc = Gemm.Blocking.Of<float>(Gemm.Best).KC, width = System.Runtime.Intrinsics.Vector512<float>.Count;
        var rng = new Random(5);
        foreach (var (m, n, k) in new[] { (16, 16, 256), (32, 16, 256), (2, 1, 1), (9, 7, kc), (17, 16, kc + 1), (8, 3, 2 * kc + 5), (31, 12, 700), (3, 16, 40) })
        {
            Assert.True(ConvWeightGrad.LanesApply<float>(m, n));
            int lda = k + rng.Next(0, 5), ldc = n + rng.Next(0, 4);
            var a = Values(rng, m * lda);
            var b = Values(rng, n * k);
            var c0 = Values(rng, m * ldc);
            var expected = (float[])c0.Clone();
            Conv.Multiply(true, m, n, k, a, lda, b, k, true, expected, ldc);
            var actual = (float[])c0.Clone();
            ConvWeightGrad.AccumulateLanes<float>(m, n, k, a, lda, b, actual, ldc, kc, new float[k * width]);
            for (int i = 0; i < actual.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                            $"m {m}, n {n}, k {k}: element {i}: GEMM {expected[i]:R}, lanes {actual[i]:R}");
        }
    }

    private static float[] Values(Random rng, int count)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = rng.Next(25) == 0 ? -0f : (float)(rng.NextDouble() * 2 - 1);
        return v;
    }
}
