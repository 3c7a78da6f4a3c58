using MiniTorch.Kernels;
using MiniTorch.Storage;

namespace MiniTorch.Functions;

/// <summary>
/// Runs element-wise kernels on tensors: makes operands dense, broadcasts them, picks the element
/// type, allocates the result. Functions call this; the kernels themselves never see a Tensor.
/// </summary>
internal static class Map
{
    public static Tensor Unary<TK>(Tensor x, TK kernel) where TK : struct, IUnaryKernel
    {
        var c = x.Contiguous();
        var y = Output(c.ShapeRef, c.DType);
        if (y.Numel == 0) return y; // some TensorPrimitives functions reject empty spans
        if (c.DType == DType.Float32) kernel.Run<float>(c.Span<float>(), y.Span<float>());
        else kernel.Run<double>(c.Span<double>(), y.Span<double>());
        return y;
    }

    public static Tensor Binary<TK>(Tensor a, Tensor b, TK kernel) where TK : struct, IBinaryKernel
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"expected both operands to have the same dtype, got {a.DType} and {b.DType}");
        var shape = Shape.Broadcast(a.ShapeRef, b.ShapeRef);
        var y = Output(shape, a.DType);
        if (y.Numel == 0) return y;
        if (a.DType == DType.Float32) Run<float, TK>(a, b, y, kernel); else Run<double, TK>(a, b, y, kernel);
        return y;
    }

    private static void Run<T, TK>(Tensor a, Tensor b, Tensor y, TK kernel)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TK : struct, IBinaryKernel
    {
        var dst = y.Span<T>();
        bool aFull = Shape.Equal(a.ShapeRef, y.ShapeRef), bFull = Shape.Equal(b.ShapeRef, y.ShapeRef);
        if (b.Numel == 1 && aFull) kernel.Run(a.Contiguous().Span<T>(), b.Data<T>()[b.Offset], dst);
        else if (a.Numel == 1 && bFull) kernel.Run(a.Data<T>()[a.Offset], b.Contiguous().Span<T>(), dst);
        else kernel.Run<T>(Dense<T>(a, y.ShapeRef), Dense<T>(b, y.ShapeRef), dst);
    }

    /// <summary>A result tensor left uninitialised: every kernel run here writes each element of its destination.</summary>
    internal static Tensor Output(int[] shape, DType dtype) => new(TensorStorage.AllocateUninitialized(dtype, Shape.Numel(shape)), (int[])shape.Clone());

    /// <summary>The elements of <paramref name="t"/> broadcast to <paramref name="shape"/>, densely.</summary>
    private static ReadOnlySpan<T> Dense<T>(Tensor t, int[] shape) where T : unmanaged
    {
        if (Shape.Equal(t.ShapeRef, shape) && t.IsContiguous) return t.Span<T>();
        var e = t.ExpandView(shape);
        var buf = new T[Shape.Numel(shape)];
        Strided.Gather<T>(e.Data<T>(), e.Offset, e.ShapeRef, e.StridesRef, buf);
        return buf;
    }

    /// <summary>A dense copy of any view (any dtype).</summary>
    public static Tensor Copy(Tensor x)
    {
        var y = Output(x.ShapeRef, x.DType);
        Gather(x, x.Offset, x.ShapeRef, x.StridesRef, y);
        return y;
    }

    /// <summary>
    /// Gathers the strided view (<paramref name="offset"/>, <paramref name="shape"/>, <paramref name="strides"/>)
    /// of <paramref name="source"/>'s storage into the dense tensor <paramref name="dst"/> of the same dtype.
    /// </summary>
    public static void Gather(Tensor source, int offset, int[] shape, int[] strides, Tensor dst)
    {
        switch (dst.DType)
        {
            case DType.Float32: Strided.Gather<float>(source.Data<float>(), offset, shape, strides, dst.Span<float>()); break;
            case DType.Float64: Strided.Gather<double>(source.Data<double>(), offset, shape, strides, dst.Span<double>()); break;
            case DType.Int64: Strided.Gather<long>(source.Data<long>(), offset, shape, strides, dst.Span<long>()); break;
            default: Strided.Gather<bool>(source.Data<bool>(), offset, shape, strides, dst.Span<bool>()); break;
        }
    }

    /// <summary>
    /// Scatters the dense tensor <paramref name="src"/> into the strided view (<paramref name="offset"/>,
    /// <paramref name="shape"/>, <paramref name="strides"/>) of <paramref name="dst"/>'s storage (same dtype).
    /// </summary>
    public static void Scatter(Tensor src, Tensor dst, int offset, int[] shape, int[] strides)
    {
        switch (dst.DType)
        {
            case DType.Float32: Strided.Scatter<float>(src.Span<float>(), dst.Data<float>(), offset, shape, strides); break;
            case DType.Float64: Strided.Scatter<double>(src.Span<double>(), dst.Data<double>(), offset, shape, strides); break;
            case DType.Int64: Strided.Scatter<long>(src.Span<long>(), dst.Data<long>(), offset, shape, strides); break;
            default: Strided.Scatter<bool>(src.Span<bool>(), dst.Data<bool>(), offset, shape, strides); break;
        }
    }

    /// <summary>The elements of <paramref name="t"/> broadcast to <paramref name="shape"/>, densely (any element type).</summary>
    public static ReadOnlySpan<T> Broadcast<T>(Tensor t, int[] shape) where T : unmanaged => Dense<T>(t, shape);
}
