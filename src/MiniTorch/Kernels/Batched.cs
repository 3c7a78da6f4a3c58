using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>Kernels that Functions used to write as loops: a batch of GEMMs and a one-hot scatter of selected indices.</summary>
internal static class Batched
{
    /// <summary>C[i] = A[i]·B[i] for i &lt; <paramref name="count"/>, contiguous row-major [m, k] · [k, n] → [m, n] blocks.</summary>
    public static void MatMul<T>(int count, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < count; i++)
            Gemm.Multiply(false, false, m, n, k, T.One, a.Slice(i * m * k, m * k), k, b.Slice(i * k * n, k * n), n, T.Zero, c.Slice(i * m * n, m * n), n);
    }

    /// <summary>
    /// dst[(outer·size + idx[r])·inner + within] = 1 for every reduced row r = outer·inner + within: the
    /// one-hot mask of the indices a reduction along a dimension of <paramref name="size"/> selected.
    /// </summary>
    public static void OneHot<T>(ReadOnlySpan<int> idx, int size, int inner, Span<T> dst) where T : INumberBase<T>
    {
        dst.Clear();
        for (int r = 0; r < idx.Length; r++)
        {
            int outer = r / inner, within = r % inner;
            dst[(outer * size + idx[r]) * inner + within] = T.One;
        }
    }
}
