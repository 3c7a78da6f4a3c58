using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// Conv1d, Conv3d, ConvTranspose1d and ConvTranspose3d beyond the PyTorch goldens (ConvNdGoldenTests):
/// float64 gradient checks of first and second order, the modules (padding modes, output sizes,
/// initialisation layout), Keras' 'same'/'valid' for the transposed ops, and PyTorch's error messages.
/// </summary>
public class ConvNdTests
{
    private static Tensor Randn(Generator g, params int[] shape) => Torch.Randn(shape, g, DType.Float64);

    public static TheoryData<int> Ranks => new() { 1, 3 };

    private static int[] Spatial(int rank, int size) => [.. Enumerable.Repeat(size, rank)];

    [Theory]
    [MemberData(nameof(Ranks))]
    public void Conv_GradCheckAndGradGradCheck_InputWeightBias(int rank)
    {
        var g = new Generator(30 + rank);
        Tensor[] inputs = [Randn(g, [2, 4, .. Spatial(rank, rank == 1 ? 7 : 4)]).RequiresGrad_(),
                           Randn(g, [4, 2, .. Spatial(rank, 2)]).RequiresGrad_(), Randn(g, 4).RequiresGrad_()];
        Func<Tensor[], Tensor> f = rank == 1
            ? t => F.Conv1d(t[0], t[1], t[2], stride: 2, padding: 1, dilation: 2, groups: 2)
            : t => F.Conv3d(t[0], t[1], t[2], stride: (1, 2, 1), padding: (1, 0, 1), dilation: (1, 1, 2), groups: 2);
        Assert.True(GradCheck.Check(f, inputs));
        Assert.True(GradCheck.GradGradCheck(f, inputs));
    }

    [Theory]
    [MemberData(nameof(Ranks))]
    public void ConvTranspose_GradCheckAndGradGradCheck_InputWeightBias(int rank)
    {
        var g = new Generator(40 + rank);
        Tensor[] inputs = [Randn(g, [2, 4, .. Spatial(rank, rank == 1 ? 5 : 3)]).RequiresGrad_(),
                           Randn(g, [4, 3, .. Spatial(rank, 3)]).RequiresGrad_(), Randn(g, 3).RequiresGrad_()];
        Func<Tensor[], Tensor> f = rank == 1
            ? t => F.ConvTranspose1d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1, dilation: 1)
            : t => F.ConvTranspose3d(t[0], t[1], t[2], stride: (2, 1, 2), padding: (1, 0, 1), outputPadding: (1, 0, 0), dilation: (1, 2, 1));
        Assert.True(GradCheck.Check(f, inputs));
        Assert.True(GradCheck.GradGradCheck(f, inputs));
    }

    [Theory]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    [InlineData(PaddingMode.Circular)]
    public void ConvModules_PaddingModes_PadThenConvolve(PaddingMode mode)
    {
        var padMode = mode switch { PaddingMode.Reflect => PadMode.Reflect, PaddingMode.Replicate => PadMode.Replicate, _ => PadMode.Circular };
        var c1 = new Conv1d(2, 3, 3, padding: "same", paddingMode: mode, generator: new Generator(1));
        var x1 = Torch.Randn([2, 2, 9], new Generator(2));
        Assert.Equal(F.Conv1d(F.Pad(x1, [1, 1], padMode), c1.Weight, c1.Bias).ToArray(), c1.Forward(x1).ToArray());
        var c3 = new Conv3d(2, 3, (2, 3, 3), padding: (1, 0, 1), paddingMode: mode, generator: new Generator(3));
        var x3 = Torch.Randn([1, 2, 4, 5, 5], new Generator(4));
        Assert.Equal(F.Conv3d(F.Pad(x3, [1, 1, 0, 0, 1, 1], padMode), c3.Weight, c3.Bias).ToArray(), c3.Forward(x3).ToArray());
        // 'same' with an even kernel puts the larger half at the end, as PyTorch's _reversed_padding_repeated_twice.
        var even = new Conv3d(2, 3, (2, 4, 1), padding: Padding3d.Same, paddingMode: mode, generator: new Generator(5));
        Assert.Equal(F.Conv3d(F.Pad(x3, [0, 0, 1, 2, 0, 1], padMode), even.Weight, even.Bias).ToArray(), even.Forward(x3).ToArray());
    }

    [Fact]
    public void ConvModules_WeightLayoutsAndInitBounds_AsPyTorch()
    {
        var conv = new Conv3d(4, 6, (1, 2, 3), groups: 2, generator: new Generator(7));
        Assert.Equal([6, 2, 1, 2, 3], conv.Weight.Shape);
        var t = new ConvTranspose1d(4, 6, 5, groups: 2, generator: new Generator(8));
        Assert.Equal([4, 3, 5], t.Weight.Shape);
        // kaiming_uniform(a = √5): bound 1/√fan_in, fan_in from the weight's own layout.
        Assert.All(conv.Weight.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(2 * 6)));
        Assert.All(t.Bias!.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(3 * 5)));
        Assert.Equal(5, t.KernelSize);
        Assert.Equal(new Size3(1, 2, 3), conv.KernelSize);
    }

    [Fact]
    public void ConvTransposeModules_OutputSize_PicksOutputPadding()
    {
        var t1 = new ConvTranspose1d(2, 3, 3, stride: 2, generator: new Generator(9));
        var x1 = Torch.Randn([1, 2, 10], new Generator(10));
        Assert.Equal([1, 3, 22], t1.Forward(x1, [22]).Shape);
        Assert.Equal(F.ConvTranspose1d(x1, t1.Weight, t1.Bias, stride: 2, outputPadding: 1).ToArray(), t1.Forward(x1, [1, 3, 22]).ToArray());
        var e = Assert.Throws<ArgumentException>(() => t1.Forward(x1, [30]));
        Assert.Equal("requested an output size of [30], but valid sizes range from [21] to [22] (for an input of torch.Size([10]))", e.Message);
        var t3 = new ConvTranspose3d(2, 3, 3, stride: (2, 1, 3), padding: 1, generator: new Generator(11));
        var x3 = Torch.Randn([2, 3, 3, 3], new Generator(12));
        Assert.Equal([3, 6, 3, 8], t3.Forward(x3, [6, 3, 8]).Shape);
        e = Assert.Throws<ArgumentException>(() => t3.Forward(Torch.Randn([1, 2, 3, 3, 3], new Generator(13)), [1, 2]));
        Assert.Equal("ConvTranspose3D: for 5D input, output_size must have 3 or 5 elements (got 2)", e.Message);
    }

    [Theory]
    [InlineData(1, 4, 2, 1)]
    [InlineData(3, 2, 3, 1)]
    [InlineData(5, 2, 1, 2)]
    public void ConvTranspose1dAnd3d_KerasSameAndValid_CropTheFullOutput(int kernel, int stride, int length, int dilation)
    {
        var g = new Generator(kernel * 10 + stride);
        var x1 = Randn(g, 1, 2, length);
        var w1 = Randn(g, 2, 3, kernel);
        var full = F.ConvTranspose1d(x1, w1, stride: stride, dilation: dilation); // (L−1)s + k_eff
        int keff = dilation * (kernel - 1) + 1, fullLength = full.Size(2);
        var (before, _) = Shape.KerasTransposeSameCrop(kernel, stride, dilation);
        var same = F.ConvTranspose1d(x1, w1, stride: stride, padding: "same", dilation: dilation);
        Assert.Equal(length * stride, same.Size(2));
        var valid = F.ConvTranspose1d(x1, w1, stride: stride, padding: Padding1d.Valid, dilation: dilation);
        Assert.Equal((length - 1) * stride + Math.Max(keff, stride), valid.Size(2));
        double[] f = full.ToDoubleArray(), s = same.ToDoubleArray(), v = valid.ToDoubleArray();
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < length * stride; i++)
            {
                int at = i + before;
                Assert.Equal(at < fullLength ? f[c * fullLength + at] : 0, s[c * length * stride + i], 12);
            }
            for (int i = 0; i < valid.Size(2); i++)
                Assert.Equal(i < fullLength ? f[c * fullLength + i] : 0, v[c * valid.Size(2) + i], 12);
        }
        // 3-d: the same crops per dimension; a separable check on one dimension at a time is the 1-d one, so compare shapes and a slice.
        var x3 = Randn(g, 1, 2, length, 1, 2);
        var w3 = Randn(g, 2, 3, kernel, 1, 1);
        var same3 = F.ConvTranspose3d(x3, w3, stride: (stride, 1, 1), padding: "same", dilation: (dilation, 1, 1));
        Assert.Equal([1, 3, length * stride, 1, 2], same3.Shape);
        var full3 = F.ConvTranspose3d(x3, w3, stride: (stride, 1, 1), dilation: (dilation, 1, 1));
        var cropped = full3.Narrow(2, Math.Min(before, fullLength - 1), Math.Min(length * stride, fullLength - before));
        Assert.Equal(cropped.ToDoubleArray(), same3.Narrow(2, 0, cropped.Size(2)).ToDoubleArray());
    }

    private static void Throws(string message, Action act) => Assert.Equal(message, Assert.Throws<ArgumentException>(act).Message);

    [Fact]
    public void BadArguments_ThrowPyTorchsMessages()
    {
        var g = new Generator(5);
        var x1 = Randn(g, 2, 4, 10);
        var x3 = Randn(g, 2, 4, 5, 6, 7);
        Throws("Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [4]", () => F.Conv1d(Randn(g, 4), Randn(g, 6, 4, 3)));
        Throws("Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: [4, 5]", () => F.Conv3d(Randn(g, 4, 5), Randn(g, 6, 4, 3, 3, 3)));
        Throws("Expected 4-dimensional input for 4-dimensional weight [6, 4, 3, 3], but got 3-dimensional input of size [2, 4, 10] instead",
               () => F.Conv1d(x1, Randn(g, 6, 4, 3, 3)));
        Throws("non-positive stride is not supported", () => F.Conv1d(x1, Randn(g, 6, 4, 3), stride: 0));
        Throws("negative padding is not supported", () => F.Conv1d(x1, Randn(g, 6, 4, 3), padding: -1));
        Throws("non-positive dilation is not supported", () => F.Conv1d(x1, Randn(g, 6, 4, 3), dilation: 0));
        Throws("Calculated padded input size per channel: (10). Kernel size: (30). Kernel size can't be greater than actual input size",
               () => F.Conv1d(x1, Randn(g, 6, 4, 30)));
        Throws("Calculated padded input size per channel: (5 x 6 x 7). Kernel size: (9 x 3 x 3). Kernel size can't be greater than actual input size",
               () => F.Conv3d(x3, Randn(g, 6, 4, 9, 3, 3)));
        Throws("Given groups=1, weight of size [6, 3, 3], expected input[2, 4, 10] to have 3 channels, but got 4 channels instead",
               () => F.Conv1d(x1, Randn(g, 6, 3, 3)));
        Throws("Given weight of size [6, 4, 3], expected bias to be 1-dimensional with 6 elements, but got bias of size [5] instead",
               () => F.Conv1d(x1, Randn(g, 6, 4, 3), Randn(g, 5)));
        Throws("padding='same' is not supported for strided convolutions", () => F.Conv1d(x1, Randn(g, 6, 4, 3), stride: 2, padding: "same"));
        Throws("Invalid padding string 'foo', should be one of {'valid', 'same'}", () => F.Conv1d(x1, Randn(g, 6, 4, 3), padding: "foo"));
        Throws("dilation should be greater than zero, but got dilation_height: 1, dilation_width: 0",
               () => F.ConvTranspose1d(x1, Randn(g, 4, 6, 3), dilation: 0));
        Throws("dilation should be greater than zero, but got dilation_depth: 0, dilation_height: 0, dilation_width: 0",
               () => F.ConvTranspose3d(x3, Randn(g, 4, 6, 3, 3, 3), dilation: 0));
        Throws("output padding must be smaller than either stride or dilation, but got output_padding_height: 0 output_padding_width: 2 stride_height: 1 stride_width: 2 dilation_height: 1 dilation_width: 1",
               () => F.ConvTranspose1d(x1, Randn(g, 4, 6, 3), outputPadding: 2, stride: 2));
        Throws("output padding must be smaller than either stride or dilation, but got output_padding_depth: 2 output_padding_height: 2 output_padding_width: 2 stride_depth: 2 stride_height: 2 stride_width: 2 dilation_depth: 1 dilation_height: 1 dilation_width: 1",
               () => F.ConvTranspose3d(x3, Randn(g, 4, 6, 3, 3, 3), outputPadding: 2, stride: 2));
        Throws("Given input size per channel: (1 x 1). Calculated output size per channel: (1 x -3). Output size is too small",
               () => F.ConvTranspose1d(Randn(g, 1, 4, 1), Randn(g, 4, 6, 3), padding: 3));
        Throws("Given input size per channel: (1 x 1 x 1). Calculated output size per channel: (-3 x -3 x -3). Output size is too small",
               () => F.ConvTranspose3d(Randn(g, 1, 4, 1, 1, 1), Randn(g, 4, 6, 3, 3, 3), padding: 3));
        Throws("Given transposed=1, weight of size [5, 6, 3], expected input[2, 4, 10] to have 5 channels, but got 4 channels instead",
               () => F.ConvTranspose1d(x1, Randn(g, 5, 6, 3)));
        Throws("Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [[4, 6, 3]] instead",
               () => F.ConvTranspose1d(x1, Randn(g, 4, 6, 3), groups: 3));
        Throws("Expected 4D (unbatched) or 5D (batched) input to conv_transpose3d, but got input of size: [4]",
               () => F.ConvTranspose3d(Randn(g, 4), Randn(g, 4, 6, 3, 3, 3)));
        Throws("Only \"zeros\" padding mode is supported for ConvTranspose1d", () => new ConvTranspose1d(4, 6, 3, paddingMode: PaddingMode.Reflect));
        Throws("padding='same' is not supported for strided convolutions", () => new Conv1d(4, 6, 3, stride: 2, padding: "same"));
        // An undefined enum value is out of range (PyTorch's message, then the parameter's name).
        Assert.StartsWith("padding_mode must be one of {'circular', 'replicate', 'reflect', 'zeros'}, but got padding_mode='7'",
                          Assert.Throws<ArgumentOutOfRangeException>("paddingMode", () => new Conv3d(4, 6, 3, paddingMode: (PaddingMode)7)).Message);
        Throws("Input type (Float32) and weight type (Float64) should be the same", () => F.Conv3d(x3.To(DType.Float32), Randn(g, 6, 4, 1, 1, 1)));
    }
}
