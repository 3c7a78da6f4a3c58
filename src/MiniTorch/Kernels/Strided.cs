namespace MiniTorch.Kernels;

/// <summary>Copies between strided views and dense row-major buffers.</summary>
internal static class Strided
{
    /// <summary>Gathers the strided view (<paramref name="shape"/>, <paramref name="strides"/>, <paramref name="offset"/>) of <paramref name="src"/> into dense <paramref name="dst"/>.</summary>
    public static void Gather<T>(ReadOnlySpan<T> src, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, Span<T> dst)
    {
        int rank = shape.Length;
        if (rank == 0) { dst[0] = src[offset]; return; }
        int inner = shape[rank - 1], innerStride = strides[rank - 1];
        int outer = dst.Length / Math.Max(inner, 1);
        if (inner == 0 || dst.Length == 0) return;
        Span<int> index = stackalloc int[rank];
        int pos = offset;
        for (int o = 0; o < outer; o++)
        {
            var row = dst.Slice(o * inner, inner);
            if (innerStride == 1) src.Slice(pos, inner).CopyTo(row);
            else for (int j = 0, p = pos; j < inner; j++, p += innerStride) row[j] = src[p];
            pos = NextRow(index, shape, strides, pos);
        }
    }

    /// <summary>Scatters dense <paramref name="src"/> into the strided view of <paramref name="dst"/> (the inverse of <see cref="Gather{T}"/>).</summary>
    public static void Scatter<T>(ReadOnlySpan<T> src, Span<T> dst, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int rank = shape.Length;
        if (rank == 0) { dst[offset] = src[0]; return; }
        int inner = shape[rank - 1], innerStride = strides[rank - 1];
        if (inner == 0 || src.Length == 0) return;
        int outer = src.Length / inner;
        Span<int> index = stackalloc int[rank];
        int pos = offset;
        for (int o = 0; o < outer; o++)
        {
            var row = src.Slice(o * inner, inner);
            if (innerStride == 1) row.CopyTo(dst.Slice(pos, inner));
            else for (int j = 0, p = pos; j < inner; j++, p += innerStride) dst[p] = row[j];
            pos = NextRow(index, shape, strides, pos);
        }
    }

    /// <summary>
    /// Steps a row-major index over all dimensions but the last (an odometer) and returns the
    /// storage position of the next row's first element.
    /// </summary>
    private static int NextRow(Span<int> index, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, int pos)
    {
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            index[d]++;
            pos += strides[d];
            if (index[d] < shape[d]) break;
            pos -= strides[d] * shape[d];
            index[d] = 0;
        }
        return pos;
    }
}
