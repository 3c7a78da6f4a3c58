using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Transposed convolution in any spatial rank: the adjoint C(w)ᵀ of <see cref="ConvOp"/>'s map, small side → big side.</summary>
/// <remarks>
/// y = C(w)ᵀ·z + b; effectively computes the scatter view: each input element scales the kernel
/// and the copies, placed s apart, are summed (cropped by p, extended by outputPadding).
/// Backward: ∂/∂z = C(w)·g, which is <see cref="ConvOp"/> on the same geometry;
/// ∂/∂w = <see cref="ConvWeightGradOp"/>(g, z) because ⟨Cᵀz, g⟩ = ⟨z, C g⟩; ∂/∂b = Σ g.
/// Prints as PyTorch's grad_fn, <c>ConvolutionBackward0</c>.
/// </remarks>
internal sealed class ConvTransposeOp : Function
{
    private ConvGeometry _g;
    private SavedTensor _z = null!, _w = null!;
    private bool _hasBias;
    public override string Name => "ConvolutionBackward0";

    public static Tensor Apply(Tensor z, Tensor w, Tensor? b, ConvGeometry g)
    {
        var route = ConvPlanner.Resolve(g, ConvPass.InputGrad);
        var y = ConvCall.Output(g, g.BigShape, z.DType, route, ConvPass.InputGrad);
        ConvCall.Run(ConvPass.InputGrad, g, z, w, b, y, route);
        var fn = new ConvTransposeOp { _g = g, _hasBias = b is not null };
        (fn._z, fn._w) = (fn.Save(z), fn.Save(w));
        return b is null ? fn.Record(y, z, w) : fn.Record(y, z, w, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[_hasBias ? 3 : 2];
        if (NeedsGrad(0)) grads[0] = ConvOp.Apply(g, _w.Value, null, _g);
        if (NeedsGrad(1)) grads[1] = ConvWeightGradOp.Apply(g, _z.Value, _g);
        if (_hasBias && NeedsGrad(2)) grads[2] = g.Sum(ConvOp.SpatialAndBatch(g.Dim));
        return grads;
    }
}
