using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>Softmax or log-softmax along one dimension, as one primitive over a stable kernel.</summary>
/// <remarks>
/// softmax: y = e^(x − max) / Σ e^(x − max); ∂/∂x = y·(g − Σ g·y).
/// log_softmax: y = x − max − ln Σ e^(x − max); ∂/∂x = g − e^y·Σ g.
/// The backward is written in differentiable tensor operations on the recorded output, so
/// gradients of gradients work.
/// </remarks>
internal sealed class SoftmaxBackward0 : Function
{
    private SavedTensor _out = null!;
    private int _dim;
    private bool _log;
    public override string Name => _log ? "LogSoftmaxBackward0" : "SoftmaxBackward0";

    public static Tensor Apply(Tensor x, int dim, bool log)
    {
        x.RequireFloat(log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl");
        int d = Shape.WrapDim(dim, x.Dim);
        var src = x.Detach().Contiguous();
        var (outer, size, inner) = Shape.Around(src.ShapeRef, d);
        var y = Map.Output(src.ShapeRef, x.DType);
        if (x.DType == DType.Float32) Kernels.Softmax.Forward(src.Span<float>(), outer, size, inner, log, y.Span<float>());
        else Kernels.Softmax.Forward(src.Span<double>(), outer, size, inner, log, y.Span<double>());
        var fn = new SoftmaxBackward0 { _dim = d, _log = log };
        fn._out = fn.SaveOutput(y);
        return fn.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var y = _out.Value;
        return _log ? [g - y.Exp() * g.Sum(_dim, keepdim: true)] : [y * (g - (g * y).Sum(_dim, keepdim: true))];
    }
}

/// <summary>xlogy(x, y) = x·ln y, and 0 where x = 0 (even for y = 0), like <c>torch.xlogy</c>.</summary>
/// <remarks>As PyTorch's derivatives: ∂/∂x = g·xlogy(x ≠ 0, y); ∂/∂y = g·x/y.</remarks>
internal sealed class XlogyBackward0 : Function
{
    private SavedTensor _x = null!, _y = null!;
    public override string Name => "XlogyBackward0";

    public static Tensor Apply(Tensor x, Tensor y)
    {
        var dt = DTypes.Promote(x.DType, y.DType);
        if (!dt.IsFloatingPoint()) dt = DType.Float32;
        (x, y) = (x.To(dt), y.To(dt));
        Tensor result;
        using (Torch.NoGrad())
        {
            var xd = x.Detach();
            var yd = y.Detach();
            // NaN in y propagates even where x = 0, as PyTorch's xlogy.
            result = Torch.Where(xd.Eq(0).LogicalAnd(~yd.Ne(yd)), 0.0, xd * yd.Log());
        }
        var fn = new XlogyBackward0();
        (fn._x, fn._y) = (fn.Save(x), fn.Save(y));
        return fn.Record(result, x, y);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var (x, y) = (_x.Value, _y.Value);
        return [NeedsGrad(0) ? (g * Apply(x.Ne(0).To(g.DType), y)).SumTo(x.ShapeRef) : null,
                NeedsGrad(1) ? (g * x / y).SumTo(y.ShapeRef) : null];
    }
}
