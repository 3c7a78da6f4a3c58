using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>x^p for a scalar exponent p.</summary>
/// <remarks>∂/∂x = g · p · x^(p−1) (zero when p = 0).</remarks>
internal sealed class PowBackward0 : Function
{
    private Tensor _x = null!;
    private double _p;
    public override string Name => "PowBackward0";

    public static Tensor Apply(Tensor x, double p) =>
        new PowBackward0 { _x = x, _p = p }.Record(Map.Binary(x, Torch.Scalar(p, x.DType), new Elementwise.Pow()), x);

    protected internal override Tensor?[] Backward(Tensor g) =>
        [_p == 0 ? Torch.ZerosLike(_x) : g * (_x.Pow(_p - 1) * _p)];
}

/// <summary>a^b for tensors, with broadcasting.</summary>
/// <remarks>
/// ∂/∂a = g · b · a^(b−1), 0 where b = 0; ∂/∂b = g · a^b · ln a, 0 where a = 0 and b ≥ 0 (PyTorch's
/// pow_backward_self and pow_backward_exponent, which keep 0^0 and 0^b from giving NaN or −∞).
/// </remarks>
internal sealed class PowBackward1 : Function
{
    private Tensor _a = null!, _b = null!, _out = null!;
    public override string Name => "PowBackward1";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        var fn = new PowBackward1 { _a = a, _b = b };
        fn._out = Map.Binary(a, b, new Elementwise.Pow());
        return fn.Record(fn._out, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var zero = Torch.Zeros([], g.DType);
        return [NeedsGrad(0) ? Torch.Where(_b.Eq(0), zero, g * (_b * _a.Pow(_b - 1))).SumTo(_a.ShapeRef) : null,
                NeedsGrad(1) ? (g * Torch.Where(_a.Eq(0).LogicalAnd(_b.Ge(0)), zero, _out * _a.Log())).SumTo(_b.ShapeRef) : null];
    }
}
