using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>The view at one index of one dimension, which disappears, like <c>x[i]</c> or <c>x.select(dim, i)</c>.</summary>
/// <remarks>∂/∂x = g placed at that index of a zero tensor of the input's shape.</remarks>
internal sealed class SelectBackward0 : Function
{
    private int[] _input = [];
    private int _dim, _index;
    public override string Name => "SelectBackward0";

    public static Tensor Apply(Tensor x, int dim, int index)
    {
        var shape = x.Shape.Where((_, i) => i != dim).ToArray();
        var strides = x.Strides.Where((_, i) => i != dim).ToArray();
        var y = x.AsView(shape, strides, x.Offset + index * x.StridesRef[dim]);
        return new SelectBackward0 { _input = x.ShapeRef, _dim = dim, _index = index }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [SliceScatter.Apply(g.Unsqueeze(_dim), _input, _dim, _index, 1)];
}
