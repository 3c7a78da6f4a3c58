using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>The maximum of all elements.</summary>
/// <remarks>As in PyTorch, the gradient is shared evenly among elements that tie for the maximum.</remarks>
internal sealed class MaxBackward1 : Function
{
    private SavedTensor _x = null!, _out = null!;
    public override string Name => "MaxBackward1";

    public static Tensor Apply(Tensor x)
    {
        if (x.Numel == 0) throw new ArgumentException("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        var (values, _) = MaxDim.Compute(x.Reshape(-1).Detach(), 0, false);
        var fn = new MaxBackward1();
        (fn._x, fn._out) = (fn.Save(x), fn.SaveOutput(values));
        return fn.Record(values, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var mask = Map.Binary(_x.Value, _out.Value, new Elementwise.EqualTo());
        return [g * mask / mask.Sum().Item()];
    }
}

/// <summary>The maximum along one dimension, with the index of the first maximum.</summary>
/// <remarks>The gradient flows to the selected index only.</remarks>
internal sealed class MaxDim : Function
{
    private int[] _shape = [];
    private int _dim;
    private bool _keepDim;
    private Tensor _onehot = null!;
    public override string Name => "MaxBackward0";

    public static (Tensor Values, int[] Indices) Apply(Tensor x, int dim, bool keepDim)
    {
        int d = Shape.WrapDim(dim, x.Dim);
        var (values, idx) = Compute(x, d, keepDim);
        var fn = new MaxDim { _shape = x.ShapeRef, _dim = d, _keepDim = keepDim };
        if (GradMode.IsEnabled && x.RequiresGrad) fn._onehot = OneHot(x, d, idx);
        return (fn.Record(values, x), idx);
    }

    internal static (Tensor Values, int[] Indices) Compute(Tensor x, int dim, bool keepDim)
    {
        if (x.Dim > 0 && x.ShapeRef[dim] == 0) throw new ArgumentException($"max(): Expected reduction dim {dim} to have non-zero size.");
        var reduced = Reduction.Mask(x.Dim, x.Dim == 0 ? null : [dim]);
        var (src, values, length) = Reduction.Prepare(x, reduced, keepDim);
        var idx = new int[values.Numel];
        if (src.DType == DType.Float32) Reduce.MaxRows<float>(src.Span<float>(), length, values.Span<float>(), idx);
        else Reduce.MaxRows<double>(src.Span<double>(), length, values.Span<double>(), idx);
        return (values, idx);
    }

    /// <summary>A constant 0/1 tensor of x's shape with a 1 at each selected index along <paramref name="dim"/>.</summary>
    private static Tensor OneHot(Tensor x, int dim, int[] idx)
    {
        var shape = x.ShapeRef;
        int inner = 1, size = shape.Length == 0 ? 1 : shape[dim];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        var mask = Torch.Zeros(shape, x.DType == DType.Float32 ? DType.Float32 : DType.Float64);
        if (mask.DType == DType.Float32) Batched.OneHot<float>(idx, size, inner, mask.Span<float>());
        else Batched.OneHot<double>(idx, size, inner, mask.Span<double>());
        return mask.DType == x.DType ? mask : mask.To(x.DType);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [Reduction.Unreduce(g, _shape, Reduction.Mask(_shape.Length, _shape.Length == 0 ? null : [_dim]), _keepDim) * _onehot];
}
