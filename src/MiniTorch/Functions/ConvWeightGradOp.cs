using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// The weight gradient of a convolution in any spatial rank, W(x, gy) = ∂⟨C(w)·x, gy⟩/∂w, shared by
/// <see cref="ConvOp"/> (x = input, gy = output gradient) and <see cref="ConvTransposeOp"/> (x = output
/// gradient, gy = input).
/// </summary>
/// <remarks>
/// W(x, gy)[k,c,t] = Σ_{n,o} gy[n,k,o]·x[n,c,o·s−p+t·d]. It is bilinear with
/// ⟨W(x, gy), G⟩ = ⟨C(G)·x, gy⟩, so its backward is ∂/∂x = C(G)ᵀ·gy (<see cref="ConvTransposeOp"/>) and
/// ∂/∂gy = C(G)·x (<see cref="ConvOp"/>): gradients of gradients reuse the same two ops.
/// </remarks>
internal sealed class ConvWeightGradOp : Function
{
    private ConvGeometry _g;
    private SavedTensor _x = null!, _gy = null!;
    public override string Name => "ConvolutionBackwardBackward0";

    public static Tensor Apply(Tensor x, Tensor gy, ConvGeometry g)
    {
        var gw = Torch.Zeros(g.WeightShape, x.DType);
        ConvCall.Run(ConvPass.WeightGrad, g, x, gy, null, gw);
        var fn = new ConvWeightGradOp { _g = g };
        (fn._x, fn._gy) = (fn.Save(x), fn.Save(gy));
        return fn.Record(gw, x, gy);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? ConvTransposeOp.Apply(_gy.Value, g, null, _g) : null,
         NeedsGrad(1) ? ConvOp.Apply(_x.Value, g, null, _g) : null];
}
