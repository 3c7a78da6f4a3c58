using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>2-D transposed convolution: the adjoint C(w)ᵀ of <see cref="Conv2dBackward"/>'s map.</summary>
/// <remarks>
/// y = C(w)ᵀ·z + b; effectively computes the scatter view: each input element scales the kernel
/// and the copies, placed s apart, are summed (cropped by p, extended by outputPadding).
/// Backward: ∂/∂z = C(w)·g, which is <see cref="Conv2dBackward"/> on the same geometry;
/// ∂/∂w = <see cref="ConvWeightGradBackward"/>(g, z) because ⟨Cᵀz, g⟩ = ⟨z, C g⟩; ∂/∂b = Σ_{n,h,w} g.
/// </remarks>
internal sealed class ConvTranspose2dBackward : Function
{
    private ConvGeometry _g;
    private SavedTensor _z = null!, _w = null!;
    private bool _hasBias;
    public override string Name => "ConvolutionBackward0";

    public static Tensor Apply(Tensor z, Tensor w, Tensor? b, ConvGeometry g)
    {
        var y = Torch.Zeros(g.BigShape, z.DType);
        using (Torch.NoGrad()) Conv2dBackward.Run(g, z, w, b, y, transposed: true);
        var fn = new ConvTranspose2dBackward { _g = g, _hasBias = b is not null };
        (fn._z, fn._w) = (fn.Save(z), fn.Save(w));
        return b is null ? fn.Record(y, z, w) : fn.Record(y, z, w, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[_hasBias ? 3 : 2];
        if (NeedsGrad(0)) grads[0] = Conv2dBackward.Apply(g, _w.Value, null, _g);
        if (NeedsGrad(1)) grads[1] = ConvWeightGradBackward.Apply(g, _z.Value, _g);
        if (_hasBias && NeedsGrad(2)) grads[2] = g.Sum([0, 2, 3]);
        return grads;
    }
}
