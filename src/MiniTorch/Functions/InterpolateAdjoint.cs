using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>
/// The transpose of a resampling: scatters each output gradient back onto the input pixels it was
/// read from, weighted as in the forward (PyTorch's <c>upsample_*2d_backward</c> and
/// <c>adaptive_avg_pool2d_backward</c>).
/// </summary>
/// <remarks>
/// gx = Rᵀ·g. Effectively computes the gradient of <see cref="InterpolateFunction"/>. It is linear
/// in g, so its own backward is R·gg, the forward resampling: this pair gives gradients of
/// gradients to any order.
/// </remarks>
internal sealed class InterpolateAdjoint : Function
{
    private ResamplePlan _plan = null!;
    public override string Name => _plan.Name.Replace("Backward", "BackwardBackward");

    public static Tensor Apply(Tensor g, ResamplePlan plan) =>
        new InterpolateAdjoint { _plan = plan }.Record(plan.Adjoint(g), g);

    protected internal override Tensor?[] Backward(Tensor gg) => [InterpolateFunction.Apply(gg, _plan)];
}
