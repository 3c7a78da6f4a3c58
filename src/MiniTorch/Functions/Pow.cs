using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>x^p for a scalar exponent p.</summary>
/// <remarks>∂/∂x = g · p · x^(p−1) (zero when p = 0).</remarks>
internal sealed class PowBackward0 : Function
{
    private SavedTensor _x = null!;
    private double _p;
    public override string Name => "PowBackward0";

    public static Tensor Apply(Tensor x, double p)
    {
        var fn = new PowBackward0 { _p = p };
        fn._x = fn.Save(x);
        return fn.Record(Map.Binary(x, Torch.Scalar(p, x.DType), new Elementwise.Pow()), x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x.Value;
        return [_p == 0 ? Torch.ZerosLike(x) : g * (x.Pow(_p - 1) * _p)];
    }
}

/// <summary>a^b for tensors, with broadcasting.</summary>
/// <remarks>
/// ∂/∂a = g · b · a^(b−1), 0 where b = 0; ∂/∂b = g · a^b · ln a, 0 where a = 0 and b ≥ 0 (PyTorch's
/// pow_backward_self and pow_backward_exponent, which keep 0^0 and 0^b from giving NaN or −∞).
/// </remarks>
internal sealed class PowBackward1 : Function
{
    private SavedTensor _a = null!, _b = null!, _out = null!;
    private bool _integralBase;
    public override string Name => "PowBackward1";

    /// <param name="a">The base, already in the result type.</param>
    /// <param name="b">The exponent, already in the result type.</param>
    /// <param name="integralBase">
    /// The base was an integer tensor: PyTorch's pow_backward_exponent takes ln of the original int64
    /// base, which is float32 (the default type), so the exponent's gradient carries float32's ln
    /// (here the float64 ln rounded to float32).
    /// </param>
    public static Tensor Apply(Tensor a, Tensor b, bool integralBase = false)
    {
        var fn = new PowBackward1 { _integralBase = integralBase };
        var y = Map.Binary(a, b, new Elementwise.Pow());
        (fn._a, fn._b, fn._out) = (fn.Save(a), fn.Save(b), fn.SaveOutput(y));
        return fn.Record(y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var (a, b, o) = (_a.Value, _b.Value, _out.Value);
        var zero = Torch.Zeros([], g.DType);
        Tensor Ln(Tensor t) => _integralBase && t.DType == DType.Float64 ? t.Detach().Log().To(DType.Float32).To(DType.Float64) : t.Log();
        return [NeedsGrad(0) ? Torch.Where(b.Eq(0), zero, g * (b * a.Pow(b - 1))).SumTo(a.ShapeRef) : null,
                NeedsGrad(1) ? (g * Torch.Where(a.Eq(0).LogicalAnd(b.Ge(0)), zero, o * Ln(a))).SumTo(b.ShapeRef) : null];
    }
}
