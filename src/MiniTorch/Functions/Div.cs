using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>a / b element-wise with broadcasting.</summary>
/// <remarks>∂/∂a = g/b, ∂/∂b = −g·a/b².</remarks>
internal sealed class DivBackward0 : Function
{
    private Tensor _a = null!, _b = null!;
    public override string Name => "DivBackward0";

    public static Tensor Apply(Tensor a, Tensor b) =>
        new DivBackward0 { _a = a, _b = b }.Record(Map.Binary(a, b, new Elementwise.Div()), a, b);

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? (g / _b).SumTo(_a.ShapeRef) : null,
         NeedsGrad(1) ? (-g * _a / (_b * _b)).SumTo(_b.ShapeRef) : null];
}
