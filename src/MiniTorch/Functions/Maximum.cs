using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>max(a, b) or min(a, b) element-wise with broadcasting; NaN propagates.</summary>
/// <remarks>
/// As PyTorch's derivatives: where a = b the gradient is split evenly (g/2 to each); otherwise it
/// goes to the operand that was chosen (for maximum, ∂/∂a = g where a &gt; b). Where either is NaN
/// neither comparison holds and both receive g, as in PyTorch.
/// </remarks>
internal sealed class MaximumBackward0 : Function
{
    private SavedTensor _a = null!, _b = null!;
    private bool _max;
    public override string Name => _max ? "MaximumBackward0" : "MinimumBackward0";

    public static Tensor Apply(Tensor a, Tensor b, bool max)
    {
        var dt = DTypes.ResultType(a, b);
        (a, b) = (a.To(dt), b.To(dt));
        if (!dt.IsFloatingPoint()) return IntegerOps.Binary(a, b, max ? IntegerOp.Maximum : IntegerOp.Minimum);
        var y = max ? Map.Binary(a, b, new Elementwise.Maximum()) : Map.Binary(a, b, new Elementwise.Minimum());
        var fn = new MaximumBackward0 { _max = max };
        (fn._a, fn._b) = (fn.Save(a), fn.Save(b));
        return fn.Record(y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var a = _a.Value.Detach();
        var b = _b.Value.Detach();
        var zero = Torch.Scalar(0, g.DType);
        var split = Torch.Where(a.Eq(b), g / 2, g);
        // For maximum, a loses where a < b; for minimum, where a > b (and b symmetrically).
        var aLoses = _max ? a.Lt(b) : a.Gt(b);
        var bLoses = _max ? a.Gt(b) : a.Lt(b);
        return [NeedsGrad(0) ? Torch.Where(aLoses, zero, split).SumTo(a.ShapeRef) : null,
                NeedsGrad(1) ? Torch.Where(bLoses, zero, split).SumTo(b.ShapeRef) : null];
    }
}

/// <summary>min(max(x, lo), hi) with tensor bounds (either may be absent), broadcast.</summary>
/// <remarks>
/// PyTorch's <c>clamp_backward</c> and <c>clamp_backward_min_max</c>: ∂/∂x = g where lo ≤ x ≤ hi;
/// ∂/∂lo = g where x &lt; lo (and lo &lt; hi when both are given); ∂/∂hi = g where x &gt; hi (or
/// hi &lt; lo, when hi wins outright). Each is summed back to its operand's shape.
/// </remarks>
internal sealed class ClampBackward0 : Function
{
    private SavedTensor _x = null!;
    private SavedTensor? _lo, _hi;
    public override string Name => "ClampBackward0";

    public static Tensor Apply(Tensor x, Tensor? min, Tensor? max)
    {
        if (min is null && max is null) throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        var dt = DTypes.ResultType(x, min, max);
        // PyTorch refuses bools only with both bounds ("clamp_cpu"); one bound is clamp_min/clamp_max, a
        // maximum/minimum, which bools have.
        if (dt == DType.Bool && min is not null && max is not null) throw DTypes.NotImplemented("clamp_cpu", dt);
        x = x.To(dt);
        min = min?.To(dt);
        max = max?.To(dt);
        // NaN in x stays NaN (max and min propagate it), as PyTorch's clamp; each step allocates a fresh result.
        var y = x.Detach();
        if (min is not null) y = MaximumBackward0.Apply(y, min.Detach(), true);
        if (max is not null) y = MaximumBackward0.Apply(y, max.Detach(), false);
        if (!dt.IsFloatingPoint()) return y;
        var fn = new ClampBackward0();
        fn._x = fn.Save(x);
        if (min is not null) fn._lo = fn.Save(min);
        if (max is not null) fn._hi = fn.Save(max);
        var inputs = new List<Tensor> { x };
        if (min is not null) inputs.Add(min);
        if (max is not null) inputs.Add(max);
        return fn.Record(y, [.. inputs]);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = _x.Value.Detach();
        var zero = Torch.Scalar(0, g.DType);
        Tensor? lo = _lo?.Value.Detach(), hi = _hi?.Value.Detach();
        Tensor keep = lo is not null && hi is not null ? x.Ge(lo) & x.Le(hi) : lo is not null ? x.Ge(lo) : x.Le(hi!);
        var grads = new List<Tensor?> { NeedsGrad(0) ? Torch.Where(keep, g, zero).SumTo(x.ShapeRef) : null };
        int i = 1;
        if (lo is not null)
        {
            var mask = hi is not null ? x.Lt(lo) & lo.Lt(hi) : x.Lt(lo);
            grads.Add(NeedsGrad(i) ? Torch.Where(mask, g, zero).SumTo(lo.ShapeRef) : null);
            i++;
        }
        if (hi is not null)
        {
            var mask = lo is not null ? x.Gt(hi) | hi.Lt(lo) : x.Gt(hi);
            grads.Add(NeedsGrad(i) ? Torch.Where(mask, g, zero).SumTo(hi.ShapeRef) : null);
        }
        return [.. grads];
    }
}
