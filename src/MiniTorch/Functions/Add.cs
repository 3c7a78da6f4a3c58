using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>a + b with broadcasting.</summary>
/// <remarks>∂/∂a = g and ∂/∂b = g, each summed back over the dimensions that were broadcast.</remarks>
internal sealed class AddBackward0 : Function
{
    private int[] _a = [], _b = [];
    public override string Name => "AddBackward0";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var fn = new AddBackward0 { _a = a.ShapeRef, _b = b.ShapeRef };
        return fn.Record(Map.Binary(a, b, new Elementwise.Add()), a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? g.SumTo(_a) : null, NeedsGrad(1) ? g.SumTo(_b) : null];
}
