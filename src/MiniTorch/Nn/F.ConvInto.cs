using MiniTorch.Functions;
using MiniTorch.Kernels;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// <see cref="Conv2d"/> for inference, written into <paramref name="output"/> (of the output's shape,
    /// with contiguous rows, batched input only) instead of a new tensor; returns <paramref name="output"/>.
    /// </summary>
    /// <remarks>
    /// Same values as <see cref="Conv2d"/>. The output may be a view whose rows are contiguous but whose
    /// channels and images are further apart (e.g. rows [a, b) of a taller tensor, <c>Narrow(2, a, b − a)</c>):
    /// the direct kernel (route DirectRows) stores into it as it is, other routes compute into a
    /// contiguous temporary and copy it in (same values either way). Nothing is recorded for autograd, so it throws when grad
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
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(output);
        if (Shape.CheckConvInputRank(input.ShapeRef, 2, "conv2d")) throw new ArgumentException("Conv2dInto: expected a batched input [N, C, H, W]");
        var g = Shape.Conv(input.ShapeRef, weight.ShapeRef, bias?.ShapeRef, (stride ?? 1).ToArray(), (padding ?? 0).ToConv(), (dilation ?? 1).ToArray(), groups);
        CheckDTypes(input, weight, bias);
        CheckInto("Conv2dInto", output, g.SmallShape, input, weight, bias, rowViews: true);
        if (output.IsContiguous) return RunInto(ConvPass.Forward, g, input, weight, bias, output);
        if (ConvPlanner.Resolve(g, ConvPass.Forward) == ConvRoute.DirectRows)
        {
            // Rows contiguous, channels ldc and images ldn apart: the kernel's stores take the strides as they are.
            var (ldc, ldn) = ((long)output.StridesRef[1], (long)output.StridesRef[0]);
            long span = (g.N - 1) * ldn + (g.SmallC - 1) * ldc + g.SmallPlane;
            using (Torch.NoGrad())
            {
                var (xc, wc, bc) = (input.Contiguous(), weight.Contiguous(), bias?.Contiguous());
                if (output.DType == DType.Float32)
                    ConvDirect.Conv2dForward(g, ConvCall.Mem<float>(xc), ConvCall.Mem<float>(wc), ConvCall.Mem<float>(bc),
                                             new Memory<float>(output.Data<float>(), output.Offset, (int)span), ldc, ldn);
                else
                    ConvDirect.Conv2dForward(g, ConvCall.Mem<double>(xc), ConvCall.Mem<double>(wc), ConvCall.Mem<double>(bc),
                                             new Memory<double>(output.Data<double>(), output.Offset, (int)span), ldc, ldn);
            }
            output.Storage.BumpVersion();
            return output;
        }
        // A temporary from the caching allocator (given back at the scope's end, reused by the next call).
        using (Torch.MemoryScope())
        {
            var result = RunInto(ConvPass.Forward, g, input, weight, bias, Torch.Zeros(output.Shape, output.DType));
            using (Torch.NoGrad()) output.CopyFrom(result);
        }
        return output;
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
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(output);
        if (Shape.CheckConvInputRank(input.ShapeRef, 2, "conv_transpose2d")) throw new ArgumentException("ConvTranspose2dInto: expected a batched input [N, C, H, W]");
        var g = Shape.ConvTranspose(input.ShapeRef, weight.ShapeRef, bias?.ShapeRef, (stride ?? 1).ToArray(), (padding ?? 0).ToConv(),
                                    (outputPadding ?? 0).ToArray(), groups, (dilation ?? 1).ToArray());
        CheckDTypes(input, weight, bias);
        CheckInto("ConvTranspose2dInto", output, g.BigShape, input, weight, bias);
        return RunInto(ConvPass.InputGrad, g, input, weight, bias, output);
    }

    // [N, C, H, W] with unit column stride, row stride W, channels at least a plane apart and images at least C channels apart.
    private static bool HasContiguousRows(Tensor t)
    {
        if (t.IsContiguous) return true;
        if (t.Dim != 4) return false;
        var (n, c, h, w) = (t.Size(0), t.Size(1), t.Size(2), t.Size(3));
        long sc = t.StridesRef[1], sn = t.StridesRef[0];
        return (t.StridesRef[3] == 1 || w == 1) && (t.StridesRef[2] == w || h == 1) && (sc >= (long)h * w || c == 1) && (sn >= c * sc || n == 1) && sc > 0 && sn > 0;
    }

    // The kernels that Conv2d / ConvTranspose2d call, on an output cleared first: most are written
    // for (and tested on) a freshly zeroed output, so out gets exactly that. Routes that store every
    // output element without reading it skip the clear (a whole pass over out, e.g. 5 % of FSRCNN's frame).
    private static Tensor RunInto(ConvPass pass, in ConvGeometry g, Tensor input, Tensor weight, Tensor? bias, Tensor output)
    {
        var route = ConvPlanner.Resolve(g, pass);
        if (!ConvKernels.WritesEveryOutput(route, pass, g))
        {
            if (output.DType == DType.Float32) ConvCall.Mem<float>(output).Span.Clear();
            else ConvCall.Mem<double>(output).Span.Clear();
        }
        ConvCall.Run(pass, g, input, weight, bias, output, route);
        output.Storage.BumpVersion();   // an in-place write: a backward that saved out must refuse it
        return output;
    }

    /// <summary>
    /// Checks the destination of an op that writes into a given tensor: the op's shape and dtype
    /// (<c>Shape.CheckIntoShape</c>), contiguous (with <paramref name="rowViews"/>: [N, C, H, W] whose rows are
    /// contiguous and whose channels and images do not overlap), sharing no storage with the operands, and nothing
    /// that autograd would have to record.
    /// </summary>
    private static void CheckInto(string op, Tensor output, int[] expectedShape, Tensor input, Tensor? weight, Tensor? bias, bool rowViews = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        Shape.CheckIntoShape(op, output.ShapeRef, output.DType, expectedShape, input.DType);
        if (rowViews ? !HasContiguousRows(output) : !output.IsContiguous)
            throw new ArgumentException(rowViews ? $"{op}: out must have contiguous rows (strides [≥ C·ldc, ≥ H·W, W, 1] or contiguous), got strides [{string.Join(", ", output.Strides)}]"
                                                 : $"{op}: out must be contiguous");
        Tensor?[] others = [weight, bias];
        foreach (var t in others.Prepend(input))
            if (t is not null && ReferenceEquals(t.Storage, output.Storage))
                throw new ArgumentException($"{op}: out shares memory with an operand; the op cannot write over its own input");
        if (Autograd.GradMode.IsEnabled && (output.RequiresGrad || input.RequiresGrad || others.Any(t => t is { RequiresGrad: true })))
            throw new InvalidOperationException($"{op}: writing into out records nothing for autograd, but an operand or out requires grad (use the op without out, or run under Torch.NoGrad())");
    }
}
