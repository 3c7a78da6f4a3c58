using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>condition ? a : b element-wise, with broadcasting of all three.</summary>
/// <remarks>∂/∂a = where(condition, g, 0) and ∂/∂b = where(condition, 0, g), each summed back to its operand's shape.</remarks>
internal sealed class WhereBackward0 : Function
{
    private SavedTensor _condition = null!;
    private int[] _a = [], _b = [];
    public override string Name => "WhereBackward0";

    public static Tensor Apply(Tensor condition, Tensor a, Tensor b)
    {
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.DType.ScalarTypeName()}");
        var dt = DTypes.ResultType(a, b);
        (a, b) = (a.To(dt), b.To(dt));
        var y = IntegerOps.Select(condition, a, b);
        var fn = new WhereBackward0 { _a = a.ShapeRef, _b = b.ShapeRef };
        fn._condition = fn.Save(condition);
        return fn.Record(y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var zero = Torch.Scalar(0, g.DType);
        var condition = _condition.Value;
        return [NeedsGrad(0) ? Apply(condition, g, zero).SumTo(_a) : null,
                NeedsGrad(1) ? Apply(condition, zero, g).SumTo(_b) : null];
    }
}
