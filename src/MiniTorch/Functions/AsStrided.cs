using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Storage;

namespace MiniTorch.Functions;

/// <summary>
/// The gradient route of a view whose storage was written in place after the view was taken:
/// PyTorch then regenerates the view's grad_fn as <c>as_strided</c> of its base, so that gradients
/// reach the base's new history. MiniTorch does the same on the view's next use.
/// </summary>
/// <remarks>
/// y = the elements of the base at the view's positions; ∂/∂base = g scattered (added) back onto
/// those positions, <see cref="AsStridedScatter"/>.
/// </remarks>
internal sealed class AsStridedBackward0 : Function
{
    private int[] _baseShape = [], _map = [];
    public override string Name => "AsStridedBackward0";

    /// <summary>Gives <paramref name="view"/> the history "elements of <paramref name="base"/>", if the base requires grad.</summary>
    public static void Regenerate(Tensor view, Tensor @base)
    {
        var fn = new AsStridedBackward0 { _baseShape = @base.ShapeRef, _map = ElementMap.Of(@base, view) };
        // As in PyTorch, whatever the grad mode: the view's history is a property of the view.
        if (fn.Connect([@base], evenWithoutGradMode: true)) view.SetHistory(fn);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [AsStridedScatter.Apply(g, _map, _baseShape)];
}

/// <summary>Reads the elements at flat indices <c>map</c> of a tensor into a new tensor of a given shape.</summary>
/// <remarks>y[i] = x.flat[map[i]]; ∂/∂x = g scatter-added back (<see cref="AsStridedScatter"/>).</remarks>
internal sealed class AsStridedGather : Function
{
    private int[] _map = [], _input = [];
    public override string Name => "AsStridedBackward0";

    public static Tensor Apply(Tensor x, int[] map, int[] shape)
    {
        var y = new Tensor(TensorStorage.AllocateUninitialized(x.DType, map.Length), (int[])shape.Clone());
        var xc = x.Detach().Contiguous();
        if (x.DType == DType.Float32) Kernels.IndexMap.Gather<float>(xc.Span<float>(), map, y.Span<float>());
        else Kernels.IndexMap.Gather<double>(xc.Span<double>(), map, y.Span<double>());
        return new AsStridedGather { _map = map, _input = x.ShapeRef }.Record(y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [AsStridedScatter.Apply(g, _map, _input)];
}

/// <summary>Adds the elements of a tensor onto flat indices <c>map</c> of zeros of a given shape: the adjoint of <see cref="AsStridedGather"/>.</summary>
/// <remarks>y.flat[map[i]] += g[i]; ∂/∂g = the gathered upstream gradient.</remarks>
internal sealed class AsStridedScatter : Function
{
    private int[] _map = [], _input = [];
    public override string Name => "AsStridedScatterBackward0";

    public static Tensor Apply(Tensor g, int[] map, int[] shape)
    {
        var y = Torch.Zeros(shape, g.DType);
        var gc = g.Detach().Contiguous();
        if (g.DType == DType.Float32) Run<float>(gc, map, y);
        else Run<double>(gc, map, y);
        return new AsStridedScatter { _map = map, _input = g.ShapeRef }.Record(y, g);
    }

    private static void Run<T>(Tensor g, int[] map, Tensor y) where T : unmanaged, INumber<T> =>
        Kernels.IndexMap.ScatterAdd<T>(g.Span<T>(), map, y.Span<T>());

    protected internal override Tensor?[] Backward(Tensor g) => [AsStridedGather.Apply(g, _map, _input)];
}

/// <summary>Where the elements of a view sit in the tensor it views.</summary>
internal static class ElementMap
{
    /// <summary>For each element of <paramref name="view"/> (row-major), the row-major index of the same memory element in <paramref name="base"/>.</summary>
    public static int[] Of(Tensor @base, Tensor view)
    {
        var map = new int[view.Numel];
        Kernels.IndexMap.Positions(view.Offset, view.ShapeRef, view.StridesRef, map);
        if (@base.IsContiguous)
        {
            for (int i = 0; i < map.Length; i++) map[i] -= @base.Offset;
            return map;
        }
        if (Shape.HasInternalOverlap(@base.ShapeRef, @base.StridesRef))
            throw new NotSupportedException(
                $"an in-place write through a view of a tensor whose elements share memory (shape {Shape.Format(@base.ShapeRef)}, strides {Shape.Format(@base.StridesRef)}) cannot be differentiated; clone() the tensor first");
        var layout = new int[@base.Numel];
        Kernels.IndexMap.Positions(@base.Offset, @base.ShapeRef, @base.StridesRef, layout);
        Kernels.IndexMap.ToLayoutIndices(layout, map);
        return map;
    }
}
