using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>−x.</summary>
internal sealed class NegBackward0 : Function
{
    public override string Name => "NegBackward0";
    public static Tensor Apply(Tensor x) => new NegBackward0().Record(Map.Unary(x, new Elementwise.Neg()), x);
    protected internal override Tensor?[] Backward(Tensor g) => [-g];
}
