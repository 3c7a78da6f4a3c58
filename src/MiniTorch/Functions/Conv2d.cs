using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>2-D convolution (cross-correlation), the linear map C(w) of the input.</summary>
/// <remarks>
/// y = C(w)·x + b, y[n,k,oh,ow] = b[k] + Σ_{c,i,j} w[k,c,i,j]·x[n,c,oh·s−p+i·d, ow·s−p+j·d].
/// Backward: ∂/∂x = C(w)ᵀ·g, which is <see cref="ConvTranspose2dBackward"/> on the same geometry
/// (that is, ConvTranspose2d with outputPadding a = (H + 2p − d(k−1) − 1) mod s, so the gradient has
/// the input's shape); ∂/∂w = <see cref="ConvWeightGradBackward"/>(x, g); ∂/∂b = Σ_{n,h,w} g.
/// All three are differentiable ops, so gradients of gradients work.
/// </remarks>
internal sealed class Conv2dBackward : Function
{
    private ConvGeometry _g;
    private SavedTensor _x = null!, _w = null!;
    private bool _hasBias;
    public override string Name => "ConvolutionBackward0";

    public static Tensor Apply(Tensor x, Tensor w, Tensor? b, ConvGeometry g)
    {
        var y = Torch.Zeros(g.SmallShape, x.DType);
        using (Torch.NoGrad()) Run(g, x, w, b, y, transposed: false);
        var fn = new Conv2dBackward { _g = g, _hasBias = b is not null };
        (fn._x, fn._w) = (fn.Save(x), fn.Save(w));
        return b is null ? fn.Record(y, x, w) : fn.Record(y, x, w, b);
    }

    /// <summary>
    /// The forward kernel of Conv2d (big → small, <paramref name="transposed"/> false) or of
    /// ConvTranspose2d (small → big) on geometry <paramref name="g"/>, written into the zeroed,
    /// contiguous <paramref name="y"/>; operands are made contiguous first. Records nothing.
    /// </summary>
    internal static void Run(ConvGeometry g, Tensor x, Tensor w, Tensor? b, Tensor y, bool transposed)
    {
        var (xc, wc, bc) = (x.Contiguous(), w.Contiguous(), b?.Contiguous());
        if (x.DType == DType.Float32) Run<float>(g, xc, wc, bc, y, transposed);
        else Run<double>(g, xc, wc, bc, y, transposed);
    }

    private static void Run<T>(ConvGeometry g, Tensor x, Tensor w, Tensor? b, Tensor y, bool transposed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (transposed) ConvTranspose.Forward<T>(g, Mem<T>(x), Mem<T>(w), Mem<T>(b), Mem<T>(y));
        else Conv.Forward<T>(g, Mem<T>(x), Mem<T>(w), Mem<T>(b), Mem<T>(y));
    }

    /// <summary>The elements of a contiguous tensor as memory (empty for null).</summary>
    internal static Memory<T> Mem<T>(Tensor? t) where T : unmanaged =>
        t is null ? Memory<T>.Empty : new Memory<T>(t.Data<T>(), t.Offset, t.Numel);

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[_hasBias ? 3 : 2];
        if (NeedsGrad(0)) grads[0] = ConvTranspose2dBackward.Apply(g, _w.Value, null, _g);
        if (NeedsGrad(1)) grads[1] = ConvWeightGradBackward.Apply(_x.Value, g, _g);
        if (_hasBias && NeedsGrad(2)) grads[2] = g.Sum([0, 2, 3]);
        return grads;
    }
}
