using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>
/// The element-wise smooth L1 loss (<c>huber: false</c>) or Huber loss of d = x − y, broadcast.
/// </summary>
/// <remarks>
/// smooth L1: ℓ = ½d²/β where |d| &lt; β, else |d| − ½β (β = 0 is L1). Huber: ℓ = ½d² where
/// |d| &lt; δ, else δ(|d| − ½δ). The derivative is PyTorch's: for smooth L1, −1 where d ≤ −β, 1
/// where d ≥ β, else d/β (so −1 at d = 0 when β = 0); for Huber, −δ, δ or d. ∂/∂y is the same formula at y − x. The
/// backward is written in differentiable tensor operations, so gradients of gradients work.
/// </remarks>
internal sealed class SmoothL1LossBackward0 : Function
{
    private SavedTensor _x = null!, _y = null!;
    private double _param;
    private bool _huber;
    public override string Name => _huber ? "HuberLossBackward0" : "SmoothL1LossBackward0";

    public static Tensor Apply(Tensor x, Tensor y, double param, bool huber)
    {
        var dt = DTypes.Promote(x.DType, y.DType);
        (x, y) = (x.To(dt).RequireFloat(huber ? "huber_cpu" : "smooth_l1_cpu"), y.To(dt));
        Tensor loss;
        using (Torch.NoGrad())
        {
            var d = x.Detach() - y.Detach();
            var z = d.Abs();
            loss = huber
                ? Torch.Where(z < param, d * d * 0.5, (z - 0.5 * param) * param)
                : param == 0 ? z : Torch.Where(z < param, d * d * (0.5 / param), z - 0.5 * param);
        }
        var fn = new SmoothL1LossBackward0 { _param = param, _huber = huber };
        (fn._x, fn._y) = (fn.Save(x), fn.Save(y));
        return fn.Record(loss, x, y);
    }

    // PyTorch differentiates the target by the same formula with the operands swapped, which is
    // the negated input gradient everywhere except d = 0 with β = 0 (both get −g there).
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var (x, y) = (_x.Value, _y.Value);
        return [NeedsGrad(0) ? (g * Slope(x - y)).SumTo(x.ShapeRef) : null,
                NeedsGrad(1) ? (g * Slope(y - x)).SumTo(y.ShapeRef) : null];
    }

    private Tensor Slope(Tensor d)
    {
        double outer = _huber ? _param : 1;
        if (!_huber && _param == 0) return Torch.Where(d <= 0, -1.0, Torch.Full([], 1, d.DType));
        var inside = _huber ? d : d / _param;
        return Torch.Where(d <= -_param, -outer, Torch.Where(d >= _param, outer, inside));
    }
}
