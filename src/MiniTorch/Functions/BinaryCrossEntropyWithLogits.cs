using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Functions;

/// <summary>
/// Binary cross-entropy with logits as one primitive (PyTorch's <c>binary_cross_entropy_with_logits</c>):
/// the element-wise loss in one fused pass, then the reduction; the gradients by PyTorch's formulas.
/// </summary>
/// <remarks>
/// ℓ = (1 − t)·x + m + ln(e^−m + e^(−x−m)), m = max(−x, 0) (with a positive weight p the softplus
/// term is scaled by (p − 1)·t + 1), times the weight w, then reduced.
/// ∂ℓ/∂x = (σ(x) − t)·g·w (with p: ((p·t + 1 − t)·σ(x) − p·t)·g·w) and ∂ℓ/∂t = −x·g·w
/// (with p: (ln σ(−x) − p·ln σ(x))·g·w), divided by the element count for the mean. Under
/// create_graph the same formulas run as differentiable tensor operations, so gradients of gradients work.
/// The composite formula in <see cref="F.BinaryCrossEntropyWithLogitsComposite"/> is the reference it
/// is tested against. As in PyTorch, the weights are constants (callers route weights that require
/// a gradient to the composite).
/// </remarks>
internal sealed class BinaryCrossEntropyWithLogitsBackward0 : Function
{
    private SavedTensor _xs = null!, _ts = null!;
    // The weights as dense constants of the input's shape (views of the callers' tensors when those
    // are already dense); the callers' tensors themselves are saved too, so writes to them are caught.
    private Tensor? _w, _p;
    private Nn.Reduction _reduction;
    public override string Name => "BinaryCrossEntropyWithLogitsBackward0";

    /// <summary>Whether the fused op computes this call: float operands of one dtype, weights that need no gradient.</summary>
    public static bool Takes(Tensor x, Tensor t, Tensor? weight, Tensor? posWeight) =>
        x.DType.IsFloatingPoint() && t.DType == x.DType &&
        (weight is null || (weight.DType == x.DType && !weight.RequiresGrad)) &&
        (posWeight is null || (posWeight.DType == x.DType && !posWeight.RequiresGrad));

    /// <summary>The loss; the caller has checked the shapes and <see cref="Takes"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor t, Tensor? weight, Tensor? posWeight, Nn.Reduction reduction)
    {
        var (w, p) = (Broadcast(weight, x), Broadcast(posWeight, x));
        var loss = Map.Output(x.ShapeRef, x.DType);
        if (x.Numel > 0)
        {
            if (x.DType == DType.Float32) Forward<float>(x, t, w, p, loss);
            else Forward<double>(x, t, w, p, loss);
        }
        Tensor result;
        using (Torch.NoGrad()) result = reduction switch { Nn.Reduction.Mean => loss.Mean(), Nn.Reduction.Sum => loss.Sum(), _ => loss };
        var fn = new BinaryCrossEntropyWithLogitsBackward0 { _w = w, _p = p, _reduction = reduction };
        (fn._xs, fn._ts) = (fn.Save(x), fn.Save(t));
        if (weight is not null) fn.Save(weight);
        if (posWeight is not null) fn.Save(posWeight);
        return fn.Record(result, x, t);
    }

    /// <summary>A weight broadcast to the input's shape, dense (or null).</summary>
    private static Tensor? Broadcast(Tensor? weight, Tensor x)
    {
        if (weight is null) return null;
        var d = weight.Detach();
        return Shape.Equal(d.ShapeRef, x.ShapeRef) ? d.Contiguous() : d.ExpandView(x.ShapeRef).Contiguous();
    }

    private static ReadOnlyMemory<T> Dense<T>(Tensor? t) where T : unmanaged
    {
        if (t is null) return ReadOnlyMemory<T>.Empty;
        var c = t.Detach().Contiguous();
        return new ReadOnlyMemory<T>(c.Data<T>(), c.Offset, c.Numel);
    }

    private static Memory<T> Out<T>(Tensor t) where T : unmanaged => new(t.Data<T>(), t.Offset, t.Numel);

    private static void Forward<T>(Tensor x, Tensor t, Tensor? w, Tensor? p, Tensor loss) where T : unmanaged, IFloatingPointIeee754<T> =>
        BceWithLogitsKernels.Forward(Dense<T>(x), Dense<T>(t), Dense<T>(w), Dense<T>(p), Out<T>(loss));

    private Tensor _x => _xs.Value;
    private Tensor _t => _ts.Value;

    protected internal override Tensor?[] Backward(Tensor g)
    {
        if (_x.Numel == 0) return [NeedsGrad(0) ? Torch.ZerosLike(_x) : null, NeedsGrad(1) ? Torch.ZerosLike(_t) : null];
        if (GradMode.IsEnabled) return Differentiable(g);
        var gx = NeedsGrad(0) ? Map.Output(_x.ShapeRef, _x.DType) : null;
        var gt = NeedsGrad(1) ? Map.Output(_t.ShapeRef, _t.DType) : null;
        if (_x.DType == DType.Float32) Fast<float>(g, gx, gt); else Fast<double>(g, gx, gt);
        return [gx, gt];
    }

    private void Fast<T>(Tensor g, Tensor? gx, Tensor? gt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool whole = _reduction == Nn.Reduction.None;
        var gs = whole ? Dense<T>(g) : ReadOnlyMemory<T>.Empty;
        var g0 = whole ? T.Zero : T.CreateChecked(g.Item());
        // ATen divides by numel (a double scalar, rounded to the element type) for the mean.
        var divisor = _reduction == Nn.Reduction.Mean ? T.CreateChecked((double)_x.Numel) : T.One;
        var (x, w, p) = (Dense<T>(_x), Dense<T>(_w), Dense<T>(_p));
        if (gx is not null) BceWithLogitsKernels.InputGrad(x, Dense<T>(_t), w, p, gs, g0, divisor, Out<T>(gx));
        if (gt is not null) BceWithLogitsKernels.TargetGrad(x, w, p, gs, g0, divisor, Out<T>(gt));
    }

    /// <summary>The same gradients as differentiable tensor operations (create_graph).</summary>
    private Tensor?[] Differentiable(Tensor g)
    {
        Tensor Finish(Tensor d)
        {
            d = d * g;
            if (_w is not null) d = d * _w;
            return _reduction == Nn.Reduction.Mean ? d / _x.Numel : d;
        }
        Tensor? gx = null, gt = null;
        if (NeedsGrad(0))
        {
            var s = _x.Sigmoid();
            if (_p is null) gx = Finish(s - _t);
            else
            {
                var pt = _p * _t;
                gx = Finish((pt + 1 - _t) * s - pt);
            }
        }
        if (NeedsGrad(1)) gt = Finish(_p is null ? -_x : F.LogSigmoid(-_x) - F.LogSigmoid(_x) * _p);
        return [gx, gt];
    }
}
