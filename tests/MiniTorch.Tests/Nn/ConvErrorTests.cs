using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>Bad arguments raise PyTorch's messages (texts taken from torch 1.13).</summary>
public class ConvErrorTests
{
    private static readonly Tensor X = Torch.Zeros(2, 4, 8, 8);

    private static void Throws(string message, Action act) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(act).Message);

    [Fact]
    public void Conv2d_WrongRank_Throws()
    {
        Throws("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]",
               () => F.Conv2d(Torch.Zeros(2, 3), Torch.Zeros(8, 3, 3, 3)));
        Throws("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [2, 4, 8, 8, 1]",
               () => F.ConvTranspose2d(Torch.Zeros(2, 4, 8, 8, 1), Torch.Zeros(4, 3, 3, 3)));
        Throws("Expected 3-dimensional input for 3-dimensional weight [8, 4, 3], but got 4-dimensional input of size [2, 4, 8, 8] instead",
               () => F.Conv2d(X, Torch.Zeros(8, 4, 3)));
    }

    [Fact]
    public void Conv2d_InChannelsNotMatchingWeightTimesGroups_Throws()
    {
        Throws("Given groups=1, weight of size [8, 3, 3, 3], expected input[2, 4, 8, 8] to have 3 channels, but got 4 channels instead",
               () => F.Conv2d(X, Torch.Zeros(8, 3, 3, 3)));
        Throws("Given transposed=1, weight of size [5, 3, 3, 3], expected input[2, 4, 8, 8] to have 5 channels, but got 4 channels instead",
               () => F.ConvTranspose2d(X, Torch.Zeros(5, 3, 3, 3)));
    }

    [Fact]
    public void Conv2d_ChannelsNotDivisibleByGroups_Throws()
    {
        Throws("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[3, 2, 3, 3]] instead",
               () => F.Conv2d(X, Torch.Zeros(3, 2, 3, 3), groups: 2));
        Throws("Given groups=2, expected weight to be at least 2 at dimension 0, but got weight of size [1, 2, 3, 3] instead",
               () => F.Conv2d(X, Torch.Zeros(1, 2, 3, 3), groups: 2));
        Throws("Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [[4, 3, 3, 3]] instead",
               () => F.ConvTranspose2d(X, Torch.Zeros(4, 3, 3, 3), groups: 3));
        Throws("non-positive groups is not supported", () => F.Conv2d(X, Torch.Zeros(8, 4, 3, 3), groups: 0));
        Throws("in_channels must be divisible by groups", () => new Conv2d(3, 4, 3, groups: 2));
        Throws("out_channels must be divisible by groups", () => new ConvTranspose2d(4, 3, 3, groups: 2));
    }

    [Fact]
    public void Conv2d_KernelLargerThanPaddedInput_Throws()
    {
        Throws("Calculated padded input size per channel: (8 x 8). Kernel size: (9 x 9). Kernel size can't be greater than actual input size",
               () => F.Conv2d(X, Torch.Zeros(8, 4, 9, 9)));
        Throws("Calculated padded input size per channel: (10 x 10). Kernel size: (11 x 11). Kernel size can't be greater than actual input size",
               () => F.Conv2d(X, Torch.Zeros(8, 4, 3, 3), padding: 1, dilation: 5));
    }

    [Fact]
    public void ConvTranspose2d_NonPositiveOutputSize_Throws()
    {
        Throws("Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). Output size is too small",
               () => F.ConvTranspose2d(Torch.Zeros(1, 4, 1, 1), Torch.Zeros(4, 3, 3, 3), padding: 2));
        Throws("Given input size per channel: (1 x 1). Calculated output size per channel: (1 x 0). Output size is too small",
               () => F.ConvTranspose2d(Torch.Zeros(1, 4, 1, 1), Torch.Zeros(4, 3, 3, 2), padding: (1, 1)));
    }

    [Fact]
    public void ConvTranspose2d_OutputPaddingNotSmallerThanStrideOrDilation_Throws()
    {
        Throws("output padding must be smaller than either stride or dilation, but got output_padding_height: 2 output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1",
               () => F.ConvTranspose2d(X, Torch.Zeros(4, 3, 3, 3), stride: 2, outputPadding: 2));
        Throws("output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1",
               () => F.ConvTranspose2d(X, Torch.Zeros(4, 3, 3, 3), outputPadding: 1));
        Throws("negative output_padding is not supported", () => F.ConvTranspose2d(X, Torch.Zeros(4, 3, 3, 3), outputPadding: -1));
        // Smaller than the dilation is enough (PyTorch accepts it too).
        Assert.Equal(new[] { 1, 3, 8, 8 }, F.ConvTranspose2d(Torch.Zeros(1, 4, 3, 3), Torch.Zeros(4, 3, 3, 3), outputPadding: 1, dilation: 2).Shape);
    }

    [Fact]
    public void Conv2d_PaddingSameWithStride_Throws()
    {
        Throws("padding='same' is not supported for strided convolutions", () => F.Conv2d(X, Torch.Zeros(8, 4, 3, 3), stride: 2, padding: Padding2d.Same));
        Throws("padding='same' is not supported for strided convolutions", () => new Conv2d(4, 8, 3, stride: (1, 2), padding: Padding2d.Same));
    }

    [Fact]
    public void Conv2d_BadStridePaddingDilationBias_Throws()
    {
        var w = Torch.Zeros(8, 4, 3, 3);
        Throws("non-positive stride is not supported", () => F.Conv2d(X, w, stride: 0));
        Throws("negative padding is not supported", () => F.Conv2d(X, w, padding: -1));
        Throws("non-positive dilation is not supported", () => F.Conv2d(X, w, dilation: 0));
        Throws("dilation should be greater than zero, but got dilation_height: 0, dilation_width: 0",
               () => F.ConvTranspose2d(Torch.Zeros(1, 4, 3, 3), Torch.Zeros(4, 3, 3, 3), dilation: 0));
        Throws("Given weight of size [8, 4, 3, 3], expected bias to be 1-dimensional with 8 elements, but got bias of size [3] instead",
               () => F.Conv2d(X, w, Torch.Zeros(3)));
        Throws("Given transposed=1, weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 3 elements, but got bias of size [4] instead",
               () => F.ConvTranspose2d(X, Torch.Zeros(4, 3, 3, 3), Torch.Zeros(4)));
        Throws("Input type (Float32) and weight type (Float64) should be the same", () => F.Conv2d(X, Torch.Zeros([8, 4, 3, 3], DType.Float64)));
    }

    [Fact]
    public void ConvTranspose2d_OutputSizeOutsideValidRange_Throws()
    {
        var m = new ConvTranspose2d(2, 3, 3, stride: 2);
        Throws("requested an output size of [12, 12], but valid sizes range from [9, 9] to [10, 10] (for an input of torch.Size([4, 4]))",
               () => m.Forward(Torch.Zeros(1, 2, 4, 4), [12, 12]));
        Throws("ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements (got 3)",
               () => m.Forward(Torch.Zeros(1, 2, 4, 4), [1, 2, 3]));
    }

    [Fact]
    public void Failure_LeavesNoState_TheSameCallWorksAfterwards()
    {
        var w = Torch.Zeros(8, 4, 3, 3).RequiresGrad_();
        Assert.Throws<ArgumentException>(() => F.Conv2d(X, w, stride: 0));
        Assert.Null(w.Grad);
        Assert.Equal(new[] { 2, 8, 6, 6 }, F.Conv2d(X, w).Shape);
    }
}
