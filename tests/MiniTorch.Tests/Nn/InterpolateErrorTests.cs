using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>Misuse of F.Interpolate gives PyTorch 1.13's messages (checked against torch 1.13).</summary>
public class InterpolateErrorTests
{
    private static readonly Tensor X = Torch.Zeros(1, 1, 3, 3);

    private static string Message(Func<Tensor> f) => Assert.Throws<ArgumentException>(() => f()).Message;

    [Theory]
    [InlineData(InterpolationMode.Nearest)]
    [InlineData(InterpolationMode.NearestExact)]
    [InlineData(InterpolationMode.Area)]
    public void Interpolate_AlignCornersWithNonInterpolatingMode_Throws(InterpolationMode mode)
    {
        Assert.Equal("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear",
                     Message(() => F.Interpolate(X, size: 2, mode: mode, alignCorners: false)));
    }

    [Fact]
    public void Interpolate_SizeAndScaleFactor_Throws() =>
        Assert.Equal("only one of size or scale_factor should be defined", Message(() => F.Interpolate(X, size: (2, 2), scaleFactor: 2.0)));

    [Fact]
    public void Interpolate_NeitherSizeNorScaleFactor_Throws() =>
        Assert.Equal("either size or scale_factor should be defined", Message(() => F.Interpolate(X)));

    [Fact]
    public void Interpolate_RecomputeScaleFactorWithSize_Throws() =>
        Assert.Equal("recompute_scale_factor is not meaningful with an explicit size.", Message(() => F.Interpolate(X, size: 2, recomputeScaleFactor: true)));

    [Fact]
    public void Interpolate_ZeroOutputSize_Throws()
    {
        Assert.Equal("Input and output sizes should be greater than 0, but got input (H: 3, W: 3) output (H: 0, W: 0)",
                     Message(() => F.Interpolate(X, size: 0)));
        Assert.Equal("Input and output sizes should be greater than 0, but got input (H: 3, W: 3) output (H: 0, W: 2)",
                     Message(() => F.Interpolate(X, size: (0, 2), mode: InterpolationMode.Bilinear)));
        Assert.Equal("Input and output sizes should be greater than 0, but got input (H: 3, W: 3) output (H: 0, W: 0)",
                     Message(() => F.Interpolate(X, scaleFactor: 0.2, mode: InterpolationMode.Bilinear)));
        Assert.Equal("Input and output sizes should be greater than 0, but got input (H: 3, W: 3) output (H: -6, W: -6)",
                     Message(() => F.Interpolate(X, scaleFactor: -2.0)));
    }

    [Fact]
    public void Interpolate_EmptyInput_Throws()
    {
        Assert.Equal("Non-empty 4D data tensor expected but got a tensor with sizes [1, 0, 3, 3]",
                     Message(() => F.Interpolate(Torch.Zeros(1, 0, 3, 3), scaleFactor: 2, mode: InterpolationMode.Bilinear)));
        Assert.Equal("Input and output sizes should be greater than 0, but got input (H: 0, W: 3) output (H: 2, W: 2)",
                     Message(() => F.Interpolate(Torch.Zeros(1, 1, 0, 3), size: 2, mode: InterpolationMode.Bilinear)));
    }

    [Fact]
    public void Interpolate_AreaBadSizes_ThrowAdaptivePoolMessages()
    {
        Assert.Equal("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, 2}",
                     Message(() => F.Interpolate(X, size: (-1, 2), mode: InterpolationMode.Area)));
        Assert.Equal("adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-6, -6}",
                     Message(() => F.Interpolate(X, scaleFactor: -2.0, mode: InterpolationMode.Area)));
        Assert.Equal("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 1, 0, 3] with dimension 2 being empty",
                     Message(() => F.Interpolate(Torch.Zeros(1, 1, 0, 3), size: 2, mode: InterpolationMode.Area)));
    }

    [Fact]
    public void Interpolate_WrongRank_Throws()
    {
        Assert.Equal("Got 3D input, but bilinear mode needs 4D input",
                     Message(() => F.Interpolate(Torch.Zeros(1, 1, 3), size: 2, mode: InterpolationMode.Bilinear)));
        Assert.Equal("Got 5D input, but bilinear mode needs 4D input",
                     Message(() => F.Interpolate(Torch.Zeros(1, 1, 3, 3, 3), size: 2, mode: InterpolationMode.Bilinear)));
        Assert.Equal("Input Error: Only 3D, 4D and 5D input Tensors supported (got 5D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got bicubic)",
                     Message(() => F.Interpolate(Torch.Zeros(1, 1, 3, 3, 3), size: 2, mode: InterpolationMode.Bicubic)));
        Assert.Equal("Input Error: Only 3D, 4D and 5D input Tensors supported (got 2D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got nearest)",
                     Message(() => F.Interpolate(Torch.Zeros(3, 3), size: 2)));
        // PyTorch has 1-D and 3-D nearest; MiniTorch says it supports only the 2-D form.
        Assert.Contains("supports only 4D input [N, C, H, W]", Message(() => F.Interpolate(Torch.Zeros(1, 1, 3), size: 2)));
    }

    [Fact]
    public void Interpolate_NonFiniteScale_Throws()
    {
        Assert.Contains("scale_factor must be a finite number", Message(() => F.Interpolate(X, scaleFactor: double.NaN)));
        Assert.Contains("scale_factor must be a finite number", Message(() => F.Interpolate(X, scaleFactor: (2, double.PositiveInfinity))));
    }

    [Fact]
    public void Interpolate_BadInput_LeavesNoGraphBehind()
    {
        var x = Torch.Zeros([1, 1, 3, 3], DType.Float64).RequiresGrad_();
        Assert.Throws<ArgumentException>(() => F.Interpolate(x, size: 0));
        Assert.Null(x.Grad);
        Assert.True(x.IsLeaf);
    }
}
