using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Softplus: ln(1 + e^(βx))/β, and x itself where βx &gt; threshold.</summary>
/// <remarks>∂/∂x = g·σ(βx) (g where βx &gt; threshold), computed by <see cref="SoftplusGrad"/>.</remarks>
internal sealed class SoftplusBackward0 : Function
{
    private SavedTensor _x = null!;
    private double _beta, _threshold;
    public override string Name => "SoftplusBackward0";

    public static Tensor Apply(Tensor x, double beta, double threshold)
    {
        var c = x.Contiguous();
        var y = Map.Output(c.ShapeRef, c.DType);
        if (c.DType == DType.Float32) Run<float>(c, beta, threshold, y); else Run<double>(c, beta, threshold, y);
        var fn = new SoftplusBackward0 { _beta = beta, _threshold = threshold };
        fn._x = fn.Save(x);
        return fn.Record(y, x);
    }

    // β and the threshold are rounded to the element type first, as PyTorch's beta_.to<scalar_t>().
    private static void Run<T>(Tensor x, double beta, double threshold, Tensor y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Kernels.Softplus.Forward(x.Span<T>(), T.CreateChecked(beta), T.CreateChecked(threshold), y.Span<T>());

    protected internal override Tensor?[] Backward(Tensor g) => [SoftplusGrad.Apply(g, _x.Value, _beta, _threshold)];
}

/// <summary>
/// The backward of softplus as an op of the incoming gradient g and the input x:
/// g·σ(βx) where βx ≤ threshold, else g (PyTorch's <c>softplus_backward</c>).
/// </summary>
/// <remarks>
/// Linear in g, so ∂/∂g is the same op on the new upstream gradient. ∂/∂x = gg·g·β·σ(βx)(1 − σ(βx))
/// where βx &lt; threshold, else 0 — PyTorch's <c>softplus_double_backward</c> — written in
/// differentiable tensor ops, so derivatives of any order exist.
/// </remarks>
internal sealed class SoftplusGrad : Function
{
    private SavedTensor _g = null!, _x = null!;
    private double _beta, _threshold;
    public override string Name => "SoftplusBackwardBackward0";

    public static Tensor Apply(Tensor g, Tensor x, double beta, double threshold)
    {
        if (g.DType != x.DType)
            throw new ArgumentException($"expected both operands to have the same dtype, got {g.DType} and {x.DType}");
        var (gc, xc) = (g.Contiguous(), x.Contiguous());
        var y = Map.Output(xc.ShapeRef, x.DType);
        if (x.DType == DType.Float32) Run<float>(xc, gc, beta, threshold, y); else Run<double>(xc, gc, beta, threshold, y);
        var fn = new SoftplusGrad { _beta = beta, _threshold = threshold };
        (fn._g, fn._x) = (fn.Save(g), fn.Save(x));
        return fn.Record(y, g, x);
    }

    private static void Run<T>(Tensor x, Tensor g, double beta, double threshold, Tensor y) where T : unmanaged, IFloatingPointIeee754<T> =>
        Kernels.Softplus.Backward(x.Span<T>(), g.Span<T>(), T.CreateChecked(beta), T.CreateChecked(threshold), y.Span<T>());

    protected internal override Tensor?[] Backward(Tensor gg)
    {
        Tensor? dx = null;
        var x = _x.Value;
        if (NeedsGrad(1))
        {
            var bx = x * _beta;
            var s = bx.Sigmoid();
            var below = Map.Binary(Torch.Scalar(_threshold, x.DType), bx.Detach(), new Elementwise.Greater());
            // In PyTorch's order: sigmoid_backward(gg·g, s) = (gg·g)·(1 − s)·s, then the mask, then β.
            dx = gg * _g.Value * (1 - s) * s * below * _beta;
        }
        return [NeedsGrad(0) ? Apply(gg, x, _beta, _threshold) : null, dx];
    }
}
