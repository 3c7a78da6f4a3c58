using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// The weight gradient shared by Conv2d and ConvTranspose2d: the bilinear map (x, gy) ↦ ∂⟨conv(x; w), gy⟩/∂w,
/// as GEMM of gy tiles against im2col tiles of x. The sum over the batch and pixels is split into a
/// fixed number of chunks that depends only on the problem size; each chunk sums in order into its
/// own partial, then the partials are added in chunk order, so the result is bitwise the same for
/// any number of threads.
/// </summary>
internal static class ConvWeightGrad
{
    private const int MaxChunks = 16;

    /// <summary>gw[k, c, i, j] = Σ_{n, oh, ow} gy[n, k, oh, ow] · x[n, g·Cg + c, oh·SH − PH + i·DH, ow·SW − PW + j·DW].</summary>
    public static void Compute<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.OH * g.OW, rows = g.Cg * g.KH * g.KW, plane = g.H * g.W, size = g.Kg * rows;
        bool direct = g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PH == 0 && g.PW == 0 && g.H == g.OH && g.W == g.OW;
        int tile = Conv.TileLength(Math.Max(rows, g.Kg), pixels), tiles = (pixels + tile - 1) / tile;
        int units = g.N * tiles, chunks = Math.Min(units, MaxChunks);
        gw.Span.Clear();
        if (chunks == 0) return;
        var partial = new T[g.Groups * chunks * size];
        Conv.For(g.Groups * chunks, 2L * g.N * g.K * pixels * rows, item =>
        {
            int ch = item % chunks, grp = item / chunks;
            var acc = partial.AsSpan(item * size, size);
            var col = direct ? null : ArrayPool<T>.Shared.Rent(rows * tile);
            for (long u = (long)units * ch / chunks; u < (long)units * (ch + 1) / chunks; u++)
            {
                int n = (int)(u / tiles), t = (int)(u % tiles);
                int p0 = t * tile, len = Math.Min(tile, pixels - p0);
                var xImg = x.Span.Slice((n * g.C + grp * g.Cg) * plane, g.Cg * plane);
                var gyTile = gy.Span.Slice((n * g.K + grp * g.Kg) * pixels + p0);
                if (direct)
                    Gemm.Multiply(false, true, g.Kg, rows, len, T.One, gyTile, pixels, xImg.Slice(p0), pixels, T.One, acc, rows);
                else
                {
                    Conv.Im2Col(g, xImg, p0, len, col.AsSpan(0, rows * len));
                    Gemm.Multiply(false, true, g.Kg, rows, len, T.One, gyTile, pixels, col.AsSpan(0, rows * len), len, T.One, acc, rows);
                }
            }
            if (col is not null) ArrayPool<T>.Shared.Return(col);
        });
        for (int grp = 0; grp < g.Groups; grp++)
        {
            var dst = gw.Span.Slice(grp * size, size);
            for (int ch = 0; ch < chunks; ch++) TensorPrimitives.Add(dst, partial.AsSpan((grp * chunks + ch) * size, size), dst);
        }
    }
}
