using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>The view of elements start, start+step, … below end along one dimension.</summary>
/// <remarks>∂/∂x = g placed back into a zero tensor of the input's shape (<see cref="SliceScatter"/>).</remarks>
internal sealed class SliceBackward0 : Function
{
    private int[] _input = [];
    private int _dim, _start, _step;
    public override string Name => "SliceBackward0";

    public static Tensor Apply(Tensor x, int dim, int start, int length, int step = 1)
    {
        var shape = x.Shape;
        var strides = x.Strides;
        shape[dim] = length;
        strides[dim] *= step;
        var y = x.AsView(shape, strides, x.Offset + (length > 0 ? start * x.StridesRef[dim] : 0));
        return new SliceBackward0 { _input = x.ShapeRef, _dim = dim, _start = start, _step = step }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [SliceScatter.Apply(g, _input, _dim, _start, _step)];
}

/// <summary>Embeds a slice into zeros of a larger shape: the adjoint of slicing.</summary>
/// <remarks>∂/∂g = the same slice of the upstream gradient.</remarks>
internal sealed class SliceScatter : Function
{
    private int _dim, _start, _length, _step;
    public override string Name => "SliceScatterBackward0";

    public static Tensor Apply(Tensor g, int[] shape, int dim, int start, int step)
    {
        var y = Torch.Zeros(shape, g.DType);
        var view = new Tensor(y.Storage, g.Shape, ViewStrides(y, dim, step), g.ShapeRef[dim] > 0 ? start * y.StridesRef[dim] : 0);
        var src = g.Contiguous();
        Map.Scatter(src, y, view.Offset, view.ShapeRef, view.StridesRef);
        return new SliceScatter { _dim = dim, _start = start, _length = g.ShapeRef[dim], _step = step }.Record(y, g);
    }

    private static int[] ViewStrides(Tensor y, int dim, int step)
    {
        var s = y.Strides;
        s[dim] *= step;
        return s;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [SliceBackward0.Apply(g, _dim, _start, _length, _step)];
}
