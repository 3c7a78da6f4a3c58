using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Shared shape handling of the pooling ops: [N, C, spatial…] viewed as [planes, plane].</summary>
internal static class PoolShapes
{
    /// <summary>The output shape: the input's leading dims, then the windows' output sizes in the op's rank.</summary>
    public static int[] Output(int[] input, int rank, Pool.Windows win)
    {
        int[] spatial = rank switch { 1 => [win.W.Out], 2 => [win.H.Out, win.W.Out], _ => [win.D.Out, win.H.Out, win.W.Out] };
        return [.. input[..^rank], .. spatial];
    }

    public static int Planes(int[] shape, int rank) => Shape.Numel(shape[..^rank]);
}

/// <summary>Max pooling (fixed or adaptive windows) with the index of each maximum within its input plane.</summary>
/// <remarks>
/// ∂/∂x = g scatter-added to the maxima (repeated maxima of overlapping windows accumulate); the
/// scatter-add is differentiable (its adjoint gathers at the same indices), so double backward works.
/// </remarks>
internal sealed class MaxPoolBackward : Function
{
    private int[] _input = [];
    private SavedTensor _indices = null!;
    private int _planes, _inPlane;
    private string _name = "";
    public override string Name => _name;

    public static (Tensor Output, Tensor Indices) Apply(Tensor x, int rank, Pool.Windows win, string name)
    {
        x.RequireFloat(name);
        var src = x.Detach().Contiguous();
        var shape = PoolShapes.Output(x.ShapeRef, rank, win);
        int planes = PoolShapes.Planes(x.ShapeRef, rank);
        var y = Map.Output(shape, x.DType);
        var idx = Map.Output(shape, DType.Int64);
        if (x.DType == DType.Float32) Pool.Max(Dense<float>(src), planes, win, Dense<float>(y), Dense<long>(idx));
        else Pool.Max(Dense<double>(src), planes, win, Dense<double>(y), Dense<long>(idx));
        var fn = new MaxPoolBackward { _input = x.ShapeRef, _planes = planes, _inPlane = win.InPlane, _name = name };
        fn._indices = fn.SaveOutput(idx, 1);   // returned to the caller by the WithIndices forms: a write to it is caught
        return (fn.Record(y, x), idx);
    }

    /// <summary>The array behind a dense tensor this file allocated or made contiguous (offset 0 or a copy).</summary>
    internal static T[] Dense<T>(Tensor t) where T : unmanaged => t.Offset == 0 && t.IsContiguous && t.Storage.Length == t.Numel ? t.Data<T>() : t.Span<T>().ToArray();

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var zeros = Torch.Zeros([_planes, _inPlane], g.DType);
        return [ScatterAddBackward0.Apply(zeros, 1, _indices.Value.Reshape(_planes, -1), g.Reshape(_planes, -1)).Reshape(_input)];
    }
}

/// <summary>Average pooling (fixed or adaptive windows).</summary>
/// <remarks>∂/∂x = every tap of a window receives g/divisor: <see cref="AvgPoolAdjoint"/>, whose own adjoint is this op, so double backward works.</remarks>
internal sealed class AvgPoolBackward : Function
{
    private int[] _input = [];
    private int _rank;
    private Pool.Windows _win;
    private int? _divisor;
    private bool _sequential;
    private string _name = "";
    public override string Name => _name;

    public static Tensor Apply(Tensor x, int rank, Pool.Windows win, int? divisor, bool sequential, string name)
    {
        x.RequireFloat(name);
        var src = x.Detach().Contiguous();
        var shape = PoolShapes.Output(x.ShapeRef, rank, win);
        int planes = PoolShapes.Planes(x.ShapeRef, rank);
        var y = Map.Output(shape, x.DType);
        if (x.DType == DType.Float32) Pool.Average(MaxPoolBackward.Dense<float>(src), planes, win, divisor, sequential, MaxPoolBackward.Dense<float>(y));
        else Pool.Average(MaxPoolBackward.Dense<double>(src), planes, win, divisor, sequential, MaxPoolBackward.Dense<double>(y));
        var fn = new AvgPoolBackward { _input = x.ShapeRef, _rank = rank, _win = win, _divisor = divisor, _sequential = sequential, _name = name };
        return fn.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [AvgPoolAdjoint.Apply(g, _input, _rank, _win, _divisor, _sequential, _name)];
}

/// <summary>The adjoint of average pooling: g spread over each window's taps, divided as the forward divides.</summary>
internal sealed class AvgPoolAdjoint : Function
{
    private int _rank;
    private Pool.Windows _win;
    private int? _divisor;
    private bool _sequential;
    private string _forward = "";
    public override string Name => _forward.Replace("Backward0", "BackwardBackward0");

    public static Tensor Apply(Tensor g, int[] inputShape, int rank, Pool.Windows win, int? divisor, bool sequential, string forwardName)
    {
        var src = g.Detach().Contiguous();
        int planes = PoolShapes.Planes(inputShape, rank);
        var gx = Torch.Zeros(inputShape, g.DType);
        if (g.DType == DType.Float32) Pool.AverageAdjoint(MaxPoolBackward.Dense<float>(src), planes, win, divisor, sequential, gx.Data<float>());
        else Pool.AverageAdjoint(MaxPoolBackward.Dense<double>(src), planes, win, divisor, sequential, gx.Data<double>());
        var fn = new AvgPoolAdjoint { _rank = rank, _win = win, _divisor = divisor, _sequential = sequential, _forward = forwardName };
        return fn.Record(gx, g);
    }

    protected internal override Tensor?[] Backward(Tensor gg) => [AvgPoolBackward.Apply(gg, _rank, _win, _divisor, _sequential, _forward)];
}

/// <summary>The inverse of max pooling: values placed at their indices in a zero tensor, like <c>max_unpool</c>.</summary>
/// <remarks>∂/∂x = g gathered at the indices (differentiable, so double backward works).</remarks>
internal sealed class MaxUnpoolBackward : Function
{
    private int[] _input = [];
    private SavedTensor _indices = null!;
    private int _planes;
    private string _name = "";
    public override string Name => _name;

    public static Tensor Apply(Tensor x, Tensor indices, int rank, int[] outputSpatial, string name)
    {
        x.RequireFloat(name);
        if (indices.DType != DType.Int64) throw new ArgumentException($"{name}: expected indices to have dtype int64, got {indices.DType}");
        if (!Shape.Equal(indices.ShapeRef, x.ShapeRef))
            throw new ArgumentException($"Expected shape of indices to be same as that of the input tensor ({Shape.Format(x.ShapeRef)}) but got indices tensor with shape: {Shape.Format(indices.ShapeRef)}");
        int planes = PoolShapes.Planes(x.ShapeRef, rank);
        int inPlane = Shape.Numel(x.ShapeRef[^rank..]), outPlane = Shape.Numel(outputSpatial);
        var idx = indices.Contiguous();
        var y = Torch.Zeros([.. x.ShapeRef[..^rank], .. outputSpatial], x.DType);
        // An empty output holds nothing to place, and PyTorch checks no index then.
        if (y.Numel > 0)
        {
            foreach (var i in idx.Span<long>())
                if (i < 0 || i >= outPlane)
                    throw new ArgumentException($"Found an invalid max index: {i} (output volumes are of size {string.Join("x", outputSpatial)})");
            var src = x.Detach().Contiguous();
            var id = MaxPoolBackward.Dense<long>(idx);
            if (x.DType == DType.Float32) Pool.Unpool(MaxPoolBackward.Dense<float>(src), id, planes, inPlane, outPlane, y.Data<float>());
            else Pool.Unpool(MaxPoolBackward.Dense<double>(src), id, planes, inPlane, outPlane, y.Data<double>());
        }
        var fn = new MaxUnpoolBackward { _input = x.ShapeRef, _planes = planes, _name = name };
        fn._indices = fn.Save(idx);
        return fn.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [g.Numel == 0 ? Torch.Zeros(_input, g.DType) : GatherBackward0.Apply(g.Reshape(_planes, -1), 1, _indices.Value.Reshape(_planes, -1)).Reshape(_input)];
}
