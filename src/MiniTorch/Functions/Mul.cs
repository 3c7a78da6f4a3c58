using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>a · b element-wise with broadcasting.</summary>
/// <remarks>∂/∂a = g·b, ∂/∂b = g·a.</remarks>
internal sealed class MulBackward0 : Function
{
    private Tensor _a = null!, _b = null!;
    public override string Name => "MulBackward0";

    public static Tensor Apply(Tensor a, Tensor b) =>
        new MulBackward0 { _a = a, _b = b }.Record(Map.Binary(a, b, new Elementwise.Mul()), a, b);

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? (g * _b).SumTo(_a.ShapeRef) : null, NeedsGrad(1) ? (g * _a).SumTo(_b.ShapeRef) : null];
}
