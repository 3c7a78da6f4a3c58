using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>The mean over some dimensions (all when none are given).</summary>
/// <remarks>Effectively computes sum(x)/n; ∂/∂x = g/n broadcast back.</remarks>
internal sealed class MeanBackward : Function
{
    private int[] _shape = [];
    private bool[] _reduced = [];
    private bool _keepDim, _all;
    private int _count;
    public override string Name => _all ? "MeanBackward0" : "MeanBackward1";

    public static Tensor Apply(Tensor x, int[]? dims, bool keepDim)
    {
        var reduced = Reduction.Mask(x.Dim, dims);
        int count = 1;
        for (int i = 0; i < x.Dim; i++) if (reduced[i]) count *= x.ShapeRef[i];
        Tensor y;
        using (Torch.NoGrad()) y = SumBackward.Apply(x, dims, keepDim) / count;
        return new MeanBackward { _shape = x.ShapeRef, _reduced = reduced, _keepDim = keepDim, _all = dims is null, _count = count }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Reduction.Unreduce(g / _count, _shape, _reduced, _keepDim)];
}
