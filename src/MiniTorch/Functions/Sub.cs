using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>a − b with broadcasting.</summary>
/// <remarks>∂/∂a = g, ∂/∂b = −g, summed back over broadcast dimensions.</remarks>
internal sealed class SubBackward0 : Function
{
    private int[] _a = [], _b = [];
    public override string Name => "SubBackward0";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var fn = new SubBackward0 { _a = a.ShapeRef, _b = b.ShapeRef };
        return fn.Record(Map.Binary(a, b, new Elementwise.Sub()), a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? g.SumTo(_a) : null, NeedsGrad(1) ? (-g).SumTo(_b) : null];
}
