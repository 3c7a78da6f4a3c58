using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>The slices of x at the given indices along one dimension, like <c>torch.index_select</c>.</summary>
/// <remarks>∂/∂x = index_add(zeros, dim, index, g): repeated indices accumulate.</remarks>
internal sealed class IndexSelectBackward0 : Function
{
    private int[] _input = [];
    private int _dim;
    private SavedTensor _index = null!;
    public override string Name => "IndexSelectBackward0";

    public static Tensor Apply(Tensor x, int dim, Tensor index)
    {
        int d = Shape.WrapDim(dim, x.Dim);
        var idx = CheckedIndex("index_select", x, d, index);
        // A 0-d input gives a 0-d copy of itself for any valid index, as PyTorch (which leaves the
        // value uninitialised for an empty index; here it is the input's).
        if (x.Dim == 0) idx = Torch.Zeros([1], DType.Int64);
        var src = x.Detach().Contiguous();
        var (outer, size, inner) = Shape.Around(src.ShapeRef, d);
        var shape = x.Shape;
        if (x.Dim > 0) shape[d] = idx.Numel;
        var y = Map.Output(shape, x.DType);
        var i = idx.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: Kernels.Index.Select<float>(src.Span<float>(), outer, size, inner, i, y.Span<float>()); break;
            case DType.Float64: Kernels.Index.Select<double>(src.Span<double>(), outer, size, inner, i, y.Span<double>()); break;
            case DType.Int64: Kernels.Index.Select<long>(src.Span<long>(), outer, size, inner, i, y.Span<long>()); break;
            default: Kernels.Index.Select<bool>(src.Span<bool>(), outer, size, inner, i, y.Span<bool>()); break;
        }
        var fn = new IndexSelectBackward0 { _input = x.ShapeRef, _dim = d };
        fn._index = fn.Save(idx);
        return fn.Record(y, x);
    }

    /// <summary>Validates an index_select/index_add index (int64, a vector or a scalar, within bounds) and returns it dense and 1-D.</summary>
    internal static Tensor CheckedIndex(string op, Tensor x, int dim, Tensor index)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int32 or int64 for index");
        if (index.Dim > 1) throw new IndexOutOfRangeException($"{op}(): Index is supposed to be a vector");
        var idx = index.Contiguous().Reshape(-1);
        int size = x.Dim == 0 ? 1 : x.ShapeRef[dim];
        foreach (var i in idx.Span<long>())
            if (i < 0 || i >= size)
                throw new IndexOutOfRangeException($"{op}(): index {i} is out of bounds for dimension {dim} with size {size}");
        return idx;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [IndexAddBackward0.Apply(Torch.Zeros(_input, g.DType), _dim, _index.Value, g, 1)];
}

/// <summary>x with alpha·source added to the slices at the given indices along one dimension, like <c>torch.index_add</c>.</summary>
/// <remarks>∂/∂x = g; ∂/∂source = alpha·index_select(g, dim, index).</remarks>
internal sealed class IndexAddBackward0 : Function
{
    private int _dim;
    private SavedTensor _index = null!;
    private double _alpha;
    public override string Name => "IndexAddBackward0";

    public static Tensor Apply(Tensor x, int dim, Tensor index, Tensor source, double alpha)
    {
        int d = Shape.WrapDim(dim, x.Dim);
        var idx = IndexSelectBackward0.CheckedIndex("index_add", x, d, index);
        if (source.DType != x.DType) throw new ArgumentException($"index_add_(): self ({x.DType}) and source ({source.DType}) must have the same scalar type");
        var expected = x.Shape;
        if (x.Dim > 0) expected[d] = idx.Numel;
        if (Math.Max(source.Dim, 1) != Math.Max(x.Dim, 1) || (x.Dim > 0 && !Shape.Equal(source.ShapeRef, expected)))
            throw new ArgumentException($"index_add_(): source of shape {Shape.Format(source.ShapeRef)} does not fit self of shape {Shape.Format(x.ShapeRef)} with {idx.Numel} indices along dimension {d} (expected {Shape.Format(expected)})");
        var src = source.Detach().Contiguous();
        var y = Map.Copy(x.Detach());
        var (outer, size, inner) = Shape.Around(y.ShapeRef, d);
        var i = idx.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: Kernels.Index.Add<float>(src.Span<float>(), outer, size, inner, i, (float)alpha, y.Span<float>()); break;
            case DType.Float64: Kernels.Index.Add<double>(src.Span<double>(), outer, size, inner, i, alpha, y.Span<double>()); break;
            case DType.Int64: Kernels.Index.Add<long>(src.Span<long>(), outer, size, inner, i, (long)alpha, y.Span<long>()); break;
            default: throw DTypes.NotImplemented("index_add", x.DType);
        }
        var fn = new IndexAddBackward0 { _dim = d, _alpha = alpha };
        fn._index = fn.Save(idx);
        return fn.Record(y, x, source);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        Tensor? gs = null;
        if (NeedsGrad(1))
        {
            gs = IndexSelectBackward0.Apply(g, _dim, _index.Value);
            if (_alpha != 1) gs = gs * _alpha;
        }
        return [NeedsGrad(0) ? g : null, gs];
    }
}
