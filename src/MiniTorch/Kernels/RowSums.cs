using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// The terms of one or two sums over a row, made at any position in each width <see cref="RowSums{T}"/> reads:
/// a struct that loads its row(s) and applies an element-wise transform, so a fused kernel sums transformed values
/// without writing them to a buffer first.
/// </summary>
internal interface IRowTerms<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the second sum is wanted (a constant per type, so the JIT drops the unused one).</summary>
    static abstract bool Pair { get; }

    /// <summary>The terms of both sums at positions [i, i + Vector512&lt;T&gt;.Count).</summary>
    void At(nuint i, out Vector512<T> a, out Vector512<T> b);

    /// <summary>The terms of both sums at positions [i, i + Vector256&lt;T&gt;.Count).</summary>
    void At(nuint i, out Vector256<T> a, out Vector256<T> b);

    /// <summary>The terms of both sums at positions [i, i + Vector128&lt;T&gt;.Count).</summary>
    void At(nuint i, out Vector128<T> a, out Vector128<T> b);

    /// <summary>The terms of both sums at position i.</summary>
    void At(nuint i, out T a, out T b);
}

/// <summary>
/// Row sums in exactly the order of <c>System.Numerics.Tensors.TensorPrimitives</c>' float and double aggregations
/// (<c>Sum</c>, <c>SumOfSquares</c>, <c>Dot</c>: its <c>Aggregate</c> with an add operator, package version 11.0.0),
/// so a kernel can fuse a row's transform and its sums into one pass and still return the bits of the call chain
/// it replaces (batch norm's statistics were measured and pinned with that chain's order).
/// </summary>
/// <remarks>
/// The order depends only on the row's length and the SIMD path (the library never aligns float or double rows:
/// realigning would change how results compound). With W lanes and a row of n ≥ W values: one accumulator starting
/// at +0; if n &gt; 8W, the whole blocks of 8 vectors from position W on; then the first vector; then the remaining
/// whole vectors counted back from the end of the blocks; then the last vector with only its lanes past those
/// vectors kept (the others +0); then the vector's horizontal <c>Sum</c> (the same API, so the JIT's horizontal
/// order is the same). Below one vector, the library's jump table (<c>VectorizedSmall</c>): one or two overlapping
/// narrower vectors, or a scalar sum from the last element back to the first. Without SIMD, a scalar loop from +0.
/// <para>
/// Only the Vector512, Vector256 and scalar paths are replicated (the three CI runs prove them against the real calls
/// on every length up to 2100); <see cref="Replicated"/> is false on a machine whose widest accelerated vector is
/// Vector128 (for example ARM64), and callers then keep the call chain.
/// </para>
/// </remarks>
internal static unsafe class RowSums<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>64 zero bytes, then 64 bytes of ones: lane masks that keep a vector's last lanes.</summary>
    private static readonly byte[] TailMasks = [.. new byte[64], .. Enumerable.Repeat((byte)0xFF, 64)];

    /// <summary>Whether this machine's SIMD path is one this class replicates.</summary>
    public static bool Replicated => Vector256.IsHardwareAccelerated || !Vector128.IsHardwareAccelerated;

    /// <summary>The sum of the row's first terms (and, for a pair, of its second terms), each in the library's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum<TTerms>(ref TTerms terms, int length, out T first, out T second) where TTerms : struct, IRowTerms<T>
    {
        nuint n = (uint)length;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            if (n >= (uint)Vector512<T>.Count) Wide512(ref terms, n, out first, out second);
            else Small(ref terms, n, out first, out second);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            if (n >= (uint)Vector256<T>.Count) Wide256(ref terms, n, out first, out second);
            else Small(ref terms, n, out first, out second);
        }
        else if (!Vector128.IsHardwareAccelerated) Scalar(ref terms, n, out first, out second);
        else throw new PlatformNotSupportedException("RowSums replicates the Vector512, Vector256 and scalar paths only; check Replicated");
    }

    private static Vector512<T> Tail512(nuint keep) => Unsafe.As<byte, Vector512<T>>(ref TailMasks[(64 - Vector512<T>.Count * sizeof(T)) + (int)keep * sizeof(T)]);
    private static Vector256<T> Tail256(nuint keep) => Unsafe.As<byte, Vector256<T>>(ref TailMasks[(64 - Vector256<T>.Count * sizeof(T)) + (int)keep * sizeof(T)]);
    private static Vector128<T> Tail128(nuint keep) => Unsafe.As<byte, Vector128<T>>(ref TailMasks[(64 - Vector128<T>.Count * sizeof(T)) + (int)keep * sizeof(T)]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Wide512<TTerms>(ref TTerms t, nuint n, out T first, out T second) where TTerms : struct, IRowTerms<T>
    {
        nuint w = (uint)Vector512<T>.Count;
        Vector512<T> acc1 = Vector512<T>.Zero, acc2 = Vector512<T>.Zero;
        t.At(0, out Vector512<T> beg1, out Vector512<T> beg2);
        t.At(n - w, out Vector512<T> end1, out Vector512<T> end2);
        nuint p = 0, rem = n;
        bool blocked = rem > 8 * w;
        if (blocked)
        {
            p = w;
            rem -= w;
            for (; rem >= 8 * w; p += 8 * w, rem -= 8 * w)
                for (nuint k = 0; k < 8; k++)
                {
                    t.At(p + k * w, out Vector512<T> a, out Vector512<T> b);
                    acc1 += a;
                    if (TTerms.Pair) acc2 += b;
                }
        }
        acc1 += beg1;
        if (TTerms.Pair) acc2 += beg2;
        nuint trailing = rem % w, blocks = rem / w - (blocked ? 0u : 1u);
        rem -= trailing;
        for (nuint k = blocks; k > 0; k--)
        {
            t.At(p + rem - k * w, out Vector512<T> a, out Vector512<T> b);
            acc1 += a;
            if (TTerms.Pair) acc2 += b;
        }
        var keep = Tail512(trailing);
        acc1 += Vector512.ConditionalSelect(keep, end1, Vector512<T>.Zero);
        first = Vector512.Sum(acc1);
        if (TTerms.Pair)
        {
            acc2 += Vector512.ConditionalSelect(keep, end2, Vector512<T>.Zero);
            second = Vector512.Sum(acc2);
        }
        else second = T.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Wide256<TTerms>(ref TTerms t, nuint n, out T first, out T second) where TTerms : struct, IRowTerms<T>
    {
        nuint w = (uint)Vector256<T>.Count;
        Vector256<T> acc1 = Vector256<T>.Zero, acc2 = Vector256<T>.Zero;
        t.At(0, out Vector256<T> beg1, out Vector256<T> beg2);
        t.At(n - w, out Vector256<T> end1, out Vector256<T> end2);
        nuint p = 0, rem = n;
        bool blocked = rem > 8 * w;
        if (blocked)
        {
            p = w;
            rem -= w;
            for (; rem >= 8 * w; p += 8 * w, rem -= 8 * w)
                for (nuint k = 0; k < 8; k++)
                {
                    t.At(p + k * w, out Vector256<T> a, out Vector256<T> b);
                    acc1 += a;
                    if (TTerms.Pair) acc2 += b;
                }
        }
        acc1 += beg1;
        if (TTerms.Pair) acc2 += beg2;
        nuint trailing = rem % w, blocks = rem / w - (blocked ? 0u : 1u);
        rem -= trailing;
        for (nuint k = blocks; k > 0; k--)
        {
            t.At(p + rem - k * w, out Vector256<T> a, out Vector256<T> b);
            acc1 += a;
            if (TTerms.Pair) acc2 += b;
        }
        var keep = Tail256(trailing);
        acc1 += Vector256.ConditionalSelect(keep, end1, Vector256<T>.Zero);
        first = Vector256.Sum(acc1);
        if (TTerms.Pair)
        {
            acc2 += Vector256.ConditionalSelect(keep, end2, Vector256<T>.Zero);
            second = Vector256.Sum(acc2);
        }
        else second = T.Zero;
    }

    /// <summary>The library's jump table below one vector of the widest path (<c>VectorizedSmall4</c> / <c>VectorizedSmall8</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Small<TTerms>(ref TTerms t, nuint n, out T first, out T second) where TTerms : struct, IRowTerms<T>
    {
        nuint w256 = (uint)Vector256<T>.Count, w128 = (uint)Vector128<T>.Count;
        if (n > w256)
        {
            t.At(0, out Vector256<T> beg1, out Vector256<T> beg2);
            t.At(n - w256, out Vector256<T> end1, out Vector256<T> end2);
            var keep = Tail256(n % w256);
            first = Vector256.Sum(beg1 + Vector256.ConditionalSelect(keep, end1, Vector256<T>.Zero));
            second = TTerms.Pair ? Vector256.Sum(beg2 + Vector256.ConditionalSelect(keep, end2, Vector256<T>.Zero)) : T.Zero;
        }
        else if (n == w256)
        {
            t.At(0, out Vector256<T> beg1, out Vector256<T> beg2);
            first = Vector256.Sum(beg1);
            second = TTerms.Pair ? Vector256.Sum(beg2) : T.Zero;
        }
        else if (n > w128)
        {
            t.At(0, out Vector128<T> beg1, out Vector128<T> beg2);
            t.At(n - w128, out Vector128<T> end1, out Vector128<T> end2);
            var keep = Tail128(n % w128);
            first = Vector128.Sum(beg1 + Vector128.ConditionalSelect(keep, end1, Vector128<T>.Zero));
            second = TTerms.Pair ? Vector128.Sum(beg2 + Vector128.ConditionalSelect(keep, end2, Vector128<T>.Zero)) : T.Zero;
        }
        else if (n == w128)
        {
            t.At(0, out Vector128<T> beg1, out Vector128<T> beg2);
            first = Vector128.Sum(beg1);
            second = TTerms.Pair ? Vector128.Sum(beg2) : T.Zero;
        }
        else
        {
            // From the last element back to the first, starting at +0.
            T s1 = T.Zero, s2 = T.Zero;
            for (nuint i = n; i > 0; i--)
            {
                t.At(i - 1, out T a, out T b);
                s1 += a;
                if (TTerms.Pair) s2 += b;
            }
            (first, second) = (s1, s2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scalar<TTerms>(ref TTerms t, nuint n, out T first, out T second) where TTerms : struct, IRowTerms<T>
    {
        T s1 = T.Zero, s2 = T.Zero;
        for (nuint i = 0; i < n; i++)
        {
            t.At(i, out T a, out T b);
            s1 += a;
            if (TTerms.Pair) s2 += b;
        }
        (first, second) = (s1, s2);
    }
}
