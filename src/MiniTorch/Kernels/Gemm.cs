using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: C = α·op(A)·op(B) + β·C, where op(A) is m×k and
/// op(B) is k×n. <c>lda</c>, <c>ldb</c>, <c>ldc</c> are row strides of the stored matrices.
/// </summary>
internal static class Gemm
{
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
                                   ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        var row = new T[n];
        var bRow = transB ? new T[n] : null;
        for (int i = 0; i < m; i++)
        {
            Array.Clear(row);
            for (int p = 0; p < k; p++)
            {
                T aip = transA ? a[p * lda + i] : a[i * lda + p];
                ReadOnlySpan<T> bp;
                if (transB) { for (int j = 0; j < n; j++) bRow![j] = b[j * ldb + p]; bp = bRow; }
                else bp = b.Slice(p * ldb, n);
                TensorPrimitives.MultiplyAdd(bp, aip, row, row);
            }
            var ci = c.Slice(i * ldc, n);
            if (beta == T.Zero) TensorPrimitives.Multiply(row, alpha, ci);
            else
            {
                TensorPrimitives.Multiply(ci, beta, ci);
                TensorPrimitives.MultiplyAdd(row, alpha, ci, ci);
            }
        }
    }
}
