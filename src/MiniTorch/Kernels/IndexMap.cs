using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// Element maps between a view and the tensor it views: where each element of a strided layout
/// sits in memory, and gathers/scatter-adds through a list of flat indices.
/// </summary>
internal static class IndexMap
{
    /// <summary>The memory position of each element of the layout (<paramref name="offset"/>, <paramref name="shape"/>, <paramref name="strides"/>), in row-major order.</summary>
    public static void Positions(int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<int> dst)
    {
        if (dst.Length == 0) return;
        int rank = shape.Length;
        Span<int> index = stackalloc int[rank];
        int pos = offset;
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = pos;
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                pos += strides[d];
                if (index[d] < shape[d]) break;
                pos -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// Rewrites memory positions <paramref name="positions"/> as row-major indices into the layout
    /// whose positions are <paramref name="layout"/> (which holds each position at most once).
    /// </summary>
    public static void ToLayoutIndices(ReadOnlySpan<int> layout, Span<int> positions)
    {
        if (positions.Length == 0) return;
        int min = int.MaxValue, max = int.MinValue;
        foreach (var p in layout) { min = Math.Min(min, p); max = Math.Max(max, p); }
        var inverse = new int[max - min + 1];
        Array.Fill(inverse, -1);
        for (int i = 0; i < layout.Length; i++) inverse[layout[i] - min] = i;
        for (int i = 0; i < positions.Length; i++)
        {
            int p = positions[i] - min;
            positions[i] = p >= 0 && p < inverse.Length ? inverse[p] : -1;
            if (positions[i] < 0) throw new InvalidOperationException("a view element lies outside the tensor it views");
        }
    }

    /// <summary>dst[i] = src[map[i]].</summary>
    public static void Gather<T>(ReadOnlySpan<T> src, ReadOnlySpan<int> map, Span<T> dst)
    {
        for (int i = 0; i < map.Length; i++) dst[i] = src[map[i]];
    }

    /// <summary>dst[map[i]] += src[i] (indices may repeat: an expanded view's gradient sums).</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> src, ReadOnlySpan<int> map, Span<T> dst) where T : INumber<T>
    {
        for (int i = 0; i < map.Length; i++) dst[map[i]] += src[i];
    }
}
