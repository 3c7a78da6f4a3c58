using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>Σx over a row: the terms of <c>TensorPrimitives.Sum(x)</c>.</summary>
internal unsafe struct RowValueTerms<T>(T* x) : IRowTerms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Pair => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector512<T> a, out Vector512<T> b) => (a, b) = (Vector512.Load(x + i), default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector256<T> a, out Vector256<T> b) => (a, b) = (Vector256.Load(x + i), default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector128<T> a, out Vector128<T> b) => (a, b) = (Vector128.Load(x + i), default);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out T a, out T b) => (a, b) = (x[i], T.Zero);
}

/// <summary>
/// Σ(x − m)² over a row: the terms of <c>TensorPrimitives.SumOfSquares</c> on the row
/// <c>Subtract(x, m)</c> wrote (each difference rounded to T, then squared).
/// </summary>
internal unsafe struct CentredSquareTerms<T>(T* x, T m) : IRowTerms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Pair => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector512<T> a, out Vector512<T> b)
    {
        var d = Vector512.Load(x + i) - Vector512.Create(m);
        (a, b) = (d * d, default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector256<T> a, out Vector256<T> b)
    {
        var d = Vector256.Load(x + i) - Vector256.Create(m);
        (a, b) = (d * d, default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector128<T> a, out Vector128<T> b)
    {
        var d = Vector128.Load(x + i) - Vector128.Create(m);
        (a, b) = (d * d, default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out T a, out T b)
    {
        T d = x[i] - m;
        (a, b) = (d * d, T.Zero);
    }
}

/// <summary>
/// Σg′ and Σ(x − m)·g′ over a row, the backward's two reductions, with g′ the gradient entering the batch norm:
/// g itself, or with a fused activation its backward z &gt; 0 ? g : g·slope (<c>Activation.LeakyReluBackward</c>'s
/// values). The terms of <c>TensorPrimitives.Sum(g′)</c> and of <c>Dot(Subtract(x, m), g′)</c>.
/// </summary>
internal unsafe struct GradTerms<T>(T* x, T* g, T* z, T m, T slope) : IRowTerms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Pair => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector512<T> a, out Vector512<T> b)
    {
        var gv = Vector512.Load(g + i);
        if (z != null) gv = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Load(z + i), Vector512<T>.Zero), gv, gv * Vector512.Create(slope));
        (a, b) = (gv, (Vector512.Load(x + i) - Vector512.Create(m)) * gv);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector256<T> a, out Vector256<T> b)
    {
        var gv = Vector256.Load(g + i);
        if (z != null) gv = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Load(z + i), Vector256<T>.Zero), gv, gv * Vector256.Create(slope));
        (a, b) = (gv, (Vector256.Load(x + i) - Vector256.Create(m)) * gv);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out Vector128<T> a, out Vector128<T> b)
    {
        var gv = Vector128.Load(g + i);
        if (z != null) gv = Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.Load(z + i), Vector128<T>.Zero), gv, gv * Vector128.Create(slope));
        (a, b) = (gv, (Vector128.Load(x + i) - Vector128.Create(m)) * gv);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void At(nuint i, out T a, out T b)
    {
        T gi = g[i];
        if (z != null) gi = z[i] > T.Zero ? gi : gi * slope;
        (a, b) = (gi, (x[i] - m) * gi);
    }
}
