using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>a / b element-wise with broadcasting.</summary>
/// <remarks>∂/∂a = g/b, ∂/∂b = −g·a/b².</remarks>
internal sealed class DivBackward0 : Function
{
    private SavedTensor? _a;
    private SavedTensor _b = null!;
    private int[] _aShape = [], _bShape = [];
    public override string Name => "DivBackward0";

    // As PyTorch: b is saved always, a only when b needs a gradient.
    public static Tensor Apply(Tensor a, Tensor b)
    {
        var fn = new DivBackward0 { _aShape = a.ShapeRef, _bShape = b.ShapeRef };
        fn._b = fn.Save(b);
        if (b.RequiresGrad) fn._a = fn.Save(a);
        return fn.Record(Map.Binary(a, b, new Elementwise.Div()), a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var b = _b.Value;
        return [NeedsGrad(0) ? (g / b).SumTo(_aShape) : null,
                NeedsGrad(1) ? (-g * _a!.Value / (b * b)).SumTo(_bShape) : null];
    }
}
