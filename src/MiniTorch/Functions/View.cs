using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// A reshaping view (view, reshape, squeeze, unsqueeze): of a contiguous tensor, or with explicit
/// strides when only size-1 dimensions are inserted or removed, which any layout allows.
/// </summary>
/// <remarks>∂/∂x = g reshaped to the input's shape.</remarks>
internal sealed class ViewBackward : Function
{
    private int[] _input = [];
    private string _name = "ViewBackward0";
    public override string Name => _name;

    public static Tensor Apply(Tensor x, int[] shape, string name = "ViewBackward0", int[]? strides = null)
    {
        if (strides is null && !x.IsContiguous)
            throw new InvalidOperationException("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        var y = x.AsView(shape, strides ?? Shape.ContiguousStrides(shape), x.Offset);
        return new ViewBackward { _input = x.ShapeRef, _name = name }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.Reshape(_input)];
}

/// <summary>A permutation of the dimensions (a view).</summary>
/// <remarks>∂/∂x = g permuted by the inverse permutation.</remarks>
internal sealed class PermuteBackward : Function
{
    private int[] _perm = [];
    private string _name = "PermuteBackward0";
    public override string Name => _name;

    public static Tensor Apply(Tensor x, int[] dims, string name = "PermuteBackward0")
    {
        if (dims.Length != x.Dim)
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {x.Dim} is not equal to len(dims) = {dims.Length}");
        var perm = new int[dims.Length];
        var seen = new bool[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            perm[i] = Shape.WrapDim(dims[i], x.Dim);
            if (seen[perm[i]]) throw new ArgumentException("permute(): duplicate dims are not allowed.");
            seen[perm[i]] = true;
        }
        var shape = new int[perm.Length];
        var strides = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) { shape[i] = x.ShapeRef[perm[i]]; strides[i] = x.StridesRef[perm[i]]; }
        return new PermuteBackward { _perm = perm, _name = name }.Record(x.AsView(shape, strides, x.Offset), x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var inverse = new int[_perm.Length];
        for (int i = 0; i < _perm.Length; i++) inverse[_perm[i]] = i;
        return [g.Permute(inverse)];
    }
}

/// <summary>Broadcasting of size-1 dimensions to larger sizes, without copying (stride 0).</summary>
/// <remarks>∂/∂x = g summed over the expanded dimensions.</remarks>
internal sealed class ExpandBackward0 : Function
{
    private int[] _input = [];
    public override string Name => "ExpandBackward0";

    public static Tensor Apply(Tensor x, int[] shape)
    {
        var e = x.ExpandView(shape);
        return new ExpandBackward0 { _input = x.ShapeRef }.Record(x.AsView(e.ShapeRef, e.StridesRef, e.Offset), x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.SumTo(_input)];
}

/// <summary>A dense copy (contiguous / clone).</summary>
internal sealed class CloneBackward0 : Function
{
    public override string Name => "CloneBackward0";
    public static Tensor Apply(Tensor x) => new CloneBackward0().Record(Map.Copy(x), x);
    protected internal override Tensor?[] Backward(Tensor g) => [g];
}

/// <summary>A change of element type.</summary>
/// <remarks>∂/∂x = g converted back to the input's type.</remarks>
internal sealed class ToCopyBackward0 : Function
{
    private DType _from;
    public override string Name => "ToCopyBackward0";

    public static Tensor Apply(Tensor x, DType dtype)
    {
        var src = x.Detach().Contiguous();
        var y = Map.Output(x.ShapeRef, dtype);
        switch (src.DType)
        {
            case DType.Float32: Conversion.Run<float>(src.Span<float>(), y); break;
            case DType.Float64: Conversion.Run<double>(src.Span<double>(), y); break;
            case DType.Int64: Conversion.Run<long>(src.Span<long>(), y); break;
            default: Conversion.Run<bool>(src.Span<bool>(), y); break;
        }
        return new ToCopyBackward0 { _from = x.DType }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.To(_from)];
}
