using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// The weight gradient of a convolution, W(x, gy) = ∂⟨C(w)·x, gy⟩/∂w, shared by Conv2d
/// (x = input, gy = output gradient) and ConvTranspose2d (x = output gradient, gy = input).
/// </summary>
/// <remarks>
/// W(x, gy)[k,c,i,j] = Σ_{n,oh,ow} gy[n,k,oh,ow]·x[n,c,oh·s−p+i·d, ow·s−p+j·d]. It is bilinear with
/// ⟨W(x, gy), G⟩ = ⟨C(G)·x, gy⟩, so its backward is ∂/∂x = C(G)ᵀ·gy (ConvTranspose2d) and
/// ∂/∂gy = C(G)·x (Conv2d): gradients of gradients reuse the same two ops.
/// </remarks>
internal sealed class ConvWeightGradBackward : Function
{
    private ConvGeometry _g;
    private SavedTensor _x = null!, _gy = null!;
    public override string Name => "ConvolutionBackwardBackward0";

    public static Tensor Apply(Tensor x, Tensor gy, ConvGeometry g)
    {
        var gw = Torch.Zeros([g.K, g.Cg, g.KH, g.KW], x.DType);
        using (Torch.NoGrad())
        {
            var (xc, gc) = (x.Contiguous(), gy.Contiguous());
            if (x.DType == DType.Float32) ConvWeightGrad.Compute<float>(g, Conv2dBackward.Mem<float>(xc), Conv2dBackward.Mem<float>(gc), Conv2dBackward.Mem<float>(gw));
            else ConvWeightGrad.Compute<double>(g, Conv2dBackward.Mem<double>(xc), Conv2dBackward.Mem<double>(gc), Conv2dBackward.Mem<double>(gw));
        }
        var fn = new ConvWeightGradBackward { _g = g };
        (fn._x, fn._gy) = (fn.Save(x), fn.Save(gy));
        return fn.Record(gw, x, gy);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? ConvTranspose2dBackward.Apply(_gy.Value, g, null, _g) : null,
         NeedsGrad(1) ? Conv2dBackward.Apply(_x.Value, g, null, _g) : null];
}
