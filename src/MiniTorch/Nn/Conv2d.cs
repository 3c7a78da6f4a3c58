namespace MiniTorch.Nn;

/// <summary>A 2-D convolution layer, like <c>torch.nn.Conv2d</c>; weight [out, in/groups, kH, kW].</summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5), i.e. weight ~ U(±1/√fan_in) and
/// bias ~ U(±1/√fan_in) with fan_in = in/groups·kH·kW. A non-zero <see cref="PaddingMode"/> pads
/// with <see cref="F.Pad"/> first and then convolves without padding, as PyTorch does.
/// </remarks>
public sealed class Conv2d : ConvModule
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
        : base(inChannels, outChannels, kernelSize, stride, CheckSame(padding, stride), dilation, groups, bias,
               [outChannels, inChannels / Math.Max(groups, 1), kernelSize.H, kernelSize.W], generator)
    {
        PaddingMode = paddingMode;
    }

    // Checked before the base constructor draws the initial weights, so a bad call consumes no randomness.
    private static Padding2d? CheckSame(Padding2d? padding, Size2? stride) =>
        padding is { IsSame: true } && stride is { } s && (s.H != 1 || s.W != 1)
            ? throw new ArgumentException("padding='same' is not supported for strided convolutions")
            : padding;

    /// <summary>How the input is padded.</summary>
    public PaddingMode PaddingMode { get; }

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
