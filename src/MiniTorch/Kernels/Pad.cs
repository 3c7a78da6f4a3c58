namespace MiniTorch.Kernels;

/// <summary>
/// Padding as an index map per padded (trailing) dimension: output index o reads input index
/// map[o], or the fill value where map[o] = −1. Every mode (constant, reflect, replicate,
/// circular, and negative pads that crop) is such a map; the adjoint scatters and adds.
/// </summary>
internal static class Pad
{
    /// <summary>y[o, i₁…i_k] = x[o, map₁[i₁], …, map_k[i_k]], or <paramref name="value"/> where any map is −1.</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, int[] inShape, int[][] maps, T value, Span<T> y) where T : unmanaged
    {
        int inner = Shape.Numel(inShape), outInner = OutNumel(maps);
        if (outInner == 0) return;
        int outer = y.Length / outInner, k = maps.Length, rowLen = maps[k - 1].Length;
        var last = maps[k - 1];
        int rows = outInner / rowLen;
        for (int o = 0; o < outer; o++)
            for (int r = 0; r < rows; r++)
            {
                var dst = y.Slice(o * outInner + r * rowLen, rowLen);
                int src = RowSource(inShape, maps, r);
                if (src < 0) { dst.Fill(value); continue; }
                var xRow = x.Slice(o * inner + src, inShape[k - 1]);
                for (int j = 0; j < rowLen; j++) dst[j] = last[j] < 0 ? value : xRow[last[j]];
            }
    }

    /// <summary>The adjoint of <see cref="Gather{T}"/>: x[o, map(i)] += g[o, i] (x must be zeroed).</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> g, int[] inShape, int[][] maps, Span<T> x) where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        int inner = Shape.Numel(inShape), outInner = OutNumel(maps);
        if (outInner == 0 || inner == 0) return;
        int outer = g.Length / outInner, k = maps.Length, rowLen = maps[k - 1].Length;
        var last = maps[k - 1];
        int rows = outInner / rowLen;
        for (int o = 0; o < outer; o++)
            for (int r = 0; r < rows; r++)
            {
                int src = RowSource(inShape, maps, r);
                if (src < 0) continue;
                var gRow = g.Slice(o * outInner + r * rowLen, rowLen);
                var xRow = x.Slice(o * inner + src, inShape[k - 1]);
                for (int j = 0; j < rowLen; j++) if (last[j] >= 0) xRow[last[j]] += gRow[j];
            }
    }

    private static int OutNumel(int[][] maps)
    {
        int n = 1;
        foreach (var m in maps) n *= m.Length;
        return n;
    }

    /// <summary>The input offset of the row start for output row r (all but the last padded dimension), or −1.</summary>
    private static int RowSource(int[] inShape, int[][] maps, int r)
    {
        int offset = 0, stride = inShape[^1];
        for (int d = maps.Length - 2; d >= 0; d--)
        {
            int len = maps[d].Length, i = maps[d][r % len];
            r /= len;
            if (i < 0) return -1;
            offset += i * stride;
            stride *= inShape[d];
        }
        return offset;
    }
}
