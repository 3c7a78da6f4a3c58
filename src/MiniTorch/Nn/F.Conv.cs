using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// 2-D convolution over [N, C_in, H, W] (or unbatched [C_in, H, W]) with a weight of shape
    /// [C_out, C_in/groups, kH, kW], like <c>torch.nn.functional.conv2d</c>.
    /// </summary>
    /// <remarks>
    /// y[n,k,oh,ow] = b[k] + Σ_{c,i,j} w[k,c,i,j]·x[n,c,oh·s−p+i·d, ow·s−p+j·d], with output size
    /// ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1. Effectively computes a cross-correlation (no kernel flip).
    /// Its input gradient is <see cref="ConvTranspose2d"/>: the two are each other's adjoint.
    /// </remarks>
    /// <param name="input">[N, C_in, H, W] or [C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in/groups, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Zeros added on each side (default 0), or <see cref="Padding2d.Same"/> / <see cref="Padding2d.Valid"/>.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Padding2d? padding = null,
                                Size2? dilation = null, int groups = 1)
    {
        bool unbatched = Shape.CheckConvInputRank(input.ShapeRef, "conv2d");
        var x = unbatched ? input.Unsqueeze(0) : input;
        var g = Shape.Conv2d(x.ShapeRef, weight.ShapeRef, bias?.ShapeRef, stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        CheckDTypes(x, weight, bias);
        var y = Conv2dBackward.Apply(x, weight, bias, g);
        return unbatched ? y.Squeeze(0) : y;
    }

    /// <summary>
    /// 2-D transposed convolution over [N, C_in, H, W] (or unbatched [C_in, H, W]) with a weight of
    /// shape [C_in, C_out/groups, kH, kW], like <c>torch.nn.functional.conv_transpose2d</c>.
    /// </summary>
    /// <remarks>
    /// The adjoint of <see cref="Conv2d"/>: ⟨Conv2d(x; w), y⟩ = ⟨x, ConvTranspose2d(y; w)⟩. Output size
    /// (H−1)s − 2p + d(k−1) + outputPadding + 1; outputPadding only selects among the sizes that
    /// Conv2d maps back to H. Effectively computes the scatter view: every input element scales
    /// the kernel, the copies are placed s apart and summed, then p is cropped from each side.
    /// <para>Beyond PyTorch (pytorch#80301), <paramref name="padding"/> may be Keras'
    /// <see cref="Padding2d.Same"/> (output = H·s, uneven crops put the larger part at the end) or
    /// <see cref="Padding2d.Valid"/> (output = (H−1)s + max(d(k−1)+1, s)).</para>
    /// </remarks>
    /// <param name="input">[N, C_in, H, W] or [C_in, H, W].</param>
    /// <param name="weight">[C_in, C_out/groups, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Rows/columns cropped from each side of the full output (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra rows/columns at the bottom/right (default 0); must be smaller than stride or dilation.</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Padding2d? padding = null,
                                         Size2? outputPadding = null, int groups = 1, Size2? dilation = null)
    {
        bool unbatched = Shape.CheckConvInputRank(input.ShapeRef, "conv_transpose2d");
        var z = unbatched ? input.Unsqueeze(0) : input;
        var g = Shape.ConvTranspose2d(z.ShapeRef, weight.ShapeRef, bias?.ShapeRef, stride ?? 1, padding ?? 0, outputPadding ?? 0, groups, dilation ?? 1);
        CheckDTypes(z, weight, bias);
        var y = ConvTranspose2dBackward.Apply(z, weight, bias, g);
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
