using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>Span kernels for PReLU: a leaky ReLU whose slope changes from channel to channel.</summary>
internal static class Prelu
{
    /// <summary>Below this many elements the work stays on the calling thread (waking the pool costs more).</summary>
    internal const int ParallelThreshold = 1 << 16;

    /// <summary>
    /// y = x &gt; 0 ? x : x·slope[c] over dense [outer, channels, inner] data, where
    /// channels = slope.Length (a single slope applies to everything). <paramref name="x"/> and
    /// <paramref name="y"/> may be the same memory (in place).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> slope, int inner, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length) throw new ArgumentException("destination length must match the source");
        if (slope.Length == 1) { Activation.LeakyRelu(x, slope[0], y); return; }
        Range(x, slope, inner, 0, x.Length, y);
    }

    /// <summary>
    /// <see cref="Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, int, Span{T})"/> on
    /// <paramref name="length"/> elements of arrays, split into contiguous chunks among the worker
    /// threads when large. Every element's value is the same as in the serial loop (it is elementwise).
    /// </summary>
    public static void Forward<T>(T[] x, int xOffset, T[] slope, int inner, int length, T[] y, int yOffset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int threads = Math.Min(Threading.NumThreads, length / ParallelThreshold);
        if (threads <= 1)
        {
            Forward<T>(x.AsSpan(xOffset, length), slope, inner, y.AsSpan(yOffset, length));
            return;
        }
        // A few chunks per thread so a descheduled thread's share is picked up by the other.
        int chunks = threads * 4, chunk = (length + chunks - 1) / chunks;
        chunk = (chunk + 63) & ~63; // whole cache lines per chunk: no two threads write one line
        chunks = (length + chunk - 1) / chunk;
        Threading.For(chunks, c =>
        {
            int start = c * chunk, end = Math.Min(length, start + chunk);
            ReadOnlySpan<T> src = x.AsSpan(xOffset, length);
            var dst = y.AsSpan(yOffset, length);
            if (slope.Length == 1) Activation.LeakyRelu<T>(src[start..end], slope[0], dst[start..end]);
            else Range<T>(src, slope, inner, start, end, dst);
        });
    }

    // Elements [start, end) of the flat data; each [inner] plane has one slope, so the vectorised
    // leaky-ReLU loop runs per (part of a) plane.
    private static void Range<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> slope, int inner, int start, int end, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = slope.Length;
        for (int i = start; i < end;)
        {
            int plane = i / inner, stop = Math.Min(end, (plane + 1) * inner);
            Activation.LeakyRelu(x[i..stop], slope[plane % channels], y[i..stop]);
            i = stop;
        }
    }
}
