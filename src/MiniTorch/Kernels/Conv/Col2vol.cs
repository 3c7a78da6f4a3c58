using System.Buffers;
using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// Route <see cref="ConvRoute.Col2volGemm"/>: the transposed convolution (small → big) in any rank
/// as GEMM then scatter-add, the adjoint of im2col × GEMM: per tile of small pixels,
/// cols[(c, t), q] = Σ_k w[k, c, t]·z[k, q] (one GEMM of the group's transposed weight), then every
/// column entry is added to its big position q·s − p + t·d (col2im; col2vol in 3-d). It needs no
/// phase decomposition, so it serves 3-d geometries and any stride.
/// </summary>
/// <remarks>
/// Work items are (image, group, block of big-side channels): a block's rows of cols touch only its
/// own output channels, so items never write the same element. Within an item the tiles and the
/// rows are added in a fixed order, so the result is the same for any thread count. The workspace is
/// one column tile per item, bounded by <see cref="Conv.TileBudget"/>.
/// </remarks>
internal static class Col2vol
{
    public static void Forward<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = g.Taps, small = g.SmallPlane, big = g.BigPlane, wRow = g.BigCg * taps;
        // Channel blocks only to have work items for every core when the batch is small: whole groups give
        // GEMM the most rows per multiply (k is only K_g). Depends on the problem size alone.
        int split = g.N * g.Groups >= 4 ? 1 : 8;
        int perBlock = Math.Max(1, (g.BigCg + split - 1) / split), blocks = (g.BigCg + perBlock - 1) / perBlock;
        int tile = Conv.TileLength(perBlock * taps, small), tiles = (small + tile - 1) / tile;
        Threading.For(g.N * g.Groups * blocks, 2L * g.N * g.SmallC * small * g.BigCg * taps, item =>
        {
            int blk = item % blocks, grp = item / blocks % g.Groups, n = item / blocks / g.Groups;
            int c0 = blk * perBlock, cn = Math.Min(perBlock, g.BigCg - c0), rows = cn * taps;
            var col = ArrayPool<T>.Shared.Rent(rows * tile);
            var zImg = z.Span.Slice((n * g.SmallC + grp * g.SmallCg) * small, g.SmallCg * small);
            var wG = w.Span.Slice(grp * g.SmallCg * wRow, g.SmallCg * wRow);
            var yImg = y.Span.Slice((n * g.BigC + grp * g.BigCg + c0) * big, cn * big);
            for (int t = 0; t < tiles; t++)
            {
                int p0 = t * tile, len = Math.Min(tile, small - p0);
                // op(A) = w_gᵀ restricted to the block's rows: A is w_g [Kg, Cg·taps] read transposed from column c0·taps.
                Gemm.Multiply(true, false, rows, len, g.SmallCg, T.One, wG.Slice(c0 * taps), wRow,
                              zImg.Slice(p0), small, T.Zero, col.AsSpan(0, rows * len), len, parallel: false);
                AddColumns(g, col.AsSpan(0, rows * len), cn, p0, len, yImg);
            }
            ArrayPool<T>.Shared.Return(col);
        });
    }

    /// <summary>y[c, o·s − p + t·d] += col[(c, t), q − p0] for the small pixels q ∈ [p0, p0 + len), inside the big side only.</summary>
    private static void AddColumns<T>(in ConvGeometry g, ReadOnlySpan<T> col, int channels, int p0, int len, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int big = g.BigPlane;
        for (int c = 0; c < channels; c++)
            for (int a = 0; a < g.KD; a++)
                for (int i = 0; i < g.KH; i++)
                    for (int j = 0; j < g.KW; j++)
                    {
                        var src = col.Slice((((c * g.KD + a) * g.KH + i) * g.KW + j) * len, len);
                        var yc = y.Slice(c * big, big);
                        int off = j * g.DW - g.PW;
                        int owLo = Shape.CeilDiv(-off, g.SW), owHi = Shape.FloorDiv(g.BigW - 1 - off, g.SW) + 1;
                        for (int pos = 0, pix = p0; pos < len;)
                        {
                            int row = pix / g.SmallW, ow0 = pix - row * g.SmallW, cnt = Math.Min(g.SmallW - ow0, len - pos);
                            int od = row / g.SmallH, oh = row - od * g.SmallH;
                            int d = od * g.SD - g.PD + a * g.DD, h = oh * g.SH - g.PH + i * g.DH;
                            int lo = Math.Max(ow0, owLo), hi = Math.Min(ow0 + cnt, owHi);
                            if (d >= 0 && d < g.BigD && h >= 0 && h < g.BigH && hi > lo)
                            {
                                var yRow = yc.Slice((d * g.BigH + h) * g.BigW, g.BigW);
                                for (int ow = lo; ow < hi; ow++) yRow[ow * g.SW + off] += src[pos + ow - ow0];
                            }
                            pos += cnt; pix += cnt;
                        }
                    }
    }
}
