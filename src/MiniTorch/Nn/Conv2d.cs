namespace MiniTorch.Nn;

/// <summary>A 2-D convolution layer, like <c>torch.nn.Conv2d</c>; weight [out, in/groups, kH, kW].</summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5), i.e. weight ~ U(±1/√fan_in) and
/// bias ~ U(±1/√fan_in) with fan_in = in/groups·kH·kW. A non-zero <see cref="PaddingMode"/> pads
/// with <see cref="F.Pad"/> first and then convolves without padding, as PyTorch does.
/// </remarks>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels produced.</param>
    /// <param name="kernelSize">Kernel height and width.</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Padding on each side (default 0), or <see cref="Padding2d.Same"/> / <see cref="Padding2d.Valid"/>.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Blocked connections from input to output channels.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="paddingMode">Zeros, reflect, replicate or circular.</param>
    /// <param name="generator">Random source for the initialisation (default: the global one).</param>
    public Conv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Padding2d? padding = null, Size2? dilation = null,
                  int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros, Generator? generator = null)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups, PaddingMode) =
            (inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, groups, paddingMode);
        if (Padding.IsSame && (Stride.H != 1 || Stride.W != 1))
            throw new ArgumentException("padding='same' is not supported for strided convolutions");
        var weight = Init.KaimingUniform(Torch.Zeros([outChannels, inChannels / groups, kernelSize.H, kernelSize.W]), a: Math.Sqrt(5), generator: generator);
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
    /// <summary>Padding.</summary>
    public Padding2d Padding { get; }
    /// <summary>Dilation.</summary>
    public Size2 Dilation { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }
    /// <summary>How the input is padded.</summary>
    public PaddingMode PaddingMode { get; }

    /// <summary>The learnable weight [out, in/groups, kH, kW].</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The learnable bias [out], or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (PaddingMode == PaddingMode.Zeros)
            return F.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
        (int top, int bottom, int left, int right) = (Padding.H, Padding.H, Padding.W, Padding.W);
        if (Padding.IsSame)
        {
            (top, bottom) = Shape.SamePadding(KernelSize.H, Dilation.H);
            (left, right) = Shape.SamePadding(KernelSize.W, Dilation.W);
        }
        var mode = PaddingMode switch { PaddingMode.Reflect => PadMode.Reflect, PaddingMode.Replicate => PadMode.Replicate, _ => PadMode.Circular };
        return F.Conv2d(F.Pad(input, [left, right, top, bottom], mode), Weight, Bias, Stride, 0, Dilation, Groups);
    }
}
