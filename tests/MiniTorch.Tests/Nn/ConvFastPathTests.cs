using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// The convolution fast paths at sizes that take them, against the naive definitions: the direct
/// one-output-channel transposed kernel (FSRCNN's C_out = 1; rows wider than its register blocks,
/// odd remainders, groups, dilation, stride 1 and 3), and bitwise determinism for 1, 2 and 3 threads.
/// </summary>
public class ConvFastPathTests
{
    private static void Close(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                        $"{what}: element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    /// <summary>Transposed convolutions whose big side has one channel per group (CinG = 1).</summary>
    public static TheoryData<ConvCase> OneChannelCases => new()
    {
        // FSRCNN's layer in miniature: k 9, stride 2, padding 4, outputPadding 1; 150-wide phases.
        new ConvCase(1, 1, 1, 6, 30, 300, 9, 9, 2, 2, 4, 4, 1, 1, 21),
        // Groups (two one-channel outputs), dilation 2 in height, stride 3 × 2, odd widths.
        new ConvCase(2, 2, 1, 3, 17, 211, 3, 4, 3, 2, 1, 2, 2, 1, 22),
        // Stride 1: one phase with all 25 taps; a width that is no multiple of any vector.
        new ConvCase(1, 1, 1, 4, 9, 147, 5, 5, 1, 1, 2, 2, 1, 1, 23),
        // Stride 3 with kernel 2: phases without taps (their outputs are zero plus bias).
        new ConvCase(1, 1, 1, 5, 12, 400, 2, 2, 3, 3, 0, 0, 1, 1, 24),
    };

    private static void CheckTransposed(ConvCase c, DType dtype, double tol)
    {
        var g = new Generator(c.Seed);
        var z = ConvCase.Randn(c.YShape, g);
        var w = ConvCase.Randn(c.WShape, g);
        var b = ConvCase.Randn([c.Cin], g);
        var t = c.Transpose(z.To(dtype), w.To(dtype), b.To(dtype));
        Assert.Equal(c.XShape, t.Shape);
        var expected = ConvReference.ConvTransposeZeroInsertion(z.ToDoubleArray(), c.YShape, w.ToDoubleArray(), c.WShape, b.ToDoubleArray(),
                                                                (c.SH, c.SW), (c.PH, c.PW), (c.A.H, c.A.W), (c.DH, c.DW), c.Groups);
        Close(expected, t.ToDoubleArray(), tol, $"ConvTranspose2d {c} {dtype}");
    }

    [Theory]
    [MemberData(nameof(OneChannelCases))]
    public void ConvTranspose2d_OneOutputChannel_MatchesZeroInsertion_Float64(ConvCase c) => CheckTransposed(c, DType.Float64, 1e-11);

    [Theory]
    [MemberData(nameof(OneChannelCases))]
    public void ConvTranspose2d_OneOutputChannel_MatchesZeroInsertion_Float32(ConvCase c) => CheckTransposed(c, DType.Float32, 2e-4);

    /// <summary>Transposed convolutions taking the pixel-major GEMM (8 … 32 big-side channels) or the single GEMM (one input pixel).</summary>
    public static TheoryData<ConvCase> GemmRouteCases => new()
    {
        // A generator layer: 4×4 stride 2 padding 1, 8 output channels, one big image (tiles within a phase).
        new ConvCase(1, 1, 8, 6, 64, 70, 4, 4, 2, 2, 1, 1, 1, 1, 51),
        // Small images batched side by side, groups 2 × 13 channels, dilation 2, stride 1.
        new ConvCase(5, 2, 13, 3, 9, 7, 3, 3, 1, 1, 1, 2, 2, 1, 52),
        // 32 channels (the upper bound), stride 3.
        new ConvCase(2, 1, 32, 4, 20, 23, 3, 3, 3, 3, 1, 1, 1, 1, 53),
        // One input pixel filling a 4×4 output (a generator's first layer): the single-GEMM route.
        new ConvCase(3, 1, 9, 7, 4, 4, 4, 4, 1, 1, 0, 0, 1, 1, 54),
        // The same with a non-square kernel and stride 2 (stride does not matter for one pixel).
        new ConvCase(2, 1, 5, 6, 3, 5, 3, 5, 2, 2, 0, 0, 1, 1, 55),
    };

    [Theory]
    [MemberData(nameof(GemmRouteCases))]
    public void ConvTranspose2d_PixelMajorAndSinglePixelRoutes_MatchZeroInsertion(ConvCase c)
    {
        CheckTransposed(c, DType.Float64, 1e-11);
        CheckTransposed(c, DType.Float32, 2e-4);
    }

    [Fact]
    public void ConvTranspose2d_OneOutputChannel_GradientsMatchTheAdjointOps()
    {
        // The backward of the one-channel path goes through Conv2d and the weight gradient; check
        // them against the reference on the FSRCNN-like case (∂⟨t, g⟩/∂z = Conv2d(g), by adjointness).
        var c = new ConvCase(1, 1, 1, 3, 20, 150, 9, 9, 2, 2, 4, 4, 1, 1, 25);
        var gen = new Generator(c.Seed);
        var z = ConvCase.Randn(c.YShape, gen).RequiresGrad_();
        var w = ConvCase.Randn(c.WShape, gen);
        var gy = ConvCase.Randn(c.XShape, gen);
        (c.Transpose(z, w) * gy).Sum().Backward();
        var expected = ConvReference.Conv2d(gy.ToDoubleArray(), c.XShape, w.ToDoubleArray(), c.WShape, null, (c.SH, c.SW), (c.PH, c.PW), (c.DH, c.DW), c.Groups, c.OH, c.OW);
        Close(expected, z.Grad!.ToDoubleArray(), 1e-11, "input gradient");
    }

    /// <summary>Small images, several per tile (whole images side by side in one GEMM): both ops.</summary>
    public static TheoryData<ConvCase> SmallImageCases => new()
    {
        // DCGAN-like 4×4 stride-2 layer on 7 images of 8×8 (an odd number of images per tile at the end).
        new ConvCase(7, 1, 6, 5, 8, 8, 4, 4, 2, 2, 1, 1, 1, 1, 31),
        // Groups, dilation and an odd image size; 3×3 stride 1.
        new ConvCase(5, 2, 3, 4, 7, 5, 3, 3, 1, 1, 2, 1, 2, 1, 32),
    };

    [Theory]
    [MemberData(nameof(SmallImageCases))]
    public void Conv2dAndConvTranspose2d_SeveralImagesPerTile_MatchReferences(ConvCase c)
    {
        var g = new Generator(c.Seed);
        var x = ConvCase.Randn(c.XShape, g);
        var w = ConvCase.Randn(c.WShape, g);
        var b = ConvCase.Randn([c.Cout], g);
        var z = ConvCase.Randn(c.YShape, g);
        var y = c.Conv(x, w, b);
        Close(ConvReference.Conv2d(x.ToDoubleArray(), c.XShape, w.ToDoubleArray(), c.WShape, b.ToDoubleArray(), (c.SH, c.SW), (c.PH, c.PW), (c.DH, c.DW), c.Groups, c.OH, c.OW),
              y.ToDoubleArray(), 1e-11, $"Conv2d {c}");
        var t = c.Transpose(z, w);
        Close(ConvReference.ConvTransposeZeroInsertion(z.ToDoubleArray(), c.YShape, w.ToDoubleArray(), c.WShape, null, (c.SH, c.SW), (c.PH, c.PW), (c.A.H, c.A.W), (c.DH, c.DW), c.Groups),
              t.ToDoubleArray(), 1e-11, $"ConvTranspose2d {c}");
    }

    /// <summary>gw[k, c, i, j] = Σ_{n, oh, ow} gy[n, k, oh, ow] · x[n, g·Cg + c, oh·s − p + i·d, ow·s − p + j·d], straight from the definition.</summary>
    private static double[] WeightGradReference(ConvCase c, double[] x, double[] gy)
    {
        int kg = c.CoutG, cg = c.CinG;
        var gw = new double[c.Cout * cg * c.KH * c.KW];
        for (int n = 0; n < c.N; n++)
            for (int k = 0; k < c.Cout; k++)
                for (int ci = 0; ci < cg; ci++)
                    for (int i = 0; i < c.KH; i++)
                        for (int j = 0; j < c.KW; j++)
                        {
                            double s = 0;
                            for (int oh = 0; oh < c.OH; oh++)
                                for (int ow = 0; ow < c.OW; ow++)
                                {
                                    int ih = oh * c.SH - c.PH + i * c.DH, iw = ow * c.SW - c.PW + j * c.DW;
                                    if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                                    s += gy[((n * c.Cout + k) * c.OH + oh) * c.OW + ow] * x[((n * c.Cin + k / kg * cg + ci) * c.H + ih) * c.W + iw];
                                }
                            gw[((k * cg + ci) * c.KH + i) * c.KW + j] += s;
                        }
        return gw;
    }

    /// <summary>Weight gradients with C/groups ≥ 16 (the channels-last route): several tiles and chunks, stride, dilation, groups, padding.</summary>
    public static TheoryData<ConvCase> ManyChannelCases => new()
    {
        // 3×3, padding 1, 16 channels, tiles of 448 pixels over 37·29 (an odd remainder), three images.
        new ConvCase(3, 1, 16, 5, 37, 29, 3, 3, 1, 1, 1, 1, 1, 1, 41),
        // Groups 2 × 17 channels, stride 2, dilation 2 in width, asymmetric kernel and padding.
        new ConvCase(2, 2, 17, 3, 23, 26, 2, 3, 2, 2, 0, 2, 1, 2, 42),
        // A DCGAN discriminator layer: 4×4 stride 2 padding 1, 20 channels.
        new ConvCase(4, 1, 20, 6, 16, 16, 4, 4, 2, 2, 1, 1, 1, 1, 43),
    };

    [Theory]
    [MemberData(nameof(ManyChannelCases))]
    public void Conv2d_WeightGradient_ManyChannels_MatchesDefinition(ConvCase c)
    {
        foreach (var (dtype, tol) in new[] { (DType.Float64, 1e-11), (DType.Float32, 2e-4) })
        {
            var g = new Generator(c.Seed);
            var x = ConvCase.Randn(c.XShape, g);
            var w = ConvCase.Randn(c.WShape, g).To(dtype).RequiresGrad_();
            var gy = ConvCase.Randn(c.YShape, g);
            (c.Conv(x.To(dtype), w) * gy.To(dtype)).Sum().Backward();
            Close(WeightGradReference(c, x.ToDoubleArray(), gy.ToDoubleArray()), w.Grad!.ToDoubleArray(), tol, $"weight gradient {c} {dtype}");
        }
    }

    private static float[] RunWeightGrad(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(6);
            var x = Torch.Randn([6, 32, 24, 40], g);
            var w = Torch.Randn([16, 32, 3, 3], g).RequiresGrad_();
            (F.Conv2d(x, w, padding: 1) * Torch.Randn([6, 16, 24, 40], g)).Sum().Backward();
            return w.Grad!.ToArray();
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void Conv2d_WeightGradient_ManyChannels_BitwiseEqualFor1To3Threads()
    {
        var one = RunWeightGrad(1);
        Assert.Equal(one, RunWeightGrad(2));
        Assert.Equal(one, RunWeightGrad(3));
    }

    private static float[] RunOneChannel(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(5);
            // Enough work (≈ 4 MFLOP) to run on several threads; several row blocks per image.
            var z = Torch.Randn([2, 8, 32, 100], g);
            var w = Torch.Randn([8, 1, 9, 9], g);
            return F.ConvTranspose2d(z, w, stride: 2, padding: 4, outputPadding: 1).ToArray();
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void ConvTranspose2d_OneOutputChannel_BitwiseEqualFor1To3Threads()
    {
        var one = RunOneChannel(1);
        Assert.Equal(one, RunOneChannel(2));
        Assert.Equal(one, RunOneChannel(3));
    }
}
