using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Kernels;
using MiniTorch.Nn;
using MiniTorch.Tests.Kernels;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// The fused one-output-channel transposed convolution (FSRCNN's upscaling layer: all phases of a
/// strided layer as one dense convolution with masked slots): against the zero-insertion definition
/// and the general phase-by-phase path, with Higham-style bounds; and bitwise determinism for 1, 2
/// and 3 threads, whose band heights differ.
/// </summary>
public class ConvTransposeOneChannelTests
{
    /// <summary>A transposed convolution with one big-side channel per group.</summary>
    public sealed record Case(int N, int Groups, int Kg, int H, int W, int KH, int KW, int SH, int SW, int PH, int PW,
                              int AH, int AW, int DH, int DW, bool Bias, int Seed)
    {
        public int[] ZShape => [N, Groups * Kg, H, W];
        public int[] WShape => [Groups * Kg, 1, KH, KW];
        internal ConvGeometry Geometry => ConvKernelCalls.ConvTranspose2d(ZShape, WShape, Bias ? [Groups] : null, (SH, SW), (PH, PW), (AH, AW), Groups, (DH, DW));
    }

    private static bool Vectors => Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;

    /// <summary>FSRCNN's last layer at scale s: ConvTranspose2d(K, 1, 9, stride s, padding 4, outputPadding s − 1).</summary>
    private static Case Fsrcnn(int scale, int n, int groups, int kg, int h, int w, bool bias, int seed) =>
        new(n, groups, kg, h, w, 9, 9, scale, scale, 4, 4, scale - 1, scale - 1, 1, 1, bias, seed);

    /// <summary>
    /// Runs the case in <paramref name="dtype"/> and checks every output against the zero-insertion
    /// definition evaluated in float64 on the same (rounded) inputs: |ŷ − y| ≤ γ_m · Σ|terms| with
    /// m = K_g·KH·KW + 2 roundings (the taps' fused multiply-adds, the bias) and γ_m = m·u/(1 − m·u).
    /// </summary>
    private static void CheckAgainstDefinition(Case c, DType dtype)
    {
        var gen = new Generator(c.Seed);
        var z = Torch.Randn(c.ZShape, gen, DType.Float64).To(dtype);
        var w = Torch.Randn(c.WShape, gen, DType.Float64).To(dtype);
        var b = c.Bias ? Torch.Randn([c.Groups], gen, DType.Float64).To(dtype) : null;
        var y = F.ConvTranspose2d(z, w, b, (c.SH, c.SW), (c.PH, c.PW), (c.AH, c.AW), c.Groups, (c.DH, c.DW));
        var g = c.Geometry;
        Assert.Equal(g.BigShape, y.Shape);
        double[] zd = z.ToDoubleArray(), wd = w.ToDoubleArray(), bd = b?.ToDoubleArray() ?? [];
        var exact = ConvReference.ConvTransposeZeroInsertion(zd, c.ZShape, wd, c.WShape, b is null ? null : bd,
                                                             (c.SH, c.SW), (c.PH, c.PW), (c.AH, c.AW), (c.DH, c.DW), c.Groups);
        var magnitude = ConvReference.ConvTransposeZeroInsertion([.. zd.Select(Math.Abs)], c.ZShape, [.. wd.Select(Math.Abs)], c.WShape,
                                                                 b is null ? null : [.. bd.Select(Math.Abs)],
                                                                 (c.SH, c.SW), (c.PH, c.PW), (c.AH, c.AW), (c.DH, c.DW), c.Groups);
        double u = dtype == DType.Float32 ? Math.Pow(2, -24) : Math.Pow(2, -53);
        int m = c.Kg * c.KH * c.KW + 2;
        double gamma = m * u / (1 - m * u);
        var actual = y.ToDoubleArray();
        for (int i = 0; i < exact.Length; i++)
        {
            // The float64 reference's own rounding is allowed for with a few more ulps of float64.
            double bound = gamma * magnitude[i] + 8 * m * Math.Pow(2, -53) * magnitude[i];
            Assert.True(Math.Abs(actual[i] - exact[i]) <= bound,
                        $"{c} {dtype}: element {i}: expected {exact[i]:R}, got {actual[i]:R} (bound {bound:R})");
        }
    }

    [Fact]
    public void FusedPath_IsTakenForFsrcnnScales2To4_AndNotForStrideOne()
    {
        if (!Vectors) return; // without vector hardware every shape takes the general path
        foreach (int scale in new[] { 2, 3, 4 })
            Assert.True(ConvTransposeOneChannel.FusedApplies(Fsrcnn(scale, 1, 1, 56, 10, 20, true, 0).Geometry), $"scale {scale}");
        Assert.False(ConvTransposeOneChannel.FusedApplies(new Case(1, 1, 4, 10, 20, 5, 5, 1, 1, 2, 2, 0, 0, 1, 1, false, 0).Geometry));
    }

    /// <summary>FSRCNN shapes: tiny images (smaller than the window), odd widths, several bands, chunks and channel blocks, groups, batches.</summary>
    public static TheoryData<Case> FsrcnnCases => new()
    {
        Fsrcnn(2, 1, 1, 3, 1, 1, true, 1),        // one input pixel: every tap of the window is outside but one
        Fsrcnn(2, 2, 1, 5, 2, 3, false, 2),
        Fsrcnn(2, 1, 1, 20, 13, 37, true, 3),     // 20 channels: blocks of 8, 8 and 4; widths no multiple of a vector
        Fsrcnn(2, 1, 1, 9, 67, 141, true, 4),     // two bands at one thread, two chunks of columns
        Fsrcnn(2, 3, 2, 6, 11, 17, true, 5),      // batch and groups
        Fsrcnn(3, 1, 1, 10, 7, 33, true, 6),      // nine phases: groups of 4, 4 and 1
        Fsrcnn(3, 2, 3, 3, 4, 5, false, 7),
        Fsrcnn(4, 1, 1, 12, 9, 131, true, 8),     // sixteen phases, partial last chunk
        Fsrcnn(4, 1, 2, 5, 3, 2, true, 9),
    };

    [Theory]
    [MemberData(nameof(FsrcnnCases))]
    public void ConvTranspose2d_FsrcnnShapes_MatchTheDefinition(Case c)
    {
        CheckAgainstDefinition(c, DType.Float32);
        CheckAgainstDefinition(c, DType.Float64);
    }

    private static readonly Gen<Case> Cases =
        from n in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 3)
        from kg in Gen.Choose(1, 11)
        from kh in Gen.Choose(1, 9)
        from kw in Gen.Choose(1, 9)
        from sh in Gen.Choose(1, 4)
        from sw in Gen.Choose(2, 4)
        from dh in Gen.Choose(1, 2)
        from dw in Gen.Choose(1, 2)
        from ph in Gen.Choose(0, dh * (kh - 1))
        from pw in Gen.Choose(0, dw * (kw - 1))
        from ah in Gen.Choose(0, Math.Max(sh, dh) - 1)
        from aw in Gen.Choose(0, Math.Max(sw, dw) - 1)
        from h in Gen.Choose(1, 14)
        from w in Gen.Choose(1, 45)
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let c = new Case(n, groups, kg, h, w, kh, kw, sh, sw, ph, pw, ah, aw, dh, dw, bias, seed)
        where Shape.ConvTransposeOutputSize(h, kh, sh, ph, ah, dh) >= 1 && Shape.ConvTransposeOutputSize(w, kw, sw, pw, aw, dw) >= 1
        select c;

    /// <summary>The FsCheck Arbitrary of <see cref="Cases"/>.</summary>
    public static class Arbitraries
    {
        /// <summary>Random valid cases.</summary>
        public static Arbitrary<Case> Cases() => ConvTransposeOneChannelTests.Cases.ToArbitrary();
    }

    [Property(MaxTest = 120, Arbitrary = [typeof(Arbitraries)])]
    public void ConvTranspose2d_RandomStridedOneChannelShapes_MatchTheDefinition(Case c)
    {
        CheckAgainstDefinition(c, DType.Float32);
        CheckAgainstDefinition(c, DType.Float64);
    }

    /// <summary>
    /// The fused and the general path sum each output's terms in different orders; in float64 they
    /// agree within γ_m · Σ|terms| of each other's distance to the exact value (2γ_m in all).
    /// </summary>
    [Property(MaxTest = 60, Arbitrary = [typeof(Arbitraries)])]
    public void FusedPath_AgreesWithTheGeneralPath_Float64(Case c)
    {
        var g = c.Geometry;
        var gen = new Generator(c.Seed);
        var z = Torch.Randn(c.ZShape, gen, DType.Float64).ToDoubleArray();
        var w = Torch.Randn(c.WShape, gen, DType.Float64).ToDoubleArray();
        var phases = ConvTranspose.Phases(g);
        var fused = new double[g.N * g.BigC * g.BigH * g.BigW];
        var general = new double[fused.Length];
        ConvTransposeOneChannel.Fused<double>(g, z, w, fused);
        ConvTransposeOneChannel.ForwardGeneral<double>(g, phases, z, w, general);
        var magnitude = ConvReference.ConvTransposeZeroInsertion([.. z.Select(Math.Abs)], c.ZShape, [.. w.Select(Math.Abs)], c.WShape, null,
                                                                 (c.SH, c.SW), (c.PH, c.PW), (c.AH, c.AW), (c.DH, c.DW), c.Groups);
        int m = c.Kg * c.KH * c.KW + 1;
        double gamma = m * Math.Pow(2, -53) / (1 - m * Math.Pow(2, -53));
        for (int i = 0; i < fused.Length; i++)
            Assert.True(Math.Abs(fused[i] - general[i]) <= 2 * gamma * magnitude[i],
                        $"{c}: element {i}: fused {fused[i]:R}, general {general[i]:R}");
    }

    private static double[] Run(Case c, DType dtype, int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var gen = new Generator(c.Seed);
            var z = Torch.Randn(c.ZShape, gen, DType.Float64).To(dtype);
            var w = Torch.Randn(c.WShape, gen, DType.Float64).To(dtype);
            var b = Torch.Randn([c.Groups], gen, DType.Float64).To(dtype);
            return F.ConvTranspose2d(z, w, b, (c.SH, c.SW), (c.PH, c.PW), (c.AH, c.AW), c.Groups, (c.DH, c.DW)).ToDoubleArray();
        }
        finally { Torch.SetNumThreads(saved); }
    }

    /// <summary>Band heights depend on the thread count (60, 10 and 10 rows here); the outputs must not.</summary>
    [Theory]
    [InlineData(2, DType.Float32)]
    [InlineData(3, DType.Float32)]
    [InlineData(2, DType.Float64)]
    public void ConvTranspose2d_Fsrcnn_BitwiseEqualFor1To3Threads(int scale, DType dtype)
    {
        var c = Fsrcnn(scale, 1, 1, 12, 70, 150, true, 11 + scale);
        var one = Run(c, dtype, 1);
        foreach (int threads in new[] { 2, 3 })
            Assert.Equal(one, Run(c, dtype, threads));
    }

    /// <summary>
    /// The bias goes onto the output in chunks of 65 536 elements shared by the threads; a 170 000-pixel
    /// plane spans three chunks (the last one ragged), and every element gets exactly y + b.
    /// </summary>
    [Fact]
    public void ConvTranspose2d_OneChannelBigPlaneWithBias_EqualsOutputPlusBias()
    {
        var gen = new Generator(5);
        var x = Torch.Randn([2, 3, 170, 250], gen);
        var w = Torch.Randn([3, 1, 9, 9], gen);
        var b = Torch.FromArray([0.375f], 1);
        var withBias = F.ConvTranspose2d(x, w, b, stride: 2, padding: 4, outputPadding: 1).ToArray();
        var without = F.ConvTranspose2d(x, w, null, stride: 2, padding: 4, outputPadding: 1).ToArray();
        Assert.Equal(2 * 340 * 500, without.Length);
        for (int i = 0; i < without.Length; i++)
            Assert.Equal(without[i] + 0.375f, withBias[i]);
    }
}
