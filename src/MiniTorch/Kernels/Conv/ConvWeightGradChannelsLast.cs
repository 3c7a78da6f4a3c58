using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// The weight gradient for layers with many input channels (C/groups ≥ 16, e.g. 3×3 64→64), arranged
/// so that GEMM packs both operands with its fast, contiguous copies: the pixel sum is the GEMM's k,
/// gy tiles are A as stored ([K_g, pixels]), and the columns are built pixel-major, colᵀ[q, (i, j, c)],
/// from a channels-last copy of the input rows the tile reads, so each (pixel, tap) is one run of C_g
/// contiguous values. (The general kernel's column-major colᵀ has to be transposed element by element
/// while GEMM packs it, which costs more than the multiply-adds when C_g is large.)
/// </summary>
/// <remarks>
/// gwᵀ-ordered partials [K_g, (i, j, c)] are summed in chunk order (fixed chunks, as in
/// <see cref="ConvWeightGrad"/>), then permuted to gw[k, c, i, j]: bitwise the same for any thread count.
/// </remarks>
internal static class ConvWeightGradChannelsLast
{
    private const int MaxChunks = 16;
    private const int PartialBudget = 1 << 22;

    /// <summary>Route <see cref="ConvRoute.WeightGradChannelsLast"/> (2-d).</summary>
    public static void Compute<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.SmallH * g.SmallW, kk = g.KH * g.KW, rows = g.BigCg * kk, plane = g.BigH * g.BigW, size = g.SmallCg * rows;
        int tile = Conv.TileLength(rows, pixels), tiles = (pixels + tile - 1) / tile;
        // Small images (DCGAN's 4×4 … 16×16 layers): a unit is several whole images, so GEMM's k (the
        // pixel sum) spans them all and the [K_g, rows] accumulator is read and written once per unit
        // instead of once per image (with k = 16 pixels that traffic, not the multiply-adds, dominated).
        int perUnit = pixels * 2 <= Conv.TileCapacity(rows) && g.N > 1 ? Conv.TileCapacity(rows) / pixels : 0;
        int units = perUnit > 0 ? (g.N + perUnit - 1) / perUnit : g.N * tiles;
        int chunks = Math.Min(units, Math.Clamp(PartialBudget / Math.Max(g.Groups * size, 1), 1, MaxChunks));
        if (chunks == 0 || size == 0)
        {
            gw.Span.Clear();
            return;
        }
        // Not cleared: each chunk's first unit overwrites its partial (GEMM with β = 0).
        var partial = ArrayPool<T>.Shared.Rent(g.Groups * chunks * size);
        Threading.For(g.Groups * chunks, 2L * g.N * g.SmallC * pixels * rows, item =>
        {
            int ch = item % chunks, grp = item / chunks;
            var acc = partial.AsSpan((grp * chunks + ch) * size, size);
            // Input rows one tile can read: its output rows' span plus the kernel's reach.
            int maxRows = Math.Min(g.BigH, ((tile + g.SmallW - 1) / g.SmallW + 1) * g.SH + (g.KH - 1) * g.DH + 1);
            var xT = ArrayPool<T>.Shared.Rent(maxRows * g.BigW * g.BigCg);
            var colT = ArrayPool<T>.Shared.Rent(Math.Max(tile, perUnit * pixels) * rows);
            var gyT = perUnit > 0 ? ArrayPool<T>.Shared.Rent(g.SmallCg * perUnit * pixels) : null;
            long first = (long)units * ch / chunks;
            for (long u = first; u < (long)units * (ch + 1) / chunks; u++)
            {
                if (gyT is not null)
                {
                    // Images n0 … n0 + count − 1 side by side: columns (image, pixel), gy gathered to match.
                    int n0 = (int)u * perUnit, count = Math.Min(perUnit, g.N - n0), cols = count * pixels;
                    int ihLo0 = Math.Max(0, -g.PH), ihHi0 = Math.Min(g.BigH - 1, (g.SmallH - 1) * g.SH - g.PH + (g.KH - 1) * g.DH);
                    for (int i = 0; i < count; i++)
                    {
                        var img = x.Span.Slice(((n0 + i) * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                        if (ihHi0 >= ihLo0) ChannelsLast(img, g.BigCg, plane, ihLo0 * g.BigW, (ihHi0 - ihLo0 + 1) * g.BigW, xT);
                        BuildColumns(g, xT, ihLo0, ihHi0, 0, pixels, colT.AsSpan(i * pixels * rows, pixels * rows));
                        for (int k = 0; k < g.SmallCg; k++)
                            gy.Span.Slice(((n0 + i) * g.SmallC + grp * g.SmallCg + k) * pixels, pixels).CopyTo(gyT.AsSpan(k * cols + i * pixels, pixels));
                    }
                    Conv.Multiply(false, g.SmallCg, rows, cols, gyT, cols, colT.AsSpan(0, cols * rows), rows, u != first, acc, rows);
                    continue;
                }
                int n = (int)(u / tiles), t = (int)(u % tiles);
                int p0 = t * tile, len = Math.Min(tile, pixels - p0);
                var xImg = x.Span.Slice((n * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                int oh0 = p0 / g.SmallW, oh1 = (p0 + len - 1) / g.SmallW;
                int ihLo = Math.Max(0, oh0 * g.SH - g.PH), ihHi = Math.Min(g.BigH - 1, oh1 * g.SH - g.PH + (g.KH - 1) * g.DH);
                if (ihHi >= ihLo) ChannelsLast(xImg, g.BigCg, plane, ihLo * g.BigW, (ihHi - ihLo + 1) * g.BigW, xT);
                BuildColumns(g, xT, ihLo, ihHi, p0, len, colT.AsSpan(0, len * rows));
                Conv.Multiply(false, g.SmallCg, rows, len, gy.Span.Slice((n * g.SmallC + grp * g.SmallCg) * pixels + p0), pixels,
                              colT.AsSpan(0, len * rows), rows, u != first, acc, rows);
            }
            ArrayPool<T>.Shared.Return(xT);
            ArrayPool<T>.Shared.Return(colT);
            if (gyT is not null) ArrayPool<T>.Shared.Return(gyT);
        });
        // Per output channel (group, k), on all cores: its row of the partials summed in chunk order,
        // then permuted [(i, j, c)] → gw[k, c, i, j]. Rows are independent, so any split gives the same bits.
        Threading.For(g.Groups * g.SmallCg, (long)g.Groups * chunks * size, item =>
        {
            int grp = item / g.SmallCg, k = item % g.SmallCg;
            var s = ArrayPool<T>.Shared.Rent(rows);
            var row = s.AsSpan(0, rows);
            partial.AsSpan(grp * chunks * size + k * rows, rows).CopyTo(row);
            for (int ch = 1; ch < chunks; ch++) TensorPrimitives.Add(row, partial.AsSpan((grp * chunks + ch) * size + k * rows, rows), row);
            var dst = gw.Span.Slice(grp * size + k * rows, rows);
            for (int ij = 0; ij < kk; ij++)
            {
                var src = row.Slice(ij * g.BigCg, g.BigCg);
                for (int c = 0; c < g.BigCg; c++) dst[c * kk + ij] = src[c];
            }
            ArrayPool<T>.Shared.Return(s);
        });
        ArrayPool<T>.Shared.Return(partial);
    }

    /// <summary>xT[p, c] = x[c, start + p] for p ∈ [0, count): a channels-last copy of some input rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void ChannelsLast<T>(ReadOnlySpan<T> xImg, int channels, int plane, int start, int count, Span<T> xT)
    {
        // Blocks of 16 positions keep the 16 destination lines being written in L1.
        const int block = 16;
        for (int p0 = 0; p0 < count; p0 += block)
        {
            int pe = Math.Min(count, p0 + block);
            for (int c = 0; c < channels; c++)
            {
                var src = xImg.Slice(c * plane + start);
                for (int p = p0; p < pe; p++) xT[p * channels + c] = src[p];
            }
        }
    }

    /// <summary>colᵀ[q, (i, j, c)] = x[c, oh·SH − PH + i·DH, ow·SW − PW + j·DW] (zero outside) for tile pixels q, read from xT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void BuildColumns<T>(in ConvGeometry g, ReadOnlySpan<T> xT, int ihLo, int ihHi, int p0, int len, Span<T> colT)
        where T : unmanaged
    {
        int cg = g.BigCg, rows = cg * g.KH * g.KW;
        for (int q = 0; q < len; q++)
        {
            int pix = p0 + q, oh = pix / g.SmallW, ow = pix - oh * g.SmallW;
            var dst = colT.Slice(q * rows, rows);
            for (int i = 0; i < g.KH; i++)
            {
                int ih = oh * g.SH - g.PH + i * g.DH;
                for (int j = 0; j < g.KW; j++)
                {
                    int iw = ow * g.SW - g.PW + j * g.DW;
                    var run = dst.Slice((i * g.KW + j) * cg, cg);
                    if (ih < ihLo || ih > ihHi || iw < 0 || iw >= g.BigW) run.Clear();
                    else xT.Slice(((ih - ihLo) * g.BigW + iw) * cg, cg).CopyTo(run);
                }
            }
        }
    }
}
