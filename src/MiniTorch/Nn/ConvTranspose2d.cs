namespace MiniTorch.Nn;

/// <summary>A 2-D transposed convolution layer, like <c>torch.nn.ConvTranspose2d</c>; weight [in, out/groups, kH, kW].</summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5) on the [in, out/groups, kH, kW] tensor, so
/// fan_in = out/groups·kH·kW, weight ~ U(±1/√fan_in) and bias ~ U(±1/√fan_in).
/// </remarks>
public sealed class ConvTranspose2d : ConvModule
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
        : base(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias,
               [inChannels, outChannels / Math.Max(groups, 1), kernelSize.H, kernelSize.W], generator)
    {
        OutputPadding = outputPadding ?? 0;
    }

    /// <summary>Output padding used when no output size is requested.</summary>
    public Size2 OutputPadding { get; }

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
