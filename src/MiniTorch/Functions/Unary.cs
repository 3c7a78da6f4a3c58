using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>eˣ. The backward reuses the output: ∂/∂x = g · eˣ.</summary>
internal sealed class ExpBackward0 : Function
{
    private Tensor _out = null!;
    public override string Name => "ExpBackward0";
    public static Tensor Apply(Tensor x) { var f = new ExpBackward0(); f._out = Map.Unary(x, new Elementwise.Exp()); return f.Record(f._out, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g * _out];
}

/// <summary>ln x. ∂/∂x = g / x.</summary>
internal sealed class LogBackward0 : Function
{
    private Tensor _x = null!;
    public override string Name => "LogBackward0";
    public static Tensor Apply(Tensor x) => new LogBackward0 { _x = x }.Record(Map.Unary(x, new Elementwise.Log()), x);
    protected internal override Tensor?[] Backward(Tensor g) => [g / _x];
}

/// <summary>√x. ∂/∂x = g / (2√x).</summary>
internal sealed class SqrtBackward0 : Function
{
    private Tensor _out = null!;
    public override string Name => "SqrtBackward0";
    public static Tensor Apply(Tensor x) { var f = new SqrtBackward0(); f._out = Map.Unary(x, new Elementwise.Sqrt()); return f.Record(f._out, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g / (_out * 2)];
}

/// <summary>|x|. ∂/∂x = g · sign(x) (0 at 0, as in PyTorch).</summary>
internal sealed class AbsBackward0 : Function
{
    private Tensor _x = null!;
    public override string Name => "AbsBackward0";
    public static Tensor Apply(Tensor x) => new AbsBackward0 { _x = x }.Record(Map.Unary(x, new Elementwise.Abs()), x);
    protected internal override Tensor?[] Backward(Tensor g) => [g * Map.Unary(_x, new Elementwise.Sign())];
}

/// <summary>tanh x. ∂/∂x = g · (1 − tanh²x), from the saved output.</summary>
internal sealed class TanhBackward0 : Function
{
    private Tensor _out = null!;
    public override string Name => "TanhBackward0";
    public static Tensor Apply(Tensor x) { var f = new TanhBackward0(); f._out = Map.Unary(x, new Elementwise.Tanh()); return f.Record(f._out, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g * (1 - _out * _out)];
}

/// <summary>σ(x) = 1/(1+e⁻ˣ). ∂/∂x = g · σ(x)(1 − σ(x)), from the saved output.</summary>
internal sealed class SigmoidBackward0 : Function
{
    private Tensor _out = null!;
    public override string Name => "SigmoidBackward0";
    public static Tensor Apply(Tensor x) { var f = new SigmoidBackward0(); f._out = Map.Unary(x, new Elementwise.Sigmoid()); return f.Record(f._out, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [g * (_out * (1 - _out))];
}

/// <summary>max(x, 0). ∂/∂x = g where the output is positive, else 0 (so 0 at x = 0, as in PyTorch).</summary>
internal sealed class ReluBackward0 : Function
{
    private Tensor _out = null!;
    public override string Name => "ReluBackward0";
    public static Tensor Apply(Tensor x) { var f = new ReluBackward0(); f._out = Map.Binary(x, Torch.Scalar(0, x.DType), new Elementwise.Maximum()); return f.Record(f._out, x); }
    protected internal override Tensor?[] Backward(Tensor g) => [LeakyReluGrad.Apply(g, _out, 0, "ThresholdBackwardBackward0")];
}

/// <summary>min(max(x, lo), hi). ∂/∂x = g where lo ≤ x ≤ hi, else 0.</summary>
internal sealed class ClampBackward1 : Function
{
    private Tensor _x = null!;
    private double? _min, _max;
    public override string Name => "ClampBackward1";

    public static Tensor Apply(Tensor x, double? min, double? max)
    {
        if (min is null && max is null) throw new ArgumentException("At least one of 'min' or 'max' must not be None");
        var y = x;
        if (min is { } lo) y = Map.Binary(y, Torch.Scalar(lo, x.DType), new Elementwise.Maximum());
        if (max is { } hi) y = Map.Binary(y, Torch.Scalar(hi, x.DType), new Elementwise.Minimum());
        if (ReferenceEquals(y, x)) y = Map.Copy(x);
        return new ClampBackward1 { _x = x, _min = min, _max = max }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var mask = Torch.OnesLike(_x);
        // lo ≤ x is the complement of lo > x.
        if (_min is { } lo) mask = mask - Map.Binary(Torch.Scalar(lo, _x.DType), _x, new Elementwise.Greater());
        if (_max is { } hi) mask = mask * (1 - Map.Binary(_x, Torch.Scalar(hi, _x.DType), new Elementwise.Greater()));
        return [g * mask];
    }
}
