using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Kernels;
using MiniTorch.Nn;
using MiniTorch.Tests.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The direct convolution kernel (<see cref="ConvDirect"/>): Conv2d (strided ones by column phase) and every
/// ConvTranspose2d with two or more output channels per group, at sizes that fill its 8-channel ×
/// 3-vector register blocks and leave ragged remainders (channels not a multiple of 8, widths not a
/// multiple of 16, several segments per row), with padding, dilation, groups, bias, row strides and
/// the stride-2 interleaved phase pairs, and both micro-kernels (8×3, and 4×6 for remainders of ≤ 4 channels). Each output is checked against a float64 definition within
/// the a-priori bound |ŷ − y| ≤ γ_n · Σ|terms| (Higham, n = terms + 1, γ_n = n·u/(1 − n·u)), and
/// results are bitwise identical for 1, 2 and 3 threads.
/// </summary>
public class ConvDirectTests
{
    /// <summary>Conv2d cases with strides 1 … 3 (row strides split columns by phase), 2 … 19 output channels per group.</summary>
    public static class Conv2dCases
    {
        /// <summary>The profile's cases.</summary>
        public static Arbitrary<ConvCase> Cases() =>
            ConvCase.Cases(maxSize: 10, maxKernel: 5, cinG: (1, 5), coutG: (2, 19), maxGroups: 2, maxDilationH: 2, maxExtraW: 100).ToArbitrary();
    }

    /// <summary>ConvTranspose2d cases (the adjoint of a Conv2d case): 2 … 19 big-side channels per group, strides 1 … 3.</summary>
    public static class TransposedCases
    {
        /// <summary>The profile's cases.</summary>
        public static Arbitrary<ConvCase> Cases() =>
            ConvCase.Cases(maxSize: 12, maxKernel: 5, cinG: (2, 19), coutG: (1, 5), maxGroups: 2, maxDilationH: 2, maxDilationW: 2, maxExtraW: 80).ToArbitrary();
    }

    private static double Gamma(int n, DType dtype)
    {
        double u = dtype == DType.Float32 ? Math.Pow(2, -24) : Math.Pow(2, -53);
        return n * u / (1 - n * u);
    }

    /// <summary>Asserts |actual − y| ≤ γ_n·abs elementwise (plus a tiny slack for the float64 reference's own rounding).</summary>
    private static void WithinBound(double[] y, double[] abs, double[] actual, int terms, DType dtype, string what)
    {
        Assert.Equal(y.Length, actual.Length);
        double gamma = Gamma(terms + 1, dtype), refGamma = Gamma(terms + 1, DType.Float64);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(actual[i] - y[i]) <= (gamma + refGamma) * abs[i],
                        $"{what}: element {i}: expected {y[i]:R}, got {actual[i]:R}, bound {(gamma + refGamma) * abs[i]:R}");
    }

    /// <summary>Conv2d's definition in float64, with Σ|terms| (bias included) per output.</summary>
    private static (double[] Y, double[] Abs) Conv2dReference(ConvCase c, double[] x, double[] w, double[]? b)
    {
        int oh = c.OH, ow = c.OW, k = c.Cout;
        var y = new double[c.N * k * oh * ow];
        var abs = new double[y.Length];
        for (int n = 0; n < c.N; n++)
            for (int ko = 0; ko < k; ko++)
            {
                int grp = ko / c.CoutG;
                for (int yh = 0; yh < oh; yh++)
                    for (int yw = 0; yw < ow; yw++)
                    {
                        double acc = b?[ko] ?? 0, a = Math.Abs(b?[ko] ?? 0);
                        for (int ci = 0; ci < c.CinG; ci++)
                            for (int i = 0; i < c.KH; i++)
                                for (int j = 0; j < c.KW; j++)
                                {
                                    int ih = yh * c.SH - c.PH + i * c.DH, iw = yw * c.SW - c.PW + j * c.DW;
                                    if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                                    double t = w[((ko * c.CinG + ci) * c.KH + i) * c.KW + j] * x[((n * c.Cin + grp * c.CinG + ci) * c.H + ih) * c.W + iw];
                                    acc += t;
                                    a += Math.Abs(t);
                                }
                        y[((n * k + ko) * oh + yh) * ow + yw] = acc;
                        abs[((n * k + ko) * oh + yh) * ow + yw] = a;
                    }
            }
        return (y, abs);
    }

    /// <summary>ConvTranspose2d's definition (scatter of z·w) in float64, with Σ|terms| (bias included) per output.</summary>
    private static (double[] Y, double[] Abs) TransposedReference(ConvCase c, double[] z, double[] w, double[]? b)
    {
        int plane = c.H * c.W;
        var y = new double[c.N * c.Cin * plane];
        var abs = new double[y.Length];
        for (int n = 0; n < c.N; n++)
            for (int ch = 0; ch < c.Cin; ch++)
                for (int p = 0; p < plane; p++)
                {
                    y[(n * c.Cin + ch) * plane + p] = b?[ch] ?? 0;
                    abs[(n * c.Cin + ch) * plane + p] = Math.Abs(b?[ch] ?? 0);
                }
        for (int n = 0; n < c.N; n++)
            for (int k = 0; k < c.Cout; k++)
            {
                int grp = k / c.CoutG;
                for (int oh = 0; oh < c.OH; oh++)
                    for (int ow = 0; ow < c.OW; ow++)
                    {
                        double zv = z[((n * c.Cout + k) * c.OH + oh) * c.OW + ow];
                        for (int cg = 0; cg < c.CinG; cg++)
                            for (int i = 0; i < c.KH; i++)
                                for (int j = 0; j < c.KW; j++)
                                {
                                    int h = oh * c.SH - c.PH + i * c.DH, wc = ow * c.SW - c.PW + j * c.DW;
                                    if (h < 0 || h >= c.H || wc < 0 || wc >= c.W) continue;
                                    double t = zv * w[((k * c.CinG + cg) * c.KH + i) * c.KW + j];
                                    int at = ((n * c.Cin + grp * c.CinG + cg) * c.H + h) * c.W + wc;
                                    y[at] += t;
                                    abs[at] += Math.Abs(t);
                                }
                    }
            }
        return (y, abs);
    }

    private static ConvGeometry Conv2dGeometry(ConvCase c) =>
        ConvKernelCalls.Conv2d(c.XShape, c.WShape, null, (c.SH, c.SW), new Padding2d(c.PH, c.PW), (c.DH, c.DW), c.Groups);

    /// <summary>
    /// The direct kernel itself (called on arrays, whatever the dispatch rule would pick, when
    /// Vector512 is available; otherwise F.Conv2d) against the definition, float32 and float64.
    /// </summary>
    private static bool CheckConv2d(ConvCase c, bool bias)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var g = new Generator(c.Seed);
            var x = ConvCase.Randn(c.XShape, g).To(dtype);
            var w = ConvCase.Randn(c.WShape, g).To(dtype);
            var b = bias ? ConvCase.Randn([c.Cout], g).To(dtype) : null;
            var (y, abs) = Conv2dReference(c, x.ToDoubleArray(), w.ToDoubleArray(), b?.ToDoubleArray());
            double[] actual;
            if (!System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) actual = c.Conv(x, w, b).ToDoubleArray();
            else if (dtype == DType.Float64) actual = Direct(c, x.ToDoubleArray(), w.ToDoubleArray(), b?.ToDoubleArray());
            else actual = Array.ConvertAll(Direct(c, x.ToArray(), w.ToArray(), b?.ToArray()), v => (double)v);
            WithinBound(y, abs, actual, c.CinG * c.KH * c.KW, dtype, $"Conv2d {c} bias {bias} {dtype}");
        }
        return true;
    }

    private static T[] Direct<T>(ConvCase c, T[] x, T[] w, T[]? b) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var y = new T[c.N * c.Cout * c.OH * c.OW];
        ConvDirect.Conv2dForward<T>(Conv2dGeometry(c), x, w, b ?? ReadOnlyMemory<T>.Empty, y);
        return y;
    }

    private static bool CheckTransposed(ConvCase c, bool bias)
    {
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            var geo = ConvKernelCalls.ConvTranspose2d(c.YShape, c.WShape, null, (c.SH, c.SW), new Padding2d(c.PH, c.PW), c.A, c.Groups, (c.DH, c.DW));
            Assert.True(geo.BigCg >= 2 && ConvPlanner.Applies(ConvRoute.DirectPhases, geo, ConvPass.InputGrad, ConvIsa.Vector512), $"{c} should take the direct kernel");
        }
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var g = new Generator(c.Seed);
            var z = ConvCase.Randn(c.YShape, g).To(dtype);
            var w = ConvCase.Randn(c.WShape, g).To(dtype);
            var b = bias ? ConvCase.Randn([c.Cin], g).To(dtype) : null;
            var (y, abs) = TransposedReference(c, z.ToDoubleArray(), w.ToDoubleArray(), b?.ToDoubleArray());
            Tensor actual;
            using (ConvPlanner.Force(ConvRoute.DirectPhases)) actual = c.Transpose(z, w, b);
            Assert.Equal(c.XShape, actual.Shape);
            WithinBound(y, abs, actual.ToDoubleArray(), c.CoutG * c.KH * c.KW, dtype, $"ConvTranspose2d {c} bias {bias} {dtype}");
        }
        return true;
    }

    [Property(MaxTest = 150, Arbitrary = [typeof(Conv2dCases)])]
    public bool Conv2d_DirectKernel_WithinRoundingBoundOfDefinition(ConvCase c, bool bias) => CheckConv2d(c, bias);

    [Property(MaxTest = 150, Arbitrary = [typeof(TransposedCases)])]
    public bool ConvTranspose2d_DirectKernel_WithinRoundingBoundOfDefinition(ConvCase c, bool bias) => CheckTransposed(c, bias);

    /// <summary>Fixed shapes that surely reach each branch: full groups stored directly, ragged tiles, the stride-2 pair path.</summary>
    public static TheoryData<ConvCase> FixedCases => new()
    {
        // 3×3 padding 1 with 70-wide rows (four full segments and a 6-wide one), 20 channels (8 + 8 + 4).
        new ConvCase(2, 1, 5, 20, 9, 70, 3, 3, 1, 1, 1, 1, 1, 1, 101),
        // The transposed shape in miniature: 4×4 stride 2 padding 1, even width (column phases paired).
        new ConvCase(2, 1, 12, 6, 18, 66, 4, 4, 2, 2, 1, 1, 1, 1, 102),
        // Odd output width: the paired phases have different widths, so they run separately.
        new ConvCase(1, 2, 9, 3, 11, 47, 4, 4, 2, 2, 1, 1, 1, 1, 103),
        // A discriminator-like 4×4 stride 2 padding 1 with a 37-wide input (odd phases), 9 channels.
        new ConvCase(2, 1, 3, 9, 20, 37, 4, 4, 2, 2, 1, 1, 1, 1, 107),
        // 12 channels (8 + a 4-channel remainder for the 4×6 kernel), and 3 channels (only the 4×6 kernel)
        // with the stride-2 column phases paired.
        new ConvCase(1, 1, 12, 12, 9, 50, 3, 3, 1, 1, 1, 1, 1, 1, 108),
        new ConvCase(2, 1, 3, 5, 16, 64, 4, 4, 2, 2, 1, 1, 1, 1, 109),
        // FSRCNN-like 5×5 padding 2 from one channel to 17, and a 1×1 from 17 to 2.
        new ConvCase(1, 1, 1, 17, 6, 53, 5, 5, 1, 1, 2, 2, 1, 1, 104),
        new ConvCase(1, 1, 17, 2, 5, 33, 1, 1, 1, 1, 0, 0, 1, 1, 105),
        // Unpadded 1×1s over rows of whole vectors, read in place (no padded copy): two images and two groups
        // (12 → 18 channels, 8 + 1 per group), and FSRCNN's shrinking 56 → 12 with a (meaningless) dilation.
        new ConvCase(2, 2, 6, 9, 5, 32, 1, 1, 1, 1, 0, 0, 1, 1, 110),
        new ConvCase(1, 1, 56, 12, 3, 48, 1, 1, 1, 1, 0, 0, 2, 2, 111),
    };

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void Conv2dAndTranspose_FixedShapes_WithinRoundingBoundOfDefinition(ConvCase c)
    {
        CheckConv2d(c, bias: true);
        if (c.CinG >= 2) CheckTransposed(c, bias: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Conv2d_UnpaddedOneByOneReadInPlace_BitwiseEqualToPaddedCopy(int threads)
    {
        // Rows of 32 (whole vectors) are read in place; the same values as the first 32 columns of 33-wide rows, which
        // go through the padded buffer, must come out with the same bits (same taps in the same order).
        var (n, groups, cinG, coutG, h) = (2, 2, 7, 10, 9);
        var g = new Generator(112);
        var x = Torch.Randn([n, groups * cinG, h, 33], g);
        var w = Torch.Randn([groups * coutG, cinG, 1, 1], g).ToArray();
        var b = Torch.Randn([groups * coutG], g).ToArray();
        var wide = x.ToArray();
        var narrow = x.Slice(3, 0, 32).Contiguous().ToArray();
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var yWide = new float[n * groups * coutG * h * 33];
            var yNarrow = new float[n * groups * coutG * h * 32];
            ConvDirect.Conv2dForward<float>(ConvKernelCalls.Conv2d([n, groups * cinG, h, 33], [groups * coutG, cinG, 1, 1], null, (1, 1), new Padding2d(0, 0), (1, 1), groups),
                                            wide, w, b, yWide);
            ConvDirect.Conv2dForward<float>(ConvKernelCalls.Conv2d([n, groups * cinG, h, 32], [groups * coutG, cinG, 1, 1], null, (1, 1), new Padding2d(0, 0), (1, 1), groups),
                                            narrow, w, b, yNarrow);
            for (int row = 0; row < n * groups * coutG * h; row++)
                for (int col = 0; col < 32; col++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(yWide[row * 33 + col]), BitConverter.SingleToInt32Bits(yNarrow[row * 32 + col]));
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void DirectAndGemmRoutes_AgreeWithinTwiceTheBound()
    {
        // The same float32 problem through both kernel routes: each is within γ_n·Σ|terms| of the
        // exact value, so they differ by at most twice that.
        var c = new ConvCase(2, 2, 6, 11, 13, 41, 3, 3, 1, 1, 1, 1, 2, 1, 106);
        var g = new Generator(c.Seed);
        var x = ConvCase.Randn(c.XShape, g).To(DType.Float32).ToArray();
        var w = ConvCase.Randn(c.WShape, g).To(DType.Float32).ToArray();
        var geo = Conv2dGeometry(c);
        var direct = new float[c.N * c.Cout * c.OH * c.OW];
        var gemm = new float[direct.Length];
        ConvKernelCalls.Forward<float>(geo, x, w, ReadOnlyMemory<float>.Empty, direct);
        ConvKernelCalls.Forward<float>(geo, x, w, ReadOnlyMemory<float>.Empty, gemm, allowDirect: false);
        var (_, abs) = Conv2dReference(c, Array.ConvertAll(x, v => (double)v), Array.ConvertAll(w, v => (double)v), null);
        double gamma = Gamma(c.CinG * c.KH * c.KW + 1, DType.Float32);
        for (int i = 0; i < direct.Length; i++)
            Assert.True(Math.Abs(direct[i] - gemm[i]) <= 2 * gamma * abs[i], $"element {i}: direct {direct[i]:R}, GEMM {gemm[i]:R}");
    }

    /// <summary>
    /// The GEMM routes still serve machines without Vector512 and the shapes the dispatch rule
    /// sends there; with the direct kernel taking most shapes here, they are checked directly.
    /// </summary>
    private static bool CheckGemmRoutes(ConvCase c)
    {
        var g = new Generator(c.Seed);
        var x = ConvCase.Randn(c.XShape, g).To(DType.Float32).ToArray();
        var w = ConvCase.Randn(c.WShape, g).To(DType.Float32).ToArray();
        var b = ConvCase.Randn([c.Cout], g).To(DType.Float32).ToArray();
        var z = ConvCase.Randn(c.YShape, g).To(DType.Float32).ToArray();
        var bt = ConvCase.Randn([c.Cin], g).To(DType.Float32).ToArray();
        static double[] D(float[] a) => Array.ConvertAll(a, v => (double)v);

        var y = new float[c.N * c.Cout * c.OH * c.OW];
        ConvKernelCalls.Forward<float>(Conv2dGeometry(c), x, w, b, y, allowDirect: false);
        var (yRef, yAbs) = Conv2dReference(c, D(x), D(w), D(b));
        WithinBound(yRef, yAbs, D(y), c.CinG * c.KH * c.KW, DType.Float32, $"Conv2d GEMM route {c}");

        var t = new float[x.Length];
        var geo = ConvKernelCalls.ConvTranspose2d(c.YShape, c.WShape, null, (c.SH, c.SW), new Padding2d(c.PH, c.PW), c.A, c.Groups, (c.DH, c.DW));
        ConvKernelCalls.TransposeForward<float>(geo, z, w, bt, t, allowDirect: false);
        var (tRef, tAbs) = TransposedReference(c, D(z), D(w), D(bt));
        WithinBound(tRef, tAbs, D(t), c.CoutG * c.KH * c.KW, DType.Float32, $"ConvTranspose2d GEMM route {c}");
        return true;
    }

    [Property(MaxTest = 80, Arbitrary = [typeof(TransposedCases)])]
    public bool GemmRoutes_WhenNotDispatched_WithinRoundingBoundOfDefinition(ConvCase c) => CheckGemmRoutes(c);

    [Fact]
    public void DirectKernel_EmptyBatchAndNoInputChannels_GiveEmptyOrBiasOnlyOutputs()
    {
        var g = new Generator(3);
        Assert.Equal(new[] { 0, 4, 8, 20 }, F.Conv2d(Torch.Zeros([0, 3, 8, 20]), Torch.Randn([4, 3, 3, 3], g), padding: 1).Shape);
        Assert.Equal(new[] { 0, 3, 10, 40 }, F.ConvTranspose2d(Torch.Zeros([0, 4, 5, 20]), Torch.Randn([4, 3, 4, 4], g), stride: 2, padding: 1).Shape);
        // Zero input channels: every output is an empty sum, so exactly the bias.
        var b = Torch.Randn([4], g);
        var y = F.Conv2d(Torch.Zeros([1, 0, 5, 18]), Torch.Zeros([4, 0, 3, 3]), b, padding: 1);
        var bs = b.ToArray();
        var ys = y.ToArray();
        for (int i = 0; i < ys.Length; i++) Assert.Equal(bs[i / (5 * 18)], ys[i]);
    }

    private static float[][] Run(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(7);
            var x = Torch.Randn([3, 16, 40, 37], g);
            var w = Torch.Randn([20, 16, 3, 3], g);
            var b = Torch.Randn([20], g);
            var z = Torch.Randn([3, 16, 21, 34], g);
            var wt = Torch.Randn([16, 12, 4, 4], g);
            return [F.Conv2d(x, w, b, padding: 1).ToArray(), F.Conv2d(x, w, stride: 2, padding: 1).ToArray(), F.ConvTranspose2d(z, wt, b.Slice(0, 0, 12), stride: 2, padding: 1).ToArray(),
                    F.ConvTranspose2d(z, wt, stride: 3, padding: 1, dilation: 2).ToArray()];
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void DirectKernel_BitwiseEqualFor1To3Threads()
    {
        var one = Run(1);
        for (int threads = 2; threads <= 3; threads++)
        {
            var other = Run(threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], other[i]);
        }
    }
}
