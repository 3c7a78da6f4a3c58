using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Moves each image of an NCHW batch by whole pixels, filling with zeros (DiffAugment's translation).</summary>
/// <remarks>
/// y[n, c, i, j] = x[n, c, i + sH[n], j + sW[n]] (0 outside the image). The map is linear and its
/// adjoint is the opposite shift, so ∂/∂x = the same op on g with −sH, −sW: derivatives of every order.
/// </remarks>
internal sealed class TranslateBackward : Function
{
    private int[] _shiftH = [], _shiftW = [];
    public override string Name => "TranslateBackward";

    public static Tensor Apply(Tensor x, int[] shiftH, int[] shiftW)
    {
        var c = x.Contiguous();
        var y = Map.Output(c.ShapeRef, c.DType);
        var s = c.ShapeRef;
        if (c.DType == DType.Float32) Augment.Translate(c.Span<float>(), s[0], s[1], s[2], s[3], shiftH, shiftW, y.Span<float>());
        else Augment.Translate(c.Span<double>(), s[0], s[1], s[2], s[3], shiftH, shiftW, y.Span<double>());
        return new TranslateBackward { _shiftH = shiftH, _shiftW = shiftW }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [Apply(g, Array.ConvertAll(_shiftH, v => -v), Array.ConvertAll(_shiftW, v => -v))];
}
