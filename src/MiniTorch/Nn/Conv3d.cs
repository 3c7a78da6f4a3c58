namespace MiniTorch.Nn;

/// <summary>A 3-D convolution layer, like <c>torch.nn.Conv3d</c>; weight [out, in/groups, kD, kH, kW].</summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5), i.e. weight ~ U(±1/√fan_in) and
/// bias ~ U(±1/√fan_in) with fan_in = in/groups·kD·kH·kW. A non-zero <see cref="ConvModule.PaddingMode"/> pads
/// with <see cref="F.Pad"/> first and then convolves without padding, as PyTorch does.
/// </remarks>
public sealed class Conv3d : ConvModule
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels produced.</param>
    /// <param name="kernelSize">Kernel depth, height and width.</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Padding on each side (default 0), or <see cref="Padding3d.Same"/> / <see cref="Padding3d.Valid"/>.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Blocked connections from input to output channels.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="paddingMode">Zeros, reflect, replicate or circular.</param>
    /// <param name="generator">Random source for the initialisation (default: the global one).</param>
    /// <param name="dtype">The element type of the weight and bias (PyTorch's dtype; float32 by default).</param>
    public Conv3d(int inChannels, int outChannels, Size3 kernelSize, Size3? stride = null, Padding3d? padding = null, Size3? dilation = null,
                  int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros, Generator? generator = null, DType dtype = DType.Float32)
        : base(inChannels, outChannels, kernelSize.ToArray(), (stride ?? 1).ToArray(), (padding ?? 0).ToConv(), (dilation ?? 1).ToArray(),
               groups, bias, transposed: false, paddingMode, generator, dtype)
    {
        (KernelSize, Stride, Padding, Dilation) = (kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1);
    }

    /// <summary>Kernel size.</summary>
    public Size3 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size3 Stride { get; }
    /// <summary>Padding (explicit, or 'same'/'valid').</summary>
    public Padding3d Padding { get; }
    /// <summary>Dilation.</summary>
    public Size3 Dilation { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ConvForward(input, "conv3d");
    }
}
