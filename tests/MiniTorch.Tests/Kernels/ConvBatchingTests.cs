using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The GEMM routes' small-image batching (whole images side by side in one tile, DCGAN's 4×4 … 16×16
/// layers): batching must actually happen for DCGAN's shapes, and must give bitwise the result of
/// running each image on its own (the per-image route), since each output still sums the same terms
/// in the same order.
/// </summary>
public class ConvBatchingTests
{
    // DCGAN's 128 → 256 channel 4×4 stride-2 layer on 8×8 images (64 → 128 is the 16×16 one), scaled down in channels.
    private static ConvGeometry Geometry(int n, int c, int h, int k, int kernel, int stride, int pad)
    {
        int oh = (h + 2 * pad - kernel) / stride + 1;
        return ConvGeometry.Planar(n, c, h, h, k, oh, oh, kernel, kernel, stride, stride, pad, pad, 1, 1, 1);
    }

    private static float[] Random(int length, int seed)
    {
        var r = new System.Random(seed);
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = r.NextSingle() * 2 - 1;
        return a;
    }

    private static T[] Random<T>(int length, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var r = new System.Random(seed);
        var a = new T[length];
        for (int i = 0; i < length; i++) a[i] = T.CreateTruncating(r.NextDouble() * 2 - 1);
        return a;
    }

    [Fact]
    public void TileCapacity_DcganSmallLayers_HoldSeveralImages()
    {
        // rows = C_in·k² = 128·16 for the discriminator's 8×8 → 4×4 layer: 16-pixel outputs, 8 images per tile.
        Assert.True(Conv.TileCapacity(128 * 16) >= 2 * 16);
        Assert.True(Conv.TileLength(128 * 16, 16) == 16);
        // The 4×4 → 8×8 transposed layer (and that conv's input gradient) leaves the direct kernel for the phase GEMMs.
        Assert.NotEqual(ConvRoute.DirectPhases, ConvPlanner.Choose(Geometry(64, 128, 8, 256, 4, 2, 1), ConvPass.InputGrad, ConvIsa.Vector512));
        // The 16×16 → 8×8 conv with a batch goes to the batched GEMM; a single image stays where the direct kernel's rule puts it.
        Assert.Equal(ConvRoute.Im2colImages, ConvPlanner.Choose(Geometry(64, 64, 16, 128, 4, 2, 1), ConvPass.Forward, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.DirectRows, ConvPlanner.Choose(Geometry(1, 64, 16, 128, 4, 2, 1), ConvPass.Forward, ConvIsa.Vector512));
        // Its input gradient (8×8 → 16×16) stays direct, with the 8-wide phase rows folded into vectors.
        Assert.Equal(ConvRoute.DirectPhasePlanes, ConvPlanner.Choose(Geometry(64, 64, 16, 128, 4, 2, 1), ConvPass.InputGrad, ConvIsa.Vector512));
    }

    [Theory]
    [InlineData(9, 12, 8, 20, 4, 2, 1)]  // discriminator-like: 8×8 → 4×4, images batched per tile
    [InlineData(5, 7, 6, 9, 3, 1, 1)]    // stride 1, padding 1, 6×6
    [InlineData(7, 3, 10, 33, 4, 2, 1)]  // 10×10 → 5×5, more images than fit one tile's batch
    // The batched route's own packing (Conv.PackedImages.cs) against GEMM's, at its edges: 50 output channels
    // (a ragged last 14-row panel), 640 rows (five kc-slices, the last one short), 5 images of 16 pixels
    // (a ragged last 32-column panel); stride 3; one output channel (the dot-product path).
    [InlineData(5, 40, 8, 50, 4, 2, 1)]
    [InlineData(4, 5, 11, 6, 3, 3, 1)]
    [InlineData(6, 4, 8, 1, 4, 2, 1)]
    // 8-wide output rows (16×16 → 8×8: whole rows per 32- or 16-wide panel, each image across panels) and 16-wide ones.
    [InlineData(5, 6, 16, 20, 4, 2, 1)]
    [InlineData(3, 4, 32, 9, 4, 2, 1)]
    public void ConvForward_BatchedImages_BitwiseEqualPerImage(int n, int c, int h, int k, int kernel, int stride, int pad)
    {
        Assert.Equal(ConvRoute.Im2colImages, ConvPlanner.Choose(Geometry(n, c, h, k, kernel, stride, pad), ConvPass.Forward, ConvIsa.Scalar));
        BatchedEqualsPerImage<float>(n, c, h, k, kernel, stride, pad);
        BatchedEqualsPerImage<double>(n, c, h, k, kernel, stride, pad);
    }

    // The packed batched route cuts the batch into at least two tiles per thread: 1, 2 and 3 threads (tiles of 13, 4
    // and 3 images of 13 here) must give the same bits, and the same as one image at a time.
    [Fact]
    public void ConvForward_BatchedImages_BitwiseEqualFor1To3Threads()
    {
        int saved = Torch.GetNumThreads();
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Torch.SetNumThreads(threads);
                BatchedEqualsPerImage<float>(13, 24, 8, 30, 4, 2, 1);
                BatchedEqualsPerImage<float>(13, 6, 16, 20, 4, 2, 1);
            }
        }
        finally { Torch.SetNumThreads(saved); }
    }

    /// <summary>The batched GEMM route gives bitwise what each image alone (im2col tiles × GEMM) gives.</summary>
    private static void BatchedEqualsPerImage<T>(int n, int c, int h, int k, int kernel, int stride, int pad) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var g = Geometry(n, c, h, k, kernel, stride, pad);
        var g1 = g with { N = 1 };
        int big = c * h * h, small = k * g.SmallH * g.SmallW;
        var x = Random<T>(n * big, 1);
        var w = Random<T>(k * c * kernel * kernel, 2);
        var bias = Random<T>(k, 3);
        var y = new T[n * small];
        ConvKernelCalls.Forward<T>(g, x, w, bias, y, allowDirect: false);
        var yi = new T[small];
        for (int i = 0; i < n; i++)
        {
            ConvKernelCalls.Forward<T>(g1, x.AsMemory(i * big, big), w, bias, yi, allowDirect: false);
            Assert.Equal(yi, y.AsSpan(i * small, small).ToArray());
        }
    }

    [Theory]
    [InlineData(9, 12, 8, 20, 4, 2, 1)]  // generator-like: 4×4 → 8×8 (the default route takes the phase GEMMs)
    [InlineData(4, 6, 9, 10, 4, 2, 1)]   // odd big side: phases of different sizes
    [InlineData(6, 5, 7, 8, 3, 2, 0)]    // 3×3 stride 2: phases with 1 and 2 taps per axis
    public void ConvTransposeForward_BatchedImages_BitwiseEqualPerImage(int n, int c, int h, int k, int kernel, int stride, int pad)
    {
        var g = Geometry(n, c, h, k, kernel, stride, pad);
        var g1 = g with { N = 1 };
        int big = c * h * h, small = k * g.SmallH * g.SmallW;
        var z = Random(n * small, 4);
        var w = Random(k * c * kernel * kernel, 5);
        var bias = Random(c, 6);
        foreach (bool allowDirect in new[] { true, false })
        {
            var y = new float[n * big];
            ConvKernelCalls.TransposeForward<float>(g, z, w, bias, y, allowDirect);
            var yi = new float[big];
            for (int i = 0; i < n; i++)
            {
                ConvKernelCalls.TransposeForward<float>(g1, z.AsMemory(i * small, small), w, bias, yi, allowDirect);
                Assert.Equal(yi, y.AsSpan(i * big, big).ToArray());
            }
        }
    }

    /// <summary>gw[k, c, i, j] = Σ_{n, oh, ow} gy[n, k, oh, ow]·x[n, c, oh·s − p + i, ow·s − p + j], in float64 by the definition.</summary>
    private static double[] WeightGradReference(ConvGeometry g, double[] x, double[] gy)
    {
        var gw = new double[g.SmallC * g.BigC * g.KH * g.KW];
        for (int n = 0; n < g.N; n++)
            for (int k = 0; k < g.SmallC; k++)
                for (int c = 0; c < g.BigC; c++)
                    for (int i = 0; i < g.KH; i++)
                        for (int j = 0; j < g.KW; j++)
                            for (int oh = 0; oh < g.SmallH; oh++)
                                for (int ow = 0; ow < g.SmallW; ow++)
                                {
                                    int ih = oh * g.SH - g.PH + i, iw = ow * g.SW - g.PW + j;
                                    if (ih < 0 || ih >= g.BigH || iw < 0 || iw >= g.BigW) continue;
                                    gw[((k * g.BigC + c) * g.KH + i) * g.KW + j] +=
                                        gy[((n * g.SmallC + k) * g.SmallH + oh) * g.SmallW + ow] * x[((n * g.BigC + c) * g.BigH + ih) * g.BigW + iw];
                                }
        return gw;
    }

    [Theory]
    [InlineData(11, 16, 8, 6, 4, 2, 1)]  // discriminator-like 8×8 → 4×4 with 16 input channels (channels-last route), images batched
    [InlineData(5, 20, 5, 3, 3, 1, 1)]   // stride 1, 5×5 images
    [InlineData(3, 16, 12, 4, 4, 2, 1)]  // 12×12 → 6×6
    [InlineData(7, 17, 8, 20, 4, 2, 1)]  // the route's own packing at its edges: 272 rows (a ragged last panel), 20 output channels (a ragged 14-row panel)
    public void WeightGrad_ChannelsLastBatchedImages_MatchesDefinition(int n, int c, int h, int k, int kernel, int stride, int pad)
        => CheckWeightGrad(Geometry(n, c, h, k, kernel, stride, pad), channelsLast: true, seed: 8);

    [Theory]
    [InlineData(13, 3, 16, 8, 4, 2, 1)]  // discriminator's first layer in miniature: 3 channels (two channel blocks), 16×16 → 8×8
    [InlineData(6, 5, 7, 4, 3, 1, 1)]    // stride 1, 7×7
    [InlineData(4, 1, 12, 6, 4, 2, 1)]   // one input channel
    public void WeightGrad_GeneralRoute_MatchesDefinition(int n, int c, int h, int k, int kernel, int stride, int pad)
        => CheckWeightGrad(Geometry(n, c, h, k, kernel, stride, pad), channelsLast: false, seed: 15);

    /// <summary>The float64 weight gradient on route <paramref name="channelsLast"/> against the definition, to 1e-12 relative.</summary>
    private static void CheckWeightGrad(ConvGeometry g, bool channelsLast, int seed)
    {
        Assert.Equal(channelsLast ? ConvRoute.WeightGradChannelsLast : ConvRoute.WeightGradIm2col, ConvPlanner.Choose(g, ConvPass.WeightGrad, ConvPlanner.Isa));
        var r = new System.Random(seed);
        var x = new double[g.N * g.BigC * g.BigH * g.BigW];
        var gy = new double[g.N * g.SmallC * g.SmallH * g.SmallW];
        for (int i = 0; i < x.Length; i++) x[i] = r.NextDouble() * 2 - 1;
        for (int i = 0; i < gy.Length; i++) gy[i] = r.NextDouble() * 2 - 1;
        var gw = new double[g.SmallC * g.BigCg * g.KH * g.KW];
        ConvKernelCalls.WeightGrad<double>(g, x, gy, gw);
        var expected = WeightGradReference(g, x, gy);
        for (int i = 0; i < gw.Length; i++) Assert.True(Math.Abs(gw[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"element {i}: {gw[i]:R} vs {expected[i]:R}");
    }

    /// <summary>The float32 weight gradient (4×4 kernel) on 1, 2 and 3 threads: bit for bit the same.</summary>
    private static void AssertWeightGradSameFor1To3Threads(ConvGeometry g, float[] x, float[] gy)
    {
        float[] Run(int threads)
        {
            int saved = Torch.GetNumThreads();
            try
            {
                Torch.SetNumThreads(threads);
                var gw = new float[g.SmallC * g.BigCg * 16];
                ConvKernelCalls.WeightGrad<float>(g, x, gy, gw);
                return gw;
            }
            finally { Torch.SetNumThreads(saved); }
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
    }

    [Theory]
    [InlineData(37, 32, 8, 24)]  // channels-last route
    [InlineData(37, 3, 32, 64)]  // general route (3 input channels, 32×32 → 16×16)
    public void WeightGrad_SmallImages_BitwiseEqualFor1To3Threads(int n, int c, int h, int k)
    {
        var g = Geometry(n, c, h, k, 4, 2, 1);
        var x = Random(n * c * h * h, 9);
        var gy = Random(n * k * g.SmallH * g.SmallW, 10);
        AssertWeightGradSameFor1To3Threads(g, x, gy);
    }

    [Theory]
    [InlineData(64, 256, 1)]  // DCGAN's discriminator's last layer: one output channel, one chunk, so one item
    [InlineData(37, 64, 1)]   // a ragged batch
    [InlineData(37, 64, 2)]   // two output channels (still one item)
    public void WeightGrad_KernelCoversImage_OneItem_BitwiseEqualFor1To3Threads(int n, int c, int k)
    {
        // One work item runs on the calling thread and gathers its images' columns on all cores: copies only,
        // so the gradient must be the one thread's, bit for bit (one thread runs the code of before, serially).
        var g = Geometry(n, c, 4, k, 4, 1, 0);
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(g, ConvPass.WeightGrad, ConvPlanner.Isa));
        var x = Random(n * c * 16, 11);
        var gy = Random(n * k, 12);
        AssertWeightGradSameFor1To3Threads(g, x, gy);
        CheckWeightGrad(g, channelsLast: true, 13);
    }

    [Theory]
    [InlineData(5, 6, 4, 1)]  // a discriminator's last layer: 4×4 kernel over a 4×4 image, one output
    [InlineData(3, 4, 5, 7)]  // several outputs
    public void ConvForward_KernelCoversImage_MatchesDefinition(int n, int c, int h, int k)
    {
        var g = Geometry(n, c, h, k, h, 1, 0);
        Assert.Equal(1, g.SmallH * g.SmallW);
        var r = new System.Random(14);
        var x = new double[n * c * h * h];
        var w = new double[k * c * h * h];
        var bias = new double[k];
        for (int i = 0; i < x.Length; i++) x[i] = r.NextDouble() * 2 - 1;
        for (int i = 0; i < w.Length; i++) w[i] = r.NextDouble() * 2 - 1;
        for (int i = 0; i < k; i++) bias[i] = r.NextDouble();
        var y = new double[n * k];
        ConvKernelCalls.Forward<double>(g, x, w, bias, y);
        int rows = c * h * h;
        for (int b = 0; b < n; b++)
            for (int o = 0; o < k; o++)
            {
                double e = bias[o];
                for (int q = 0; q < rows; q++) e += x[b * rows + q] * w[o * rows + q];
                Assert.True(Math.Abs(e - y[b * k + o]) <= 1e-12 * (1 + Math.Abs(e)), $"image {b} channel {o}: {y[b * k + o]:R} vs {e:R}");
            }
    }
}
