using MiniTorch.Functions;
using MiniTorch.Kernels;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// <see cref="Conv2d"/> for inference, written into <paramref name="output"/> (contiguous, of the
    /// output's shape, batched input only) instead of a new tensor; returns <paramref name="output"/>.
    /// </summary>
    /// <remarks>
    /// Same values as <see cref="Conv2d"/>. Nothing is recorded for autograd, so it throws when grad
    /// mode is on and an operand requires grad. Reusing one output across calls avoids allocating
    /// (and the operating system zero-filling) a fresh activation per call, which for image-sized
    /// activations costs as much as a small convolution. PyTorch's conv2d has no <c>out=</c>; this is
    /// a MiniTorch addition.
    /// </remarks>
    /// <param name="input">[N, C_in, H, W].</param>
    /// <param name="weight">[C_out, C_in/groups, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="output">Receives the result, [N, C_out, H_out, W_out]; its previous contents are ignored.</param>
    /// <param name="stride">Step between output positions (default 1).</param>
    /// <param name="padding">Zeros added on each side (default 0), or 'same' / 'valid'.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    public static Tensor Conv2dInto(Tensor input, Tensor weight, Tensor? bias, Tensor output, Size2? stride = null, Padding2d? padding = null,
                                    Size2? dilation = null, int groups = 1)
    {
        if (Shape.CheckConvInputRank(input.ShapeRef, "conv2d")) throw new ArgumentException("Conv2dInto: expected a batched input [N, C, H, W]");
        var g = Shape.Conv2d(input.ShapeRef, weight.ShapeRef, bias?.ShapeRef, stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        CheckDTypes(input, weight, bias);
        Shape.CheckInto("Conv2dInto", output, g.SmallShape, input, weight, bias);
        return RunInto(g, input, weight, bias, output, transposed: false);
    }

    /// <summary>
    /// <see cref="ConvTranspose2d"/> for inference, written into <paramref name="output"/> (contiguous, of
    /// the output's shape, batched input only) instead of a new tensor; returns <paramref name="output"/>.
    /// </summary>
    /// <remarks>Same values and conditions as <see cref="Conv2dInto"/>, for the transposed convolution.</remarks>
    /// <param name="input">[N, C_in, H, W].</param>
    /// <param name="weight">[C_in, C_out/groups, kH, kW].</param>
    /// <param name="bias">Optional [C_out].</param>
    /// <param name="output">Receives the result; its previous contents are ignored.</param>
    /// <param name="stride">Spacing of the kernel copies in the output (default 1).</param>
    /// <param name="padding">Rows/columns cropped from each side of the full output (default 0), or Keras' 'same'/'valid'.</param>
    /// <param name="outputPadding">Extra rows/columns at the bottom/right (default 0).</param>
    /// <param name="groups">Number of blocked connections from input to output channels.</param>
    /// <param name="dilation">Spacing between kernel taps (default 1).</param>
    public static Tensor ConvTranspose2dInto(Tensor input, Tensor weight, Tensor? bias, Tensor output, Size2? stride = null, Padding2d? padding = null,
                                             Size2? outputPadding = null, int groups = 1, Size2? dilation = null)
    {
        if (Shape.CheckConvInputRank(input.ShapeRef, "conv_transpose2d")) throw new ArgumentException("ConvTranspose2dInto: expected a batched input [N, C, H, W]");
        var g = Shape.ConvTranspose2d(input.ShapeRef, weight.ShapeRef, bias?.ShapeRef, stride ?? 1, padding ?? 0, outputPadding ?? 0, groups, dilation ?? 1);
        CheckDTypes(input, weight, bias);
        Shape.CheckInto("ConvTranspose2dInto", output, g.BigShape, input, weight, bias);
        return RunInto(g, input, weight, bias, output, transposed: true);
    }

    // The kernels that Conv2d / ConvTranspose2d call, on an output cleared first: they are written
    // for (and tested on) a freshly zeroed output, so out gets exactly that.
    private static Tensor RunInto(ConvGeometry g, Tensor input, Tensor weight, Tensor? bias, Tensor output, bool transposed)
    {
        if (output.DType == DType.Float32) Conv2dBackward.Mem<float>(output).Span.Clear();
        else Conv2dBackward.Mem<double>(output).Span.Clear();
        Conv2dBackward.Run(g, input, weight, bias, output, transposed);
        output.Storage.BumpVersion();   // an in-place write: a backward that saved out must refuse it
        return output;
    }
}
