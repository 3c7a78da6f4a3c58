using MiniTorch.Autograd;
using MiniTorch.Kernels;
using MiniTorch.Storage;

namespace MiniTorch.Functions;

/// <summary>Reverses the order of elements along some dimensions (a copy, as in PyTorch).</summary>
/// <remarks>Flip is its own inverse: ∂/∂x = flip(g).</remarks>
internal sealed class FlipBackward0 : Function
{
    private int[] _dims = [];
    public override string Name => "FlipBackward0";

    public static Tensor Apply(Tensor x, int[] dims)
    {
        var mask = Reduction.Mask(x.Dim, dims);
        var strides = x.Strides;
        int offset = x.Offset;
        for (int i = 0; i < x.Dim; i++)
            if (mask[i] && x.ShapeRef[i] > 0) { offset += (x.ShapeRef[i] - 1) * strides[i]; strides[i] = -strides[i]; }
        var y = new Tensor(TensorStorage.Allocate(x.DType, x.Numel), x.Shape);
        Map.Gather(x, offset, x.ShapeRef, strides, y);
        return new FlipBackward0 { _dims = dims }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.Flip(_dims)];
}
