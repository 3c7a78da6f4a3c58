using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>eˣ. The backward reuses the output: ∂/∂x = g · eˣ.</summary>
internal sealed class ExpBackward0 : Function
{
    private SavedTensor _out = null!;
    public override string Name => "ExpBackward0";
    public static Tensor Apply(Tensor x) { var f = new ExpBackward0(); var y = Map.Unary(x, new Elementwise.Exp()); f._out = f.SaveOutput(y); return f.Record(y, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g * _out.Value];
}

/// <summary>ln x. ∂/∂x = g / x.</summary>
internal sealed class LogBackward0 : Function
{
    private SavedTensor _x = null!;
    public override string Name => "LogBackward0";
    public static Tensor Apply(Tensor x) { var f = new LogBackward0(); f._x = f.Save(x); return f.Record(Map.Unary(x, new Elementwise.Log()), x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g / _x.Value];
}

/// <summary>√x. ∂/∂x = g / (2√x).</summary>
internal sealed class SqrtBackward0 : Function
{
    private SavedTensor _out = null!;
    public override string Name => "SqrtBackward0";
    public static Tensor Apply(Tensor x) { var f = new SqrtBackward0(); var y = Map.Unary(x, new Elementwise.Sqrt()); f._out = f.SaveOutput(y); return f.Record(y, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g / (_out.Value * 2)];
}

/// <summary>|x|. ∂/∂x = g · sign(x) (0 at 0, as in PyTorch).</summary>
internal sealed class AbsBackward0 : Function
{
    private SavedTensor _x = null!;
    public override string Name => "AbsBackward0";
    public static Tensor Apply(Tensor x) { var f = new AbsBackward0(); f._x = f.Save(x); return f.Record(Map.Unary(x, new Elementwise.Abs()), x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g * Map.Unary(_x.Value, new Elementwise.Sign())];
}

/// <summary>tanh x. ∂/∂x = g · (1 − tanh²x), from the saved output.</summary>
internal sealed class TanhBackward0 : Function
{
    private SavedTensor _out = null!;
    public override string Name => "TanhBackward0";
    public static Tensor Apply(Tensor x) { var f = new TanhBackward0(); var y = Map.Unary(x, new Elementwise.Tanh()); f._out = f.SaveOutput(y); return f.Record(y, x); }
    protected internal override Tensor?[] Backward(Tensor g) { var y = _out.Value; return [g * (1 - y * y)]; }
}

/// <summary>σ(x) = 1/(1+e⁻ˣ). ∂/∂x = g · σ(x)(1 − σ(x)), from the saved output.</summary>
internal sealed class SigmoidBackward0 : Function
{
    private SavedTensor _out = null!;
    public override string Name => "SigmoidBackward0";
    public static Tensor Apply(Tensor x) { var f = new SigmoidBackward0(); var y = Map.Unary(x, new Elementwise.Sigmoid()); f._out = f.SaveOutput(y); return f.Record(y, x); }
    protected internal override Tensor?[] Backward(Tensor g) { var y = _out.Value; return [g * (y * (1 - y))]; }
}

/// <summary>max(x, 0). ∂/∂x = g unless the output is ≤ 0 (so 0 at x = 0 and g at NaN, as PyTorch's threshold_backward).</summary>
internal sealed class ReluBackward0 : Function
{
    private SavedTensor _out = null!;
    public override string Name => "ReluBackward0";
    public static Tensor Apply(Tensor x) { var f = new ReluBackward0(); var y = Map.Binary(x, Torch.Scalar(0, x.DType), new Elementwise.Maximum()); f._out = f.SaveOutput(y); return f.Record(y, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [LeakyReluGrad.Apply(g, _out.Value, 0, LeakyReluGrad.ReluName)];
}

/// <summary>min(max(x, lo), hi). ∂/∂x = g where lo ≤ x ≤ hi, else 0 (0 at NaN, as PyTorch's clamp_backward).</summary>
internal sealed class ClampBackward1 : Function
{
    private SavedTensor _x = null!;
    private double? _min, _max;
    public override string Name => "ClampBackward1";

    public static Tensor Apply(Tensor x, double? min, double? max)
    {
        if (min is null && max is null) throw new ArgumentException("At least one of 'min' or 'max' must not be None");
        var y = x;
        if (min is { } lo) y = Map.Binary(y, Torch.Scalar(lo, x.DType), new Elementwise.Maximum());
        if (max is { } hi) y = Map.Binary(y, Torch.Scalar(hi, x.DType), new Elementwise.Minimum());
        if (ReferenceEquals(y, x)) y = Map.Copy(x);
        var fn = new ClampBackward1 { _min = min, _max = max };
        fn._x = fn.Save(x);
        return fn.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x.Value;
        // PyTorch's clamp_backward: g where lo ≤ x ≤ hi, so 0 where x is NaN.
        Tensor? keep = null;
        if (_min is { } lo) keep = x.Ge(lo);
        if (_max is { } hi) keep = keep is null ? x.Le(hi) : keep & x.Le(hi);
        return [Torch.Where(keep!, g, Torch.Scalar(0, g.DType))];
    }
}
