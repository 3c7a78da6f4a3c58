using MiniTorch.Functions;

namespace MiniTorch.Autograd;

/// <summary>
/// The new history of a tensor after an in-place op wrote through one of its views (PyTorch's
/// <c>CopySlices</c>): outside the view the tensor is what it was; inside, it is the op's output.
/// </summary>
/// <remarks>
/// With g the gradient of the whole tensor, g_v = g at the view's elements is handed to the op's
/// own backward; the old tensor receives g with the view's elements replaced by the op's gradient
/// for the view's old values, and the op's other inputs receive theirs. Written with
/// <see cref="AsStridedGather"/>/<see cref="AsStridedScatter"/> and a constant mask, so it is
/// differentiable again.
/// </remarks>
internal sealed class CopySlices : Function
{
    private Function _op = null!;
    private int[] _map = [], _viewShape = [];
    public override string Name => "CopySlices";
    internal override string MessageName => "torch::autograd::CopySlices";

    /// <summary>
    /// Gives <paramref name="base"/> the history "<paramref name="baseBefore"/> with the view's
    /// elements (<paramref name="map"/>, shaped <paramref name="viewShape"/>) replaced by the output of
    /// <paramref name="op"/>", whose input 0 stood for the view's old values.
    /// </summary>
    public static void Rebase(Tensor @base, Tensor baseBefore, Function op, int[] map, int[] viewShape)
    {
        var fn = new CopySlices { _op = op, _map = map, _viewShape = viewShape };
        Tensor[] inputs = [baseBefore, .. op.Inputs.Skip(1)];
        if (fn.Connect(inputs)) @base.SetHistory(fn);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        _op.CheckSaved();
        var opGrads = _op.Backward(AsStridedGather.Apply(g, _map, _viewShape));
        var grads = new Tensor?[Inputs.Count];
        if (NeedsGrad(0))
        {
            var gb = g * Outside(g);
            grads[0] = opGrads[0] is { } gv ? gb + AsStridedScatter.Apply(gv, _map, g.ShapeRef) : gb;
        }
        for (int i = 1; i < grads.Length; i++) grads[i] = NeedsGrad(i) ? opGrads[i] : null;
        return grads;
    }

    /// <summary>A constant of g's shape and type: 1 outside the view's elements, 0 inside.</summary>
    private Tensor Outside(Tensor g)
    {
        var mask = new double[g.Numel];
        Array.Fill(mask, 1.0);
        foreach (var i in _map) mask[i] = 0;
        return Torch.FromDoubles(mask, g.ShapeRef, g.DType);
    }

    internal override void Release()
    {
        base.Release();
        _op.Release();
    }
}
