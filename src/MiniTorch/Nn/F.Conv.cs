using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// 1-D convolution over [N, C_in, L] (or unbatched [C_in, L]) with a weight of shape
    /// [C_out, C_in/groups, kL], like <c>torch.nn.functional.conv1d</c>.
    /// </summary>
    /// <remarks>
    /// y[n,k,o] = b[k] + Σ_{c,t} w[k,c,t]·x[n,c,o·s−p+t·d] per spatial dimension, with output size
    /// ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. Effectively computes a cross-correlation (no kernel flip).
    /// Its input gradient is <see cref="ConvTranspose1d"/>: the two are each other's adjoint.
    /// </remarks>
    /// <param name="input">[N, C_in, L] or [C_in, L].</param>
    /// <param name="weight">[C_out, C_in/groups, kL].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Zeros added on each side (default 0), or <see cref="Padding1d.Same"/> / <see cref="Padding1d.Valid"/> (also "same" / "valid").</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, Padding1d? padding = null,
                                int dilation = 1, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return Convolution("conv1d", input, weight, bias, [stride], (padding ?? 0).ToConv(), [dilation], groups);
    }

    /// <summary>
    /// 1-D transposed convolution over [N, C_in, L] (or unbatched [C_in, L]) with a weight of
    /// shape [C_in, C_out/groups, kL], like <c>torch.nn.functional.conv_transpose1d</c>.
    /// </summary>
    /// <remarks>
    /// The adjoint of <see cref="Conv1d"/>: ⟨Conv1d(x; w), y⟩ = ⟨x, ConvTranspose1d(y; w)⟩. Output size
    /// (L−1)s − 2p + d(k−1) + outputPadding + 1 per spatial dimension; outputPadding only selects among
    /// the sizes that the convolution maps back to L. Effectively computes the scatter view: every input
    /// element scales the kernel, the copies are placed s apart and summed, then p is cropped from each side.
    /// <para>Beyond PyTorch (pytorch#80301), <paramref name="padding"/> may be Keras'
    /// <see cref="Padding1d.Same"/> (output = L·s, uneven crops put the larger part at the end) or
    /// <see cref="Padding1d.Valid"/> (output = (L−1)s + max(d(k−1)+1, s)).</para>
    /// </remarks>
    /// <param name="input">[N, C_in, L] or [C_in, L].</param>
    /// <param name="weight">[C_in, C_out/groups, kL].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Cropped from each side of the full output (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra output at the far end of each dimension (default 0); must be smaller than stride or dilation.</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    public static Tensor ConvTranspose1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, Padding1d? padding = null,
                                         int outputPadding = 0, int groups = 1, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return TransposedConvolution("conv_transpose1d", input, weight, bias, [stride], (padding ?? 0).ToConv(), [outputPadding], groups, [dilation]);
    }

    /// <summary>
    /// 2-D convolution over [N, C_in, H, W] (or unbatched [C_in, H, W]) with a weight of shape
    /// [C_out, C_in/groups, kH, kW], like <c>torch.nn.functional.conv2d</c>.
    /// </summary>
    /// <remarks>
    /// y[n,k,o] = b[k] + Σ_{c,t} w[k,c,t]·x[n,c,o·s−p+t·d] per spatial dimension, with output size
    /// ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. Effectively computes a cross-correlation (no kernel flip).
    /// Its input gradient is <see cref="ConvTranspose2d"/>: the two are each other's adjoint.
    /// </remarks>
    /// <param name="input">[N, C_in, H, W] or [C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in/groups, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Zeros added on each side (default 0), or <see cref="Padding2d.Same"/> / <see cref="Padding2d.Valid"/> (also "same" / "valid").</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Padding2d? padding = null,
                                Size2? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return Convolution("conv2d", input, weight, bias, (stride ?? 1).ToArray(), (padding ?? 0).ToConv(), (dilation ?? 1).ToArray(), groups);
    }

    /// <summary>
    /// 2-D transposed convolution over [N, C_in, H, W] (or unbatched [C_in, H, W]) with a weight of
    /// shape [C_in, C_out/groups, kH, kW], like <c>torch.nn.functional.conv_transpose2d</c>.
    /// </summary>
    /// <remarks>
    /// The adjoint of <see cref="Conv2d"/>: ⟨Conv2d(x; w), y⟩ = ⟨x, ConvTranspose2d(y; w)⟩. Output size
    /// (L−1)s − 2p + d(k−1) + outputPadding + 1 per spatial dimension; outputPadding only selects among
    /// the sizes that the convolution maps back to L. Effectively computes the scatter view: every input
    /// element scales the kernel, the copies are placed s apart and summed, then p is cropped from each side.
    /// <para>Beyond PyTorch (pytorch#80301), <paramref name="padding"/> may be Keras'
    /// <see cref="Padding2d.Same"/> (output = L·s, uneven crops put the larger part at the end) or
    /// <see cref="Padding2d.Valid"/> (output = (L−1)s + max(d(k−1)+1, s)).</para>
    /// </remarks>
    /// <param name="input">[N, C_in, H, W] or [C_in, H, W].</param>
    /// <param name="weight">[C_in, C_out/groups, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Cropped from each side of the full output (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra output at the far end of each dimension (default 0); must be smaller than stride or dilation.</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Padding2d? padding = null,
                                         Size2? outputPadding = null, int groups = 1, Size2? dilation = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return TransposedConvolution("conv_transpose2d", input, weight, bias, (stride ?? 1).ToArray(), (padding ?? 0).ToConv(), (outputPadding ?? 0).ToArray(), groups, (dilation ?? 1).ToArray());
    }

    /// <summary>
    /// 3-D convolution over [N, C_in, D, H, W] (or unbatched [C_in, D, H, W]) with a weight of shape
    /// [C_out, C_in/groups, kD, kH, kW], like <c>torch.nn.functional.conv3d</c>.
    /// </summary>
    /// <remarks>
    /// y[n,k,o] = b[k] + Σ_{c,t} w[k,c,t]·x[n,c,o·s−p+t·d] per spatial dimension, with output size
    /// ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1. Effectively computes a cross-correlation (no kernel flip).
    /// Its input gradient is <see cref="ConvTranspose3d"/>: the two are each other's adjoint.
    /// </remarks>
    /// <param name="input">[N, C_in, D, H, W] or [C_in, D, H, W].</param>
    /// <param name="weight">[C_out, C_in/groups, kD, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Zeros added on each side (default 0), or <see cref="Padding3d.Same"/> / <see cref="Padding3d.Valid"/> (also "same" / "valid").</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    public static Tensor Conv3d(Tensor input, Tensor weight, Tensor? bias = null, Size3? stride = null, Padding3d? padding = null,
                                Size3? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return Convolution("conv3d", input, weight, bias, (stride ?? 1).ToArray(), (padding ?? 0).ToConv(), (dilation ?? 1).ToArray(), groups);
    }

    /// <summary>
    /// 3-D transposed convolution over [N, C_in, D, H, W] (or unbatched [C_in, D, H, W]) with a weight of
    /// shape [C_in, C_out/groups, kD, kH, kW], like <c>torch.nn.functional.conv_transpose3d</c>.
    /// </summary>
    /// <remarks>
    /// The adjoint of <see cref="Conv3d"/>: ⟨Conv3d(x; w), y⟩ = ⟨x, ConvTranspose3d(y; w)⟩. Output size
    /// (L−1)s − 2p + d(k−1) + outputPadding + 1 per spatial dimension; outputPadding only selects among
    /// the sizes that the convolution maps back to L. Effectively computes the scatter view: every input
    /// element scales the kernel, the copies are placed s apart and summed, then p is cropped from each side.
    /// <para>Beyond PyTorch (pytorch#80301), <paramref name="padding"/> may be Keras'
    /// <see cref="Padding3d.Same"/> (output = L·s, uneven crops put the larger part at the end) or
    /// <see cref="Padding3d.Valid"/> (output = (L−1)s + max(d(k−1)+1, s)).</para>
    /// </remarks>
    /// <param name="input">[N, C_in, D, H, W] or [C_in, D, H, W].</param>
    /// <param name="weight">[C_in, C_out/groups, kD, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Cropped from each side of the full output (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra output at the far end of each dimension (default 0); must be smaller than stride or dilation.</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    public static Tensor ConvTranspose3d(Tensor input, Tensor weight, Tensor? bias = null, Size3? stride = null, Padding3d? padding = null,
                                         Size3? outputPadding = null, int groups = 1, Size3? dilation = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return TransposedConvolution("conv_transpose3d", input, weight, bias, (stride ?? 1).ToArray(), (padding ?? 0).ToConv(), (outputPadding ?? 0).ToArray(), groups, (dilation ?? 1).ToArray());
    }

    /// <summary>Every rank's convolution: PyTorch's checks (<c>Shape.Conv</c>), unbatched inputs, then <see cref="ConvOp"/>.</summary>
    internal static Tensor Convolution(string op, Tensor input, Tensor weight, Tensor? bias, int[] stride, ConvPadding padding, int[] dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        bool unbatched = Shape.CheckConvInputRank(input.ShapeRef, stride.Length, op);
        var x = unbatched ? input.Unsqueeze(0) : input;
        var g = Shape.Conv(x.ShapeRef, weight.ShapeRef, bias?.ShapeRef, stride, padding, dilation, groups);
        CheckDTypes(x, weight, bias);
        var y = ConvOp.Apply(x, weight, bias, g);
        return unbatched ? y.Squeeze(0) : y;
    }

    /// <summary>Every rank's transposed convolution: PyTorch's checks (<c>Shape.ConvTranspose</c>), unbatched inputs, then <see cref="ConvTransposeOp"/>.</summary>
    internal static Tensor TransposedConvolution(string op, Tensor input, Tensor weight, Tensor? bias, int[] stride, ConvPadding padding, int[] outputPadding,
                                                 int groups, int[] dilation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        bool unbatched = Shape.CheckConvInputRank(input.ShapeRef, stride.Length, op);
        var z = unbatched ? input.Unsqueeze(0) : input;
        var g = Shape.ConvTranspose(z.ShapeRef, weight.ShapeRef, bias?.ShapeRef, stride, padding, outputPadding, groups, dilation);
        CheckDTypes(z, weight, bias);
        var y = ConvTransposeOp.Apply(z, weight, bias, g);
        return unbatched ? y.Squeeze(0) : y;
    }

    private static void CheckDTypes(Tensor input, Tensor weight, Tensor? bias)
    {
        if (weight.DType != input.DType)
            throw new ArgumentException($"Input type ({input.DType}) and weight type ({weight.DType}) should be the same");
        if (bias is not null && bias.DType != input.DType)
            throw new ArgumentException($"Input type ({input.DType}) and bias type ({bias.DType}) should be the same");
    }
}
