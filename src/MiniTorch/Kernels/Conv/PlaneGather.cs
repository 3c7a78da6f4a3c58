using System.Runtime.CompilerServices;
using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// Whole-plane gathers for the convolution GEMM routes' column buffers on small images (DCGAN's
/// 4×4 … 32×32 planes): the valid rows and columns are found once per plane, so there is no
/// division or bounds bookkeeping per output row segment (with 4-wide rows that bookkeeping cost
/// more than the copying).
/// </summary>
internal static class PlaneGather
{
    /// <summary>
    /// dst[r·cols + q] = src[(row0 + r·rowStep)·srcW + col0 + q·colStep] for r &lt; rows, q &lt; cols,
    /// zero where the source row is outside [0, srcH) or the column outside [0, srcW).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    public static void Gather<T>(ReadOnlySpan<T> src, int srcH, int srcW, int row0, int rowStep, int col0, int colStep,
                                 Span<T> dst, int rows, int cols) where T : unmanaged, INumberBase<T>
    {
        // Valid columns: 0 ≤ col0 + q·colStep < srcW.
        int qLo = Math.Clamp(Shape.CeilDiv(-col0, colStep), 0, cols), qHi = Math.Clamp(Shape.FloorDiv(srcW - 1 - col0, colStep) + 1, qLo, cols);
        for (int r = 0; r < rows; r++)
        {
            var d = dst.Slice(r * cols, cols);
            int sr = row0 + r * rowStep;
            if (sr < 0 || sr >= srcH || qHi <= qLo)
            {
                d.Clear();
                continue;
            }
            if (qLo > 0) d[..qLo].Clear();
            if (qHi < cols) d[qHi..].Clear();
            var s = src.Slice(sr * srcW);
            if (colStep == 1)
            {
                if (qHi - qLo >= 16) s.Slice(col0 + qLo, qHi - qLo).CopyTo(d.Slice(qLo));
                else for (int q = qLo; q < qHi; q++) d[q] = s[col0 + q];
            }
            else
                for (int q = qLo, at = col0 + qLo * colStep; q < qHi; q++, at += colStep) d[q] = s[at];
        }
    }

    /// <summary>
    /// The adjoint placement without overlap: dst[(row0 + r·rowStep)·dstW + col0 + q·colStep] = src[r·ldR + q·ldQ]
    /// for r &lt; rows, q &lt; cols (every target inside the destination plane).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    public static void Place<T>(ReadOnlySpan<T> src, int ldR, int ldQ, int rows, int cols, Span<T> dst, int dstW, int row0, int rowStep, int col0, int colStep)
        where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            var d = dst.Slice((row0 + r * rowStep) * dstW);
            var s = src.Slice(r * ldR);
            if (colStep == 1 && ldQ == 1) s.Slice(0, cols).CopyTo(d.Slice(col0, cols));
            else for (int q = 0, at = col0, from = 0; q < cols; q++, at += colStep, from += ldQ) d[at] = s[from];
        }
    }
}
