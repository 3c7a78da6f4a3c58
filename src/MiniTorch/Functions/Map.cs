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
        if (c.DType == DType.Float32) Chunked<float, TK>(c.Span<float>(), y.Span<float>(), kernel);
        else Chunked<double, TK>(c.Span<double>(), y.Span<double>(), kernel);
        return y;
    }

    /// <summary>Work per element given to <see cref="Threading.ForChunks"/>: a load, the op, a store.</summary>
    private const long OpsPerElement = 4;

    /// <summary>Work per element of the transcendental kernels (a polynomial each): the DCGAN generator's TanH on its
    /// 64×3×32×32 output took 0.4–0.8 ms on one thread, which <see cref="OpsPerElement"/> would have left serial.</summary>
    private const long TranscendentalOpsPerElement = 24;

    private static long Ops<TK>() =>
        typeof(TK) == typeof(Elementwise.Tanh) || typeof(TK) == typeof(Elementwise.Exp) || typeof(TK) == typeof(Elementwise.Log) ||
        typeof(TK) == typeof(Elementwise.Sigmoid) ? TranscendentalOpsPerElement : OpsPerElement;

    // Chunks of the spans on all cores, cut where the whole-span call's vectors are cut: the whole-span call's bits (see ForChunks).
    internal static unsafe void Chunked<T, TK>(ReadOnlySpan<T> x, Span<T> y, TK kernel)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TK : struct, IUnaryKernel
    {
        if (!Threading.MayChunk(x.Length, Ops<TK>())) { kernel.Run(x, y); return; }
        fixed (T* px = x, py = y)
        {
            var (xp, yp) = ((nint)px, (nint)py);
            Threading.ForChunks(x.Length, Threading.LeadTo64(yp, sizeof(T)), Ops<TK>(), (at, n) => kernel.Run(new ReadOnlySpan<T>((T*)xp + at, n), new Span<T>((T*)yp + at, n)));
        }
    }

    internal static unsafe void Chunked<T, TK>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, TK kernel)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TK : struct, IBinaryKernel
    {
        if (!Threading.MayChunk(y.Length, Ops<TK>())) { kernel.Run(a, b, y); return; }
        fixed (T* pa = a, pb = b, py = y)
        {
            var (ap, bp, yp) = ((nint)pa, (nint)pb, (nint)py);
            Threading.ForChunks(y.Length, Threading.LeadTo64(yp, sizeof(T)), Ops<TK>(), (at, n) =>
                kernel.Run(new ReadOnlySpan<T>((T*)ap + at, n), new ReadOnlySpan<T>((T*)bp + at, n), new Span<T>((T*)yp + at, n)));
        }
    }

    internal static unsafe void Chunked<T, TK>(ReadOnlySpan<T> a, T b, Span<T> y, TK kernel)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TK : struct, IBinaryKernel
    {
        if (!Threading.MayChunk(y.Length, Ops<TK>())) { kernel.Run(a, b, y); return; }
        fixed (T* pa = a, py = y)
        {
            var (ap, yp) = ((nint)pa, (nint)py);
            Threading.ForChunks(y.Length, Threading.LeadTo64(yp, sizeof(T)), Ops<TK>(), (at, n) => kernel.Run(new ReadOnlySpan<T>((T*)ap + at, n), b, new Span<T>((T*)yp + at, n)));
        }
    }

    internal static unsafe void Chunked<T, TK>(T a, ReadOnlySpan<T> b, Span<T> y, TK kernel)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TK : struct, IBinaryKernel
    {
        if (!Threading.MayChunk(y.Length, Ops<TK>())) { kernel.Run(a, b, y); return; }
        fixed (T* pb = b, py = y)
        {
            var (bp, yp) = ((nint)pb, (nint)py);
            Threading.ForChunks(y.Length, Threading.LeadTo64(yp, sizeof(T)), Ops<TK>(), (at, n) => kernel.Run(a, new ReadOnlySpan<T>((T*)bp + at, n), new Span<T>((T*)yp + at, n)));
        }
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
        if (b.Numel == 1 && aFull) Chunked(a.Contiguous().Span<T>(), b.Data<T>()[b.Offset], dst, kernel);
        else if (a.Numel == 1 && bFull) Chunked(a.Data<T>()[a.Offset], b.Contiguous().Span<T>(), dst, kernel);
        else Chunked<T, TK>(Dense<T>(a, y.ShapeRef), Dense<T>(b, y.ShapeRef), dst, kernel);
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
