using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>Concatenation along one dimension.</summary>
/// <remarks>∂/∂xᵢ = the slice of g that xᵢ occupies.</remarks>
internal sealed class CatBackward0 : Function
{
    private int _dim;
    private int[] _sizes = [];
    public override string Name => "CatBackward0";

    public static Tensor Apply(Tensor[] xs, int dim)
    {
        if (xs.Length == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        var first = xs[0];
        int d = Shape.WrapDim(dim, first.Dim);
        var shape = first.Shape;
        long total = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            var x = xs[i];
            if (x.Dim != first.Dim)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {first.Dim} and {x.Dim}");
            if (x.DType != first.DType)
                throw new ArgumentException($"torch.cat(): expected all tensors to have dtype {first.DType}, but tensor {i} has {x.DType}");
            for (int k = 0; k < x.Dim; k++)
                if (k != d && x.ShapeRef[k] != first.ShapeRef[k])
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {d}. Expected size {first.ShapeRef[k]} but got size {x.ShapeRef[k]} for tensor number {i} in the list.");
            total += x.ShapeRef[d];
        }
        shape[d] = Shape.CheckedSize(total, $"torch.cat(): the size of dimension {d} of the result");
        var y = Torch.Zeros(shape, first.DType);
        int at = 0;
        foreach (var x in xs)
        {
            var src = x.Contiguous();
            int offset = at * y.StridesRef[d];
            Map.Scatter(src, y, offset, x.ShapeRef, y.StridesRef);
            at += x.ShapeRef[d];
        }
        return new CatBackward0 { _dim = d, _sizes = xs.Select(x => x.ShapeRef[d]).ToArray() }.Record(y, xs);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var grads = new Tensor?[_sizes.Length];
        int at = 0;
        for (int i = 0; i < _sizes.Length; i++)
        {
            if (NeedsGrad(i)) grads[i] = g.Narrow(_dim, at, _sizes[i]);
            at += _sizes[i];
        }
        return grads;
    }
}
