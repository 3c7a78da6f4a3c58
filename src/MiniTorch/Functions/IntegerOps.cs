using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// The operations on int64 and bool tensors, and comparisons of any tensors. None of them is
/// differentiable (their results are integers or booleans), so they are plain functions rather
/// than graph nodes; they broadcast as PyTorch does and call the kernels in <see cref="Integer"/>.
/// </summary>
internal static class IntegerOps
{
    /// <summary>a op b for two int64 tensors, or and/or/xor for two bool tensors (broadcast).</summary>
    public static Tensor Binary(Tensor a, Tensor b, IntegerOp op)
    {
        var shape = Shape.Broadcast(a.ShapeRef, b.ShapeRef);
        var y = Map.Output(shape, a.DType);
        if (a.DType == DType.Bool) Integer.Logical(op, Map.Broadcast<bool>(a, shape), Map.Broadcast<bool>(b, shape), y.Span<bool>());
        else Integer.Run(op, Map.Broadcast<long>(a, shape), Map.Broadcast<long>(b, shape), y.Span<long>());
        return y;
    }

    /// <summary>a cmp b element-wise as a bool tensor; the operands are first promoted to a common type.</summary>
    public static Tensor Compare(Tensor a, Tensor b, CompareOp op)
    {
        var dt = DTypes.ResultType(a, b);
        if (dt == DType.Bool) dt = DType.Int64; // false < true, as 0 < 1
        a = a.Detach().To(dt);
        b = b.Detach().To(dt);
        var shape = Shape.Broadcast(a.ShapeRef, b.ShapeRef);
        var y = Map.Output(shape, DType.Bool);
        switch (dt)
        {
            case DType.Float32: Integer.Compare<float>(op, Map.Broadcast<float>(a, shape), Map.Broadcast<float>(b, shape), y.Span<bool>()); break;
            case DType.Float64: Integer.Compare<double>(op, Map.Broadcast<double>(a, shape), Map.Broadcast<double>(b, shape), y.Span<bool>()); break;
            default: Integer.Compare<long>(op, Map.Broadcast<long>(a, shape), Map.Broadcast<long>(b, shape), y.Span<bool>()); break;
        }
        return y;
    }

    /// <summary>condition ? a : b element-wise (broadcast; a and b of one dtype, which the result has).</summary>
    public static Tensor Select(Tensor condition, Tensor a, Tensor b)
    {
        var shape = Shape.Broadcast(Shape.Broadcast(condition.ShapeRef, a.ShapeRef), b.ShapeRef);
        var c = Map.Broadcast<bool>(condition, shape);
        var y = Map.Output(shape, a.DType);
        switch (a.DType)
        {
            case DType.Float32: Integer.Select(c, Map.Broadcast<float>(a, shape), Map.Broadcast<float>(b, shape), y.Span<float>()); break;
            case DType.Float64: Integer.Select(c, Map.Broadcast<double>(a, shape), Map.Broadcast<double>(b, shape), y.Span<double>()); break;
            case DType.Int64: Integer.Select(c, Map.Broadcast<long>(a, shape), Map.Broadcast<long>(b, shape), y.Span<long>()); break;
            default: Integer.Select(c, Map.Broadcast<bool>(a, shape), Map.Broadcast<bool>(b, shape), y.Span<bool>()); break;
        }
        return y;
    }

    /// <summary>−x or |x| of an int64 tensor.</summary>
    public static Tensor Unary(Tensor x, bool abs)
    {
        var c = x.Contiguous();
        var y = Map.Output(c.ShapeRef, DType.Int64);
        if (abs) Integer.Abs(c.Span<long>(), y.Span<long>()); else Integer.Negate(c.Span<long>(), y.Span<long>());
        return y;
    }

    /// <summary>The sum of an int64 or bool tensor over <paramref name="dims"/> (all when null), as int64.</summary>
    public static Tensor Sum(Tensor x, int[]? dims, bool keepDim)
    {
        var reduced = Reduction.Mask(x.Dim, dims);
        var (src, _, length) = Reduction.Prepare(x.To(DType.Int64), reduced, keepDim);
        var y = Torch.Zeros(Reduction.ReducedShape(x.ShapeRef, reduced, keepDim), DType.Int64);
        Integer.SumRows(src.Span<long>(), length, y.Span<long>());
        return y;
    }

    /// <summary>The index of the first largest (or smallest) element along <paramref name="dim"/>, or of the flattened tensor; int64.</summary>
    public static Tensor ArgExtreme(Tensor x, int? dim, bool keepDim, bool max)
    {
        string name = max ? "argmax" : "argmin";
        if (x.DType == DType.Bool)
        {
            // PyTorch answers a reduced dimension of one element with zeros before its kernel's type check.
            if (dim is { } bd && x.Dim > 0 && x.ShapeRef[Shape.WrapDim(bd, x.Dim)] == 1)
                return Torch.Zeros(Reduction.ReducedShape(x.ShapeRef, Reduction.Mask(x.Dim, [Shape.WrapDim(bd, x.Dim)]), keepDim), DType.Int64);
            throw DTypes.NotImplemented(name, x.DType);
        }
        x = x.Detach();
        if (dim is null)
        {
            if (x.Numel == 0) throw new ArgumentException($"{name}(): Expected reduction dim to be specified for input.numel() == 0.");
            var flat = ArgExtreme(x.Reshape(-1), 0, false, max);
            return keepDim ? flat.Reshape(Enumerable.Repeat(1, x.Dim).ToArray()) : flat;
        }
        int d = Shape.WrapDim(dim.Value, x.Dim);
        if (x.Dim > 0 && x.ShapeRef[d] == 0)
            throw new ArgumentException($"{name}(): Expected reduction dim {d} to have non-zero size.");
        var reduced = Reduction.Mask(x.Dim, x.Dim == 0 ? null : [d]);
        var (src, _, length) = Reduction.Prepare(x, reduced, keepDim);
        var y = Torch.Zeros(Reduction.ReducedShape(x.ShapeRef, reduced, keepDim), DType.Int64);
        switch (src.DType)
        {
            case DType.Float32: Integer.ArgExtremeRows<float>(src.Span<float>(), length, max, y.Span<long>()); break;
            case DType.Float64: Integer.ArgExtremeRows<double>(src.Span<double>(), length, max, y.Span<long>()); break;
            default: Integer.ArgExtremeRows<long>(src.Span<long>(), length, max, y.Span<long>()); break;
        }
        return y;
    }
}
