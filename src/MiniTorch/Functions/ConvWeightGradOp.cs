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
    private Tensor _x = null!, _gy = null!;
    public override string Name => "ConvolutionBackwardBackward0";

    public static Tensor Apply(Tensor x, Tensor gy, ConvGeometry g)
    {
        var gw = Torch.Zeros(g.WeightShape, x.DType);
        ConvCall.Run(ConvPass.WeightGrad, g, x, gy, null, gw);
        return new ConvWeightGradOp { _g = g, _x = x, _gy = gy }.Record(gw, x, gy);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? ConvTransposeOp.Apply(_gy, g, null, _g) : null,
         NeedsGrad(1) ? ConvOp.Apply(_x, g, null, _g) : null];
}
