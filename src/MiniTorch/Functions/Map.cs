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

    /// <summary>A dense copy of any view.</summary>
    public static Tensor Copy(Tensor x)
    {
        var y = new Tensor(TensorStorage.Allocate(x.DType, x.Numel), x.Shape);
        if (x.DType == DType.Float32) Strided.Gather<float>(x.Data<float>(), x.Offset, x.ShapeRef, x.StridesRef, y.Span<float>());
        else Strided.Gather<double>(x.Data<double>(), x.Offset, x.ShapeRef, x.StridesRef, y.Span<double>());
        return y;
    }
}
