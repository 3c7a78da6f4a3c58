using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Convolution (cross-correlation) in any spatial rank: the linear map C(w) of the input, big side → small side.</summary>
/// <remarks>
/// y = C(w)·x + b, y[n,k,o] = b[k] + Σ_{c,t} w[k,c,t]·x[n,c,o·s−p+t·d]; effectively computes PyTorch's
/// conv1d/conv2d/conv3d. Backward: ∂/∂x = C(w)ᵀ·g, which is <see cref="ConvTransposeOp"/> on the same
/// geometry (the transposed convolution with outputPadding a = (H + 2p − d(k−1) − 1) mod s, so the
/// gradient has the input's shape); ∂/∂w = <see cref="ConvWeightGradOp"/>(x, g); ∂/∂b = Σ g over
/// batch and positions. All three are differentiable ops, so gradients of gradients work. Prints as
/// PyTorch's grad_fn, <c>ConvolutionBackward0</c>.
/// </remarks>
internal sealed class ConvOp : Function
{
    private ConvGeometry _g;
    private SavedTensor _x = null!, _w = null!;
    private bool _hasBias;
    public override string Name => "ConvolutionBackward0";

    public static Tensor Apply(Tensor x, Tensor w, Tensor? b, ConvGeometry g)
    {
        var route = ConvPlanner.Resolve(g, ConvPass.Forward);
        var y = ConvCall.Output(g, g.SmallShape, x.DType, route, ConvPass.Forward);
        ConvCall.Run(ConvPass.Forward, g, x, w, b, y, route);
        var fn = new ConvOp { _g = g, _hasBias = b is not null };
        (fn._x, fn._w) = (fn.Save(x), fn.Save(w));
        return b is null ? fn.Record(y, x, w) : fn.Record(y, x, w, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[_hasBias ? 3 : 2];
        if (NeedsGrad(0)) grads[0] = ConvTransposeOp.Apply(g, _w.Value, null, _g);
        if (NeedsGrad(1)) grads[1] = ConvWeightGradOp.Apply(_x.Value, g, _g);
        if (_hasBias && NeedsGrad(2)) grads[2] = g.Sum(SpatialAndBatch(g.Dim));
        return grads;
    }

    /// <summary>The dimensions a bias gradient sums over: the batch and every spatial one.</summary>
    internal static int[] SpatialAndBatch(int rank) => [0, .. Enumerable.Range(2, rank - 2)];
}
