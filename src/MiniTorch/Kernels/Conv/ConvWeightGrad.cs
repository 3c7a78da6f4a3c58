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
    private const int MaxChunks = 16, MaxChannelBlocks = 2;

    /// <summary>Elements of all per-chunk partial gradients together (beyond one weight's worth).</summary>
    private const int PartialBudget = 1 << 22;

    /// <summary>
    /// Routes <see cref="ConvRoute.WeightGradIm2col"/> and <see cref="ConvRoute.WeightGradPointwise"/>, any rank:
    /// gw[k, c, t] = Σ_{n, o} gy[n, k, o] · x[n, g·Cg + c, o·s − p + t·d].
    /// </summary>
    /// <remarks>
    /// Work items are (group, block of input channels, chunk of the batch·pixel sum). Channel
    /// blocks own disjoint columns of gw, so they need no reduction; chunks each own a partial
    /// that is added in chunk order at the end. Both splits depend only on the problem size.
    /// With <paramref name="pointwise"/> (1×1 geometries only) x itself is read as the columns.
    /// </remarks>
    public static void Compute<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw, bool pointwise)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.SmallPlane, kk = g.Taps, rows = g.BigCg * kk, plane = g.BigPlane, size = g.SmallCg * rows;
        bool direct = pointwise;
        int blocks = Math.Max(1, Math.Min(g.BigCg, MaxChannelBlocks)), blockC = (g.BigCg + blocks - 1) / blocks;
        blocks = Math.Max(1, (g.BigCg + blockC - 1) / blockC);
        int tile = Conv.TileLength(Math.Max(blockC * kk, g.SmallCg), pixels), tiles = (pixels + tile - 1) / tile;
        int units = g.N * tiles;
        int chunks = Math.Min(units, Math.Clamp(PartialBudget / Math.Max(g.Groups * size, 1), 1, MaxChunks));
        gw.Span.Clear();
        if (chunks == 0 || size == 0) return;
        // Pooled: a training step calls this for every layer, and the partials can be megabytes.
        var partial = chunks == 1 ? null : ArrayPool<T>.Shared.Rent(g.Groups * chunks * size);
        partial?.AsSpan(0, g.Groups * chunks * size).Clear();
        Threading.For(g.Groups * blocks * chunks, 2L * g.N * g.SmallC * pixels * rows, item =>
        {
            int ch = item % chunks, blk = item / chunks % blocks, grp = item / chunks / blocks;
            int c0 = blk * blockC, cb = Math.Min(blockC, g.BigCg - c0);
            if (cb <= 0) return;
            var acc = (partial is null ? gw.Span.Slice(grp * size, size) : partial.AsSpan((grp * chunks + ch) * size, size)).Slice(c0 * kk);
            var col = direct ? null : ArrayPool<T>.Shared.Rent(cb * kk * tile);
            for (long u = (long)units * ch / chunks; u < (long)units * (ch + 1) / chunks; u++)
            {
                int n = (int)(u / tiles), t = (int)(u % tiles);
                int p0 = t * tile, len = Math.Min(tile, pixels - p0);
                var xImg = x.Span.Slice((n * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                var gyTile = gy.Span.Slice((n * g.SmallC + grp * g.SmallCg) * pixels + p0);
                if (direct)
                    Conv.Multiply(true, g.SmallCg, cb, len, gyTile, pixels, xImg.Slice(c0 * plane + p0), pixels, true, acc, rows);
                else
                {
                    var c = col.AsSpan(0, cb * kk * len);
                    Conv.Im2Col(g, xImg, p0, len, c, c0, cb);
                    Conv.Multiply(true, g.SmallCg, cb * kk, len, gyTile, pixels, c, len, true, acc, rows);
                }
            }
            if (col is not null) ArrayPool<T>.Shared.Return(col);
        });
        if (partial is null) return;
        for (int grp = 0; grp < g.Groups; grp++)
        {
            var dst = gw.Span.Slice(grp * size, size);
            for (int ch = 0; ch < chunks; ch++) TensorPrimitives.Add(dst, partial.AsSpan((grp * chunks + ch) * size, size), dst);
        }
        ArrayPool<T>.Shared.Return(partial);
    }
}
