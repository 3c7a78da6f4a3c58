using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// One primitive for the one-input activations of <see cref="Activation1"/>: a forward kernel, and
/// a backward that multiplies g by dy/dx.
/// </summary>
/// <remarks>
/// Without create_graph the derivative comes from a kernel (PyTorch's formula, so float32 results
/// match PyTorch's backward to rounding); with create_graph it is written in differentiable tensor
/// operations, so gradients of gradients work.
/// </remarks>
internal sealed class ActivationBackward : Function
{
    private SavedTensor _x = null!;
    private Activation1 _kind;
    private double _a, _b;
    public override string Name => _kind switch
    {
        Activation1.Elu => "EluBackward0",
        Activation1.Celu => "CeluBackward0",
        Activation1.Gelu or Activation1.GeluTanh => "GeluBackward0",
        Activation1.Silu => "SiluBackward0",
        Activation1.Mish => "MishBackward0",
        Activation1.Softsign => "SoftsignBackward0",
        Activation1.Hardtanh => "HardtanhBackward0",
        Activation1.Hardsigmoid => "HardsigmoidBackward0",
        Activation1.Hardswish => "HardswishBackward0",
        Activation1.Threshold => "ThresholdBackward0",
        _ => "LogSigmoidBackward0",
    };

    public static Tensor Apply(Tensor x, Activation1 kind, double a = 0, double b = 0, string op = "activation")
    {
        x.RequireFloat(op);
        var src = x.Detach().Contiguous();
        var y = Map.Output(src.ShapeRef, x.DType);
        if (x.DType == DType.Float32) Pointwise.Forward(kind, a, b, src.Span<float>(), y.Span<float>());
        else Pointwise.Forward(kind, a, b, src.Span<double>(), y.Span<double>());
        var fn = new ActivationBackward { _kind = kind, _a = a, _b = b };
        fn._x = fn.Save(x);
        return fn.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x.Value;
        return [g * (GradMode.IsEnabled ? Differentiable(x) : Kernel(x))];
    }

    private Tensor Kernel(Tensor x)
    {
        var src = x.Detach().Contiguous();
        var d = Map.Output(src.ShapeRef, x.DType);
        if (x.DType == DType.Float32) Pointwise.Derivative(_kind, _a, _b, src.Span<float>(), d.Span<float>());
        else Pointwise.Derivative(_kind, _a, _b, src.Span<double>(), d.Span<double>());
        return d;
    }

    /// <summary>
    /// dy/dx as differentiable tensor operations (the same values as <see cref="Pointwise.Derivative{T}"/>).
    /// Its own derivative is PyTorch's double backward, which at a kink takes the flat side: ELU's
    /// second derivative is 0 at x = 0 (<c>elu_double_backward</c> masks with x &lt; 0 while
    /// <c>elu_backward</c> takes x ≤ 0), Hardswish's is 0 at ±3.
    /// </summary>
    private Tensor Differentiable(Tensor x)
    {
        Tensor Const(double v) => Torch.Full([], v, x.DType);
        // x where the condition holds; elsewhere the same values with no gradient.
        Tensor Inside(Tensor condition) => Torch.Where(condition, x, x.Detach());
        switch (_kind)
        {
            case Activation1.Elu: return Torch.Where(x > 0, Const(_b), Inside(x < 0).Exp() * (_a * _b));
            case Activation1.Celu:
                {
                    double inv = Pointwise.CeluInputScale(_a);
                    return Torch.Where(x > 0, Const(1), (Inside(x < 0) * inv).Exp() * (inv * _a));
                }
            case Activation1.Gelu:
                return (1 + (x * Math.Sqrt(0.5)).Erf()) * 0.5 + x * (x * x * -0.5).Exp() * (1 / Math.Sqrt(2 * Math.PI));
            case Activation1.GeluTanh:
                {
                    double beta = Math.Sqrt(2 / Math.PI), kappa = 0.044715;
                    var t = ((x + x * x * x * kappa) * beta).Tanh();
                    return (1 + t) * 0.5 + x * 0.5 * (1 - t * t) * beta * (1 + x * x * (3 * kappa));
                }
            case Activation1.Silu: { var s = x.Sigmoid(); return s * (1 + x * (1 - s)); }
            case Activation1.Mish:
                {
                    // PyTorch's infinitely_differentiable_mish_backward, with its softplus (β = 1, threshold 20):
                    // a smooth softplus, so the second derivative at 0 is not a subgradient's.
                    var s = x.Sigmoid();
                    var t = SoftplusBackward0.Apply(x, 1, 20).Tanh();
                    return t + x * s * (1 - t * t);
                }
            case Activation1.Softsign: { var a = x.Abs(); var u = 1 + a; return 1 / u - a / (u * u); }
            case Activation1.Hardswish: return Torch.Where(x < -3, Const(0), Torch.Where(x <= 3, Inside((x > -3).LogicalAnd(x < 3)) / 3 + 0.5, Const(1)));
            case Activation1.LogSigmoid: return (-x).Sigmoid();
            default: return Kernel(x); // piecewise constant: the derivative does not depend on x
        }
    }
}

/// <summary>erf(x), like <c>torch.erf</c>.</summary>
/// <remarks>∂/∂x = g·2/√π·e^(−x²).</remarks>
internal sealed class ErfBackward0 : Function
{
    private SavedTensor _x = null!;
    public override string Name => "ErfBackward0";

    public static Tensor Apply(Tensor x)
    {
        var src = x.Detach().Contiguous();
        var y = Map.Output(src.ShapeRef, x.DType);
        if (x.DType == DType.Float32) { var s = src.Span<float>(); var d = y.Span<float>(); for (int i = 0; i < d.Length; i++) d[i] = (float)Pointwise.Erf(s[i]); }
        else { var s = src.Span<double>(); var d = y.Span<double>(); for (int i = 0; i < d.Length; i++) d[i] = Pointwise.Erf(s[i]); }
        var fn = new ErfBackward0();
        fn._x = fn.Save(x);
        return fn.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x.Value;
        return [g * (x * x * -1).Exp() * (2 / Math.Sqrt(Math.PI))];
    }
}
