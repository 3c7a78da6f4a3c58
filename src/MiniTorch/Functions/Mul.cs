using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>a · b element-wise with broadcasting.</summary>
/// <remarks>∂/∂a = g·b, ∂/∂b = g·a.</remarks>
internal sealed class MulBackward0 : Function
{
    private SavedTensor? _a, _b;
    private int[] _aShape = [], _bShape = [];
    public override string Name => "MulBackward0";

    // As PyTorch: b is saved only when a needs a gradient, a only when b does.
    public static Tensor Apply(Tensor a, Tensor b)
    {
        var fn = new MulBackward0 { _aShape = a.ShapeRef, _bShape = b.ShapeRef };
        if (a.RequiresGrad) fn._b = fn.Save(b);
        if (b.RequiresGrad) fn._a = fn.Save(a);
        return fn.Record(Map.Binary(a, b, new Elementwise.Mul()), a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? (g * _b!.Value).SumTo(_aShape) : null, NeedsGrad(1) ? (g * _a!.Value).SumTo(_bShape) : null];
}
