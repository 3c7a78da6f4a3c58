using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>Reference vectors from the issue, grad_fn names, argument forms and the Upsample module.</summary>
public class InterpolateTests
{
    private static Tensor Row(params double[] v) => Torch.FromArray(v, 1, 1, 1, v.Length);

    private static void AssertClose(double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void Interpolate_Nearest_FiveToSeven_PicksFloorOfScaledIndex()
    {
        var y = F.Interpolate(Row(0, 1, 2, 3, 4), size: (1, 7), mode: InterpolationMode.Nearest);
        Assert.Equal(new double[] { 0, 0, 1, 2, 2, 3, 4 }, y.ToDoubleArray());
    }

    [Fact]
    public void Interpolate_Nearest_ScaleHeldInTensorPrecision_LikePyTorch()
    {
        // 2 → 82: 41·(2/82) is 1 in float64 but 0.99999994 in float32, so PyTorch's [N, C, H, W]
        // kernel (checked with torch 1.13) reads pixel 1 for float64 and pixel 0 for float32.
        var x = Torch.FromArray(new double[] { 0, 1, 0, 1 }, 1, 2, 1, 2);
        Assert.Equal(1.0, F.Interpolate(x, size: (1, 82)).ToDoubleArray()[41]);
        Assert.Equal(0.0, F.Interpolate(x.To(DType.Float32), size: (1, 82)).ToDoubleArray()[41]);
    }

    [Fact]
    public void Interpolate_NearestExact_FiveToSeven_PicksNearestPixelCentre()
    {
        var y = F.Interpolate(Row(0, 1, 2, 3, 4), size: (1, 7), mode: InterpolationMode.NearestExact);
        Assert.Equal(new double[] { 0, 1, 1, 2, 3, 3, 4 }, y.ToDoubleArray());
    }

    [Fact]
    public void Interpolate_Bilinear_TwoToFour_HalfPixelCentres()
    {
        var y = F.Interpolate(Row(1, 2), size: (1, 4), mode: InterpolationMode.Bilinear, alignCorners: false);
        Assert.Equal(new double[] { 1, 1.25, 1.75, 2 }, y.ToDoubleArray());
    }

    [Fact]
    public void Interpolate_Bilinear_TwoToFour_AlignedCorners()
    {
        var y = F.Interpolate(Row(1, 2), size: (1, 4), mode: InterpolationMode.Bilinear, alignCorners: true);
        AssertClose([1, 4.0 / 3, 5.0 / 3, 2], y.ToDoubleArray(), 1e-6);
        var y64 = F.Interpolate(Row(1, 2).To(DType.Float64), size: (1, 4), mode: InterpolationMode.Bilinear, alignCorners: true);
        AssertClose([1, 4.0 / 3, 5.0 / 3, 2], y64.ToDoubleArray(), 1e-15);
    }

    [Fact]
    public void Interpolate_Bilinear_DefaultAlignCornersIsFalse()
    {
        var y = F.Interpolate(Row(1, 2), size: (1, 4), mode: InterpolationMode.Bilinear);
        Assert.Equal(new double[] { 1, 1.25, 1.75, 2 }, y.ToDoubleArray());
    }

    [Fact]
    public void Interpolate_Bicubic_PreservesConstantsAndLinesWithAlignedCorners()
    {
        // Cubic convolution weights sum to one and reproduce linear functions away from the border
        // clamp; with aligned corners a line through 4 samples is resampled exactly.
        var c = F.Interpolate(Torch.Full([1, 1, 3, 4], 2.5, DType.Float64), size: (7, 5), mode: InterpolationMode.Bicubic);
        AssertClose(Enumerable.Repeat(2.5, 35).ToArray(), c.ToDoubleArray(), 1e-14);
        var line = F.Interpolate(Row(0, 1, 2, 3).To(DType.Float64), size: (1, 7), mode: InterpolationMode.Bicubic, alignCorners: true);
        Assert.Equal(0.0, line.ToDoubleArray()[0]);
        Assert.Equal(3.0, line.ToDoubleArray()[6]);
        Assert.Equal(1.5, line.ToDoubleArray()[3], 14);
    }

    [Fact]
    public void Interpolate_Area_AveragesAdaptiveWindows()
    {
        // 5 → 3 windows [0, 2), [1, 4), [3, 5) overlap, as in adaptive_avg_pool2d.
        var y = F.Interpolate(Row(0, 1, 2, 3, 4), size: (1, 3), mode: InterpolationMode.Area);
        Assert.Equal(new double[] { 0.5, 2, 3.5 }, y.ToDoubleArray());
        var z = F.Interpolate(Row(1, 2, 3, 4), scaleFactor: (1, 0.5), mode: InterpolationMode.Area);
        Assert.Equal(new double[] { 1.5, 3.5 }, z.ToDoubleArray());
    }

    [Fact]
    public void Interpolate_OutputSizeFromScale_IsFloorOfProduct()
    {
        var x = Torch.Zeros(2, 3, 5, 7);
        Assert.Equal(new[] { 2, 3, 11, 16 }, F.Interpolate(x, scaleFactor: 2.3).Shape);
        Assert.Equal(new[] { 2, 3, 8, 5 }, F.Interpolate(x, scaleFactor: (1.7, 0.8), mode: InterpolationMode.Bilinear).Shape);
        Assert.Equal(new[] { 2, 3, 3, 4 }, F.Interpolate(x, scaleFactor: 0.6, mode: InterpolationMode.Area).Shape);
        Assert.Equal(new[] { 2, 3, 10, 14 }, F.Interpolate(x, scaleFactor: 2).Shape);
        Assert.Equal(new[] { 2, 3, 10, 21 }, F.Interpolate(x, scaleFactor: (2, 3)).Shape);
        Assert.Equal(new[] { 2, 3, 4, 4 }, F.Interpolate(x, size: 4).Shape);
    }

    [Fact]
    public void Interpolate_UserScaleDrivesKernel_UnlessRecomputed()
    {
        // 4 → ⌊4·1.1⌋ = 4: with the user's scale the kernel steps by 1/1.1, so output 1 reads input 0;
        // recomputed, the step is 4/4 = 1 and the input is copied.
        var x = Row(10, 20, 30, 40);
        Assert.Equal(new double[] { 10, 10, 20, 30 }, F.Interpolate(x, scaleFactor: (1, 1.1)).ToDoubleArray());
        Assert.Equal(new double[] { 10, 20, 30, 40 }, F.Interpolate(x, scaleFactor: (1, 1.1), recomputeScaleFactor: true).ToDoubleArray());
    }

    [Theory]
    [InlineData(InterpolationMode.Nearest, "UpsampleNearest2DBackward1")]
    [InlineData(InterpolationMode.NearestExact, "UpsampleNearestExact2DBackward1")]
    [InlineData(InterpolationMode.Bilinear, "UpsampleBilinear2DBackward1")]
    [InlineData(InterpolationMode.Bicubic, "UpsampleBicubic2DBackward1")]
    [InlineData(InterpolationMode.Area, "AdaptiveAvgPool2DBackward0")]
    public void Interpolate_GradFnNames_ArePyTorchs(InterpolationMode mode, string name)
    {
        var x = Torch.Randn([1, 2, 3, 3], new Generator(3), DType.Float64).RequiresGrad_();
        var y = F.Interpolate(x, size: (5, 4), mode: mode);
        Assert.Equal(name, y.GradFn!.Name);
        var g = Torch.OnesLike(y).RequiresGrad_();
        var gx = Torch.Grad([y], [x], [g], createGraph: true)[0]!;
        Assert.Equal(name.Replace("Backward", "BackwardBackward"), gx.GradFn!.Name);
    }

    [Fact]
    public void Interpolate_NonContiguousInput_SameAsContiguous()
    {
        var x = Torch.Randn([2, 3, 6, 5], new Generator(5), DType.Float64);
        var view = x.Transpose(2, 3); // [2, 3, 5, 6], not contiguous
        foreach (var mode in Enum.GetValues<InterpolationMode>())
        {
            var a = F.Interpolate(view, size: (7, 4), mode: mode).ToDoubleArray();
            var b = F.Interpolate(view.Contiguous(), size: (7, 4), mode: mode).ToDoubleArray();
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void Interpolate_ResultDoesNotDependOnThreadCount()
    {
        var x = Torch.Randn([4, 16, 9, 11], new Generator(7)).RequiresGrad_();
        int saved = Torch.GetNumThreads();
        (float[] Y, float[] G) Run(InterpolationMode mode)
        {
            var y = F.Interpolate(x, scaleFactor: 1.7, mode: mode);
            return (y.ToArray(), Torch.Grad((y * y).Sum(), x).ToArray());
        }
        try
        {
            foreach (var mode in Enum.GetValues<InterpolationMode>())
            {
                Torch.SetNumThreads(1);
                var one = Run(mode);
                Torch.SetNumThreads(4);
                var four = Run(mode);
                Assert.Equal(one.Y, four.Y);
                Assert.Equal(one.G, four.G);
            }
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void Interpolate_EmptyBatch_GivesEmptyBatch()
    {
        Assert.Equal(new[] { 0, 1, 6, 6 }, F.Interpolate(Torch.Zeros(0, 1, 3, 3), scaleFactor: 2).Shape);
        Assert.Equal(new[] { 0, 2, 2, 2 }, F.Interpolate(Torch.Zeros(0, 2, 3, 3), size: 2, mode: InterpolationMode.Bicubic).Shape);
        Assert.Equal(new[] { 1, 1, 0, 0 }, F.Interpolate(Torch.Zeros(1, 1, 3, 3), size: 0, mode: InterpolationMode.Area).Shape);
    }

    [Fact]
    public void Upsample_Forward_CallsInterpolate()
    {
        var x = Torch.Randn([2, 3, 4, 5], new Generator(9));
        var up = new Upsample(scaleFactor: 2, mode: InterpolationMode.Bilinear, alignCorners: true);
        Assert.Equal(F.Interpolate(x, scaleFactor: 2.0, mode: InterpolationMode.Bilinear, alignCorners: true).ToArray(), up.Forward(x).ToArray());
        var fixedSize = new Upsample(size: (3, 7));
        Assert.Equal(new[] { 2, 3, 3, 7 }, fixedSize.Call(x).Shape);
        Assert.Empty(up.Parameters());
        Assert.Empty(up.StateDict());
    }

    [Fact]
    public void Upsample_ToString_IsPyTorchsRepr()
    {
        Assert.Equal("Upsample(scale_factor=2.0, mode=nearest)", new Upsample(scaleFactor: 2).ToString());
        Assert.Equal("Upsample(scale_factor=1.5, mode=bilinear)", new Upsample(scaleFactor: 1.5, mode: InterpolationMode.Bilinear).ToString());
        Assert.Equal("Upsample(size=(2, 3), mode=nearest-exact)", new Upsample(size: (2, 3), mode: InterpolationMode.NearestExact).ToString());
        Assert.Equal("Upsample(size=4, mode=area)", new Upsample(size: 4, mode: InterpolationMode.Area).ToString());
    }

    [Fact]
    public void Upsample_ChecksArgumentsWhenRun_LikePyTorch()
    {
        var up = new Upsample(size: 2, scaleFactor: 2.0);
        var e = Assert.Throws<ArgumentException>(() => up.Forward(Torch.Zeros(1, 1, 3, 3)));
        Assert.Equal("only one of size or scale_factor should be defined", e.Message);
    }

    [Fact]
    public void Scale2_ConvertsFromDoubleAndPairs()
    {
        Scale2 a = 2.0, b = (1.5, 2.0), c = 3, d = (1, 2);
        Assert.Equal(new Scale2(2, 2), a);
        Assert.Equal(new Scale2(1.5, 2), b);
        Assert.Equal(new Scale2(3, 3), c);
        Assert.Equal(new Scale2(1, 2), d);
        Assert.Equal("2.0", a.ToString());
        Assert.Equal("(1.5, 2.0)", b.ToString());
    }
}
