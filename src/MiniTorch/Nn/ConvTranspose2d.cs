namespace MiniTorch.Nn;

/// <summary>A 2-D transposed convolution layer, like <c>torch.nn.ConvTranspose2d</c>; weight [in, out/groups, kH, kW].</summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5) on the [in, out/groups, kH, kW] tensor, so
/// fan_in = out/groups·kH·kW, weight ~ U(±1/√fan_in) and bias ~ U(±1/√fan_in).
/// </remarks>
public sealed class ConvTranspose2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels produced.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Rows/columns cropped from each side (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra rows/columns at the bottom/right (default 0).</param>
    /// <param name="groups">Blocked connections from input to output channels.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="generator">Random source for the initialisation (default: the global one).</param>
    public ConvTranspose2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Padding2d? padding = null,
                           Size2? outputPadding = null, int groups = 1, bool bias = true, Size2? dilation = null, Generator? generator = null)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding, Groups, Dilation) =
            (inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, outputPadding ?? 0, groups, dilation ?? 1);
        var weight = Init.KaimingUniform(Torch.Zeros([inChannels, outChannels / groups, kernelSize.H, kernelSize.W]), a: Math.Sqrt(5), generator: generator);
        RegisterParameter("weight", weight);
        int fanIn = Init.CalculateFanInAndFanOut(weight).FanIn;
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        RegisterParameter("bias", bias ? Init.Uniform(Torch.Zeros([outChannels]), -bound, bound, generator) : null);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Padding (explicit, or Keras' 'same'/'valid').</summary>
    public Padding2d Padding { get; }
    /// <summary>Output padding used when no output size is requested.</summary>
    public Size2 OutputPadding { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }
    /// <summary>Dilation.</summary>
    public Size2 Dilation { get; }

    /// <summary>The learnable weight [in, out/groups, kH, kW].</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The learnable bias [out], or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>
    /// Computes the output; <paramref name="outputSize"/> ([H, W], or the full shape) picks one of the
    /// sizes in [min, min + stride − 1] that Conv2d maps back to the input size, like PyTorch's
    /// <c>output_size</c> argument.
    /// </summary>
    public Tensor Forward(Tensor input, int[]? outputSize)
    {
        var outputPadding = OutputPadding;
        if (outputSize is not null)
        {
            if (Padding.IsSame || Padding.IsValid)
                throw new ArgumentException($"outputSize cannot be combined with padding={Padding}");
            Shape.CheckConvInputRank(input.ShapeRef, "conv_transpose2d");
            outputPadding = Shape.ConvTransposeOutputPadding(input.ShapeRef, outputSize, KernelSize, Stride, new Size2(Padding.H, Padding.W), Dilation);
        }
        return F.ConvTranspose2d(input, Weight, Bias, Stride, Padding, outputPadding, Groups, Dilation);
    }
}
