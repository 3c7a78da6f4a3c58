using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>out[i][j][k] = x[index[i][j][k]][j][k] (for dim 0), like <c>torch.gather</c>.</summary>
/// <remarks>∂/∂x = scatter_add(zeros, dim, index, g): gather and scatter-add are each other's adjoint.</remarks>
internal sealed class GatherBackward0 : Function
{
    private int[] _input = [];
    private int _dim;
    private SavedTensor _index = null!;
    public override string Name => "GatherBackward0";

    public static Tensor Apply(Tensor x, int dim, Tensor index)
    {
        int d = Shape.WrapDim(dim, x.Dim);
        var idx = CheckedIndex("gather", x, d, index);
        var src = x.Detach().Contiguous();
        var y = Map.Output(index.ShapeRef, x.DType);
        var i = idx.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: Kernels.Index.Gather<float>(src.Span<float>(), src.ShapeRef, i, index.ShapeRef, d, y.Span<float>()); break;
            case DType.Float64: Kernels.Index.Gather<double>(src.Span<double>(), src.ShapeRef, i, index.ShapeRef, d, y.Span<double>()); break;
            case DType.Int64: Kernels.Index.Gather<long>(src.Span<long>(), src.ShapeRef, i, index.ShapeRef, d, y.Span<long>()); break;
            default: Kernels.Index.Gather<bool>(src.Span<bool>(), src.ShapeRef, i, index.ShapeRef, d, y.Span<bool>()); break;
        }
        var fn = new GatherBackward0 { _input = x.ShapeRef, _dim = d };
        fn._index = fn.Save(idx);
        return fn.Record(y, x);
    }

    /// <summary>Validates a gather/scatter index (int64, same rank, within bounds) and returns it dense.</summary>
    internal static Tensor CheckedIndex(string op, Tensor x, int dim, Tensor index)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index");
        Shape.CheckGather(op, x.ShapeRef, index.ShapeRef, dim);
        var idx = index.Contiguous();
        Shape.CheckIndices(idx.Span<long>(), x.Dim == 0 ? 1 : x.ShapeRef[dim], dim);
        return idx;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [ScatterAddBackward0.Apply(Torch.Zeros(_input, g.DType), _dim, _index.Value, g)];
}

/// <summary>x with src added at the positions an index names along one dimension, like <c>torch.scatter_add</c>.</summary>
/// <remarks>∂/∂x = g; ∂/∂src = gather(g, dim, index).</remarks>
internal sealed class ScatterAddBackward0 : Function
{
    private int _dim;
    private SavedTensor _index = null!;
    private int[] _src = [];
    public override string Name => "ScatterAddBackward0";

    public static Tensor Apply(Tensor x, int dim, Tensor index, Tensor src)
    {
        int d = Shape.WrapDim(dim, x.Dim);
        if (src.DType != x.DType) throw new ArgumentException($"scatter_add(): Expected self.dtype to be equal to src.dtype (got {x.DType} and {src.DType})");
        var idx = GatherBackward0.CheckedIndex("scatter_add", x, d, index);
        Shape.CheckGather("scatter_add", src.ShapeRef, index.ShapeRef, -1);
        // Only the index-shaped corner of src takes part, as in PyTorch.
        var part = src.Detach();
        for (int k = 0; k < index.Dim; k++) part = part.Narrow(k, 0, index.ShapeRef[k]);
        part = part.Contiguous();
        var y = Map.Copy(x.Detach());
        var i = idx.Span<long>();
        switch (x.DType)
        {
            case DType.Float32: Kernels.Index.ScatterAdd<float>(part.Span<float>(), i, index.ShapeRef, d, y.Span<float>(), y.ShapeRef); break;
            case DType.Float64: Kernels.Index.ScatterAdd<double>(part.Span<double>(), i, index.ShapeRef, d, y.Span<double>(), y.ShapeRef); break;
            case DType.Int64: Kernels.Index.ScatterAdd<long>(part.Span<long>(), i, index.ShapeRef, d, y.Span<long>(), y.ShapeRef); break;
            default: throw DTypes.NotImplemented("scatter_add", x.DType);
        }
        var fn = new ScatterAddBackward0 { _dim = d, _src = src.ShapeRef };
        fn._index = fn.Save(idx);
        return fn.Record(y, x, src);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        Tensor? gs = null;
        if (NeedsGrad(1))
        {
            gs = GatherBackward0.Apply(g, _dim, _index.Value);
            // src may be larger than the index: the rest of it got no use and gets no gradient.
            if (!Shape.Equal(gs.ShapeRef, _src))
            {
                var pad = new int[2 * _src.Length];
                for (int k = 0; k < _src.Length; k++) pad[2 * (_src.Length - 1 - k) + 1] = _src[k] - gs.ShapeRef[k];
                gs = Nn.F.Pad(gs, pad);
            }
        }
        return [NeedsGrad(0) ? g : null, gs];
    }
}
