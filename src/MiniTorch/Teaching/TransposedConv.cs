using MiniTorch.Nn;

namespace MiniTorch.Teaching;

/// <summary>
/// Slow, readable views of transposed convolution that return their intermediate steps as data:
/// <see cref="Scatter"/> (scaled kernel copies summed), <see cref="ZeroInsertion"/> (stretch, pad,
/// flip, convolve), <see cref="AsMatrix(Tensor, Size2, Size2?, Size2?, Size2?, int)"/> (the dense
/// matrix C of Conv2d, whose transpose is ConvTranspose2d) and <see cref="Overlap(int, int, int, int, int, int)"/>
/// (how many kernel taps reach each output position: the checkerboard diagnostic).
/// </summary>
/// <remarks>
/// Every view computes in float64 with plain loops and agrees with <see cref="F.ConvTranspose2d"/>
/// (property tests, to 1e-12). Arguments mirror <c>torch.nn.functional.conv_transpose2d</c>: input
/// [N, C_in, H, W], weight [C_in, C_out/groups, kH, kW]; no bias. Results have the input's dtype
/// and no autograd history: they are for looking at, the fast ops are for training.
/// </remarks>
public static partial class TransposedConv
{
    /// <summary>
    /// Validates like the fast op (so the views reject exactly what PyTorch rejects) and returns its
    /// geometry: the transposed convolution's input is the small side, its output the big side.
    /// </summary>
    private static ConvGeometry Validate(string method, Tensor input, Tensor weight, Size2? stride, Size2? padding,
                                         Size2? outputPadding, Size2? dilation, int groups, out Size2 op)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        Shape.TeachingInput(input.ShapeRef, method);
        Size2 s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        op = outputPadding ?? 0;
        return Shape.ConvTranspose(input.ShapeRef, weight.ShapeRef, null, s.ToArray(), new Padding2d(p.H, p.W).ToConv(), op.ToArray(), groups, d.ToArray());
    }

    /// <summary>The uncropped scatter canvas: every kernel copy fits, plus outputPadding at the far side.</summary>
    private static (int H, int W) FullSize(in ConvGeometry g, Size2 op) =>
        ((g.SmallH - 1) * g.SH + g.DH * (g.KH - 1) + 1 + op.H, (g.SmallW - 1) * g.SW + g.DW * (g.KW - 1) + 1 + op.W);

    private static Tensor Make(double[] data, DType dtype, params int[] shape) =>
        dtype == DType.Float64 ? Torch.FromArray(data, shape) : Torch.FromArray(Array.ConvertAll(data, v => (float)v), shape);

    private static double[] Values(Tensor t)
    {
        using var _ = Torch.NoGrad();
        return t.Detach().ToDoubleArray();
    }
}
