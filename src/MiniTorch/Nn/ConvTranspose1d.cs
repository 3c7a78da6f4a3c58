namespace MiniTorch.Nn;

/// <summary>A 1-D transposed convolution layer, like <c>torch.nn.ConvTranspose1d</c>; weight [in, out/groups, kL].</summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5) on the [in, out/groups, kL] tensor, so
/// fan_in = out/groups·kL, weight ~ U(±1/√fan_in) and bias ~ U(±1/√fan_in).
/// </remarks>
public sealed class ConvTranspose1d : ConvModule
{
    /// <summary>Creates the layer.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels produced.</param>
    /// <param name="kernelSize">Kernel length.</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Cropped from each side (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra output at the far end of each dimension (default 0).</param>
    /// <param name="groups">Blocked connections from input to output channels.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="paddingMode">Only <see cref="PaddingMode.Zeros"/>, as in PyTorch.</param>
    /// <param name="generator">Random source for the initialisation (default: the global one).</param>
    /// <param name="dtype">The element type of the weight and bias (PyTorch's dtype; float32 by default).</param>
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride = 1, Padding1d? padding = null,
                  int outputPadding = 0, int groups = 1, bool bias = true, int dilation = 1,
                  PaddingMode paddingMode = PaddingMode.Zeros, Generator? generator = null, DType dtype = DType.Float32)
        : base(inChannels, outChannels, [kernelSize], [stride], (padding ?? 0).ToConv(), [dilation],
               groups, bias, transposed: true, paddingMode, generator, dtype)
    {
        (KernelSize, Stride, Padding, OutputPadding, Dilation) = (kernelSize, stride, padding ?? 0, outputPadding, dilation);
    }

    /// <summary>Kernel size.</summary>
    public int KernelSize { get; }
    /// <summary>Stride.</summary>
    public int Stride { get; }
    /// <summary>Padding (explicit, or Keras' 'same'/'valid').</summary>
    public Padding1d Padding { get; }
    /// <summary>Output padding used when no output size is requested.</summary>
    public int OutputPadding { get; }
    /// <summary>Dilation.</summary>
    public int Dilation { get; }

    /// <inheritdoc />
    private protected override int[] OutputPaddingArray => [OutputPadding];

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Forward(input, null);
    }

    /// <summary>
    /// Computes the output; <paramref name="outputSize"/> (spatial sizes, or the full shape) picks one of the
    /// sizes in [min, min + stride − 1] that the convolution maps back to the input size, like PyTorch's
    /// <c>output_size</c> argument.
    /// </summary>
    public Tensor Forward(Tensor input, int[]? outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return TransposedForward(input, outputSize, OutputPaddingArray, "conv_transpose1d");
    }
}
