namespace MiniTorch.Kernels;

/// <summary>
/// Span kernels of DiffAugment's geometric augmentations on NCHW images (destination last):
/// whole-row copies and fills, no per-element arithmetic.
/// </summary>
internal static class Augment
{
    /// <summary>
    /// y[n, c, i, j] = x[n, c, i + shiftH[n], j + shiftW[n]] where that is inside the image, else 0:
    /// each image moved by (−shiftH, −shiftW), the uncovered border filled with zeros.
    /// </summary>
    public static void Translate<T>(ReadOnlySpan<T> x, int n, int c, int h, int w, ReadOnlySpan<int> shiftH, ReadOnlySpan<int> shiftW, Span<T> y)
        where T : unmanaged
    {
        if (x.Length != n * c * h * w || y.Length != x.Length || shiftH.Length != n || shiftW.Length != n)
            throw new ArgumentException("translate: spans do not match the image shape");
        int plane = h * w;
        for (int b = 0; b < n; b++)
        {
            // Shifts beyond the image leave it all zero; clamping keeps the index arithmetic in range.
            int th = Math.Clamp(shiftH[b], -h, h), tw = Math.Clamp(shiftW[b], -w, w);
            // Output columns [dst, dst + len) read input columns [dst + tw, dst + tw + len).
            int dst = Math.Max(0, -tw), len = Math.Max(0, w - Math.Abs(tw));
            for (int ch = 0; ch < c; ch++)
            {
                int at = (b * c + ch) * plane;
                for (int i = 0; i < h; i++)
                {
                    var row = y.Slice(at + i * w, w);
                    int src = i + th;
                    if (src < 0 || src >= h || len == 0) { row.Clear(); continue; }
                    row[..dst].Clear();
                    x.Slice(at + src * w + dst + tw, len).CopyTo(row.Slice(dst, len));
                    row[(dst + len)..].Clear();
                }
            }
        }
    }

    /// <summary>
    /// A mask [n, h, w] of ones with, in image b, the rows [centerH − sizeH/2, +sizeH) and columns
    /// [centerW − sizeW/2, +sizeW) (clipped to the image) set to zero.
    /// </summary>
    public static void CutoutMask<T>(int n, int h, int w, ReadOnlySpan<int> centerH, ReadOnlySpan<int> centerW, int sizeH, int sizeW, Span<T> mask)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (mask.Length != n * h * w || centerH.Length != n || centerW.Length != n)
            throw new ArgumentException("cutout: spans do not match the mask shape");
        mask.Fill(T.One);
        for (int b = 0; b < n; b++)
        {
            // In long: a centre far outside the image must not overflow.
            int top = (int)Math.Clamp((long)centerH[b] - sizeH / 2, 0, h), bottom = (int)Math.Clamp((long)centerH[b] - sizeH / 2 + sizeH, 0, h);
            int left = (int)Math.Clamp((long)centerW[b] - sizeW / 2, 0, w), right = (int)Math.Clamp((long)centerW[b] - sizeW / 2 + sizeW, 0, w);
            if (right <= left || bottom <= top) continue;
            for (int i = top; i < bottom; i++) mask.Slice((b * h + i) * w + left, right - left).Clear();
        }
    }
}
