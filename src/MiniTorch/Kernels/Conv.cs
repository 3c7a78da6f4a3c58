using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Convolution (big → small side of a <see cref="ConvGeometry"/>) as GEMM over bounded tiles of
/// output pixels: each tile gathers its receptive fields into a column buffer (im2col) of at most
/// <see cref="TileBudget"/> elements and multiplies it by the group's weight matrix. Work items are
/// (image, group, tile) triples, run on all cores; each output element is written by one item only.
/// </summary>
internal static class Conv
{
    /// <summary>Elements of one tile's column buffer; the workspace never grows with the batch.</summary>
    public const int TileBudget = 1 << 18;

    /// <summary>
    /// Output pixels per tile for a column buffer of <paramref name="rows"/> rows: a multiple of 32
    /// (the GEMM's widest register tile) so that only the image's last tile has a ragged edge.
    /// </summary>
    public static int TileLength(int rows, int pixels) => Math.Max(1, Math.Min(pixels, TileCapacity(rows)));

    /// <summary>
    /// Columns a tile of <paramref name="rows"/> rows may hold, before capping at one image's pixels:
    /// small images are batched side by side when at least two fit (comparing with
    /// <see cref="TileLength"/>, which is capped at the image, would never batch).
    /// </summary>
    public static int TileCapacity(int rows) => Math.Max(32, TileBudget / Math.Max(rows, 1) / 32 * 32);

    /// <summary>y[n, k, oh, ow] = b[k] + Σ_{c,i,j} w[k, c, i, j] · x[n, g·Cg + c, oh·SH − PH + i·DH, ow·SW − PW + j·DW].</summary>
    /// <remarks>Geometries the direct kernel serves well go there (<see cref="ConvDirect.TakesConv2d"/>) unless
    /// <paramref name="allowDirect"/> is false (tests compare the two routes).</remarks>
    public static void Forward<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y, bool allowDirect = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (allowDirect && TakesDirect<T>(g))
        {
            ConvDirect.Conv2dForward(g, x, w, bias, y);
            return;
        }
        int pixels = g.OH * g.OW, rows = g.Cg * g.KH * g.KW;
        if (g.Groups == 1 && pixels == 1 && g.KH == g.H && g.KW == g.W && g.PH == 0 && g.PW == 0)
        {
            // The kernel covers the whole unpadded image (a discriminator's last layer, 4×4 → 1×1): each
            // image is its own column, so y[n, k] = Σ_r x[n, r]·w[k, r] is one GEMM over the batch,
            // instead of an im2col per image that only copies the image.
            Gemm.Multiply(false, true, g.N, g.K, rows, T.One, x.Span, rows, w.Span, rows, T.Zero, y.Span, g.K);
            if (!bias.IsEmpty)
                for (int n = 0; n < g.N; n++) TensorPrimitives.Add(y.Span.Slice(n * g.K, g.K), bias.Span, y.Span.Slice(n * g.K, g.K));
            return;
        }
        // A 1×1 kernel with unit stride and no padding reads the image itself as the column matrix.
        bool direct = g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PH == 0 && g.PW == 0 && g.H == g.OH && g.W == g.OW;
        int tile = TileLength(rows, pixels);
        // The weights as [rows, K] per group, once per call: GEMM then packs them with contiguous
        // copies (transA) for every tile instead of gathering element by element.
        var wT = ArrayPool<T>.Shared.Rent(g.K * rows);
        try
        {
            // In blocks of 64 rows on all cores: each block's [64, Kg] slice of wT is written by one item.
            const int block = 64;
            int blocks = (rows + block - 1) / block;
            For(g.Groups * blocks, (long)g.K * rows * 16, item =>
            {
                int grp = item / blocks, r0 = item % blocks * block, r1 = Math.Min(rows, r0 + block);
                var ws = w.Span;
                for (int k = 0; k < g.Kg; k++)
                {
                    var src = ws.Slice((grp * g.Kg + k) * rows, rows);
                    var dst = wT.AsSpan(grp * g.Kg * rows + k);
                    for (int r = r0; r < r1; r++) dst[r * g.Kg] = src[r];
                }
            });
            int capacity = TileCapacity(rows);
            if (!direct && pixels * 2 <= capacity && g.N > 1) ForwardImages(g, x, w, wT, bias, y, capacity / pixels);
            else ForwardTiles(g, x, w, wT, bias, y, tile, direct);
        }
        finally { ArrayPool<T>.Shared.Return(wT); }
    }

    /// <summary>
    /// Whether the direct kernel takes this geometry: as <see cref="ConvDirect.TakesConv2d"/>, except
    /// strided layers with outputs at most 8 wide whose images the GEMM route batches side by side
    /// (DCGAN's 16×16 → 8×8 layer: 11.5 → 8.2 ms), where the direct kernel's vector lanes run half empty.
    /// </summary>
    internal static bool TakesDirect<T>(in ConvGeometry g) where T : unmanaged =>
        ConvDirect.TakesConv2d<T>(g) && !(g.SW > 1 && g.OW <= 8 && g.N > 1 && g.OH * g.OW * 2 <= TileCapacity(g.Cg * g.KH * g.KW));

    private static void ForwardTiles<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, T[] wT, ReadOnlyMemory<T> bias, Memory<T> y, int tile, bool direct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.OH * g.OW, rows = g.Cg * g.KH * g.KW, plane = g.H * g.W;
        int tiles = (pixels + tile - 1) / tile;
        For(g.N * g.Groups * tiles, 2L * g.N * g.K * pixels * rows, item =>
        {
            int t = item % tiles, grp = item / tiles % g.Groups, n = item / tiles / g.Groups;
            int p0 = t * tile, len = Math.Min(tile, pixels - p0);
            var xImg = x.Span.Slice((n * g.C + grp * g.Cg) * plane, g.Cg * plane);
            var wG = w.Span.Slice(grp * g.Kg * rows, g.Kg * rows);
            var yTile = y.Span.Slice((n * g.K + grp * g.Kg) * pixels + p0);
            var wTG = wT.AsSpan(grp * g.Kg * rows, g.Kg * rows);
            if (direct)
                MultiplyWeights(g.Kg, len, rows, wG, wTG, xImg.Slice(p0), pixels, yTile, pixels);
            else
            {
                var col = ArrayPool<T>.Shared.Rent(rows * len);
                Im2Col(g, xImg, p0, len, col.AsSpan(0, rows * len));
                MultiplyWeights(g.Kg, len, rows, wG, wTG, col.AsSpan(0, rows * len), len, yTile, pixels);
                ArrayPool<T>.Shared.Return(col);
            }
            if (!bias.IsEmpty)
                for (int k = 0; k < g.Kg; k++)
                    TensorPrimitives.Add(yTile.Slice(k * pixels, len), bias.Span[grp * g.Kg + k], yTile.Slice(k * pixels, len));
        });
    }

    /// <summary>
    /// Small images (DCGAN's 4×4 … 16×16 layers): one tile holds whole images side by side, so each
    /// GEMM multiplies the weights by many columns (packing the weights once per tile, not per
    /// image); the result goes through a tile-sized buffer into each image's output planes.
    /// </summary>
    private static void ForwardImages<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, T[] wT, ReadOnlyMemory<T> bias, Memory<T> y, int perTile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.OH * g.OW, rows = g.Cg * g.KH * g.KW, plane = g.H * g.W;
        int tiles = (g.N + perTile - 1) / perTile;
        For(g.Groups * tiles, 2L * g.N * g.K * pixels * rows, item =>
        {
            int t = item % tiles, grp = item / tiles;
            int n0 = t * perTile, count = Math.Min(perTile, g.N - n0), len = count * pixels;
            var col = ArrayPool<T>.Shared.Rent(rows * len);
            var outTile = ArrayPool<T>.Shared.Rent(g.Kg * len);
            for (int i = 0; i < count; i++)
                Im2Col(g, x.Span.Slice(((n0 + i) * g.C + grp * g.Cg) * plane, g.Cg * plane), 0, pixels, col.AsSpan(i * pixels), ld: len);
            MultiplyWeights(g.Kg, len, rows, w.Span.Slice(grp * g.Kg * rows, g.Kg * rows), wT.AsSpan(grp * g.Kg * rows, g.Kg * rows),
                            col.AsSpan(0, rows * len), len, outTile.AsSpan(0, g.Kg * len), len);
            for (int i = 0; i < count; i++)
                for (int k = 0; k < g.Kg; k++)
                {
                    var src = outTile.AsSpan(k * len + i * pixels, pixels);
                    var dst = y.Span.Slice(((n0 + i) * g.K + grp * g.Kg + k) * pixels, pixels);
                    if (bias.IsEmpty) src.CopyTo(dst);
                    else TensorPrimitives.Add(src, bias.Span[grp * g.Kg + k], dst);
                }
            ArrayPool<T>.Shared.Return(col);
            ArrayPool<T>.Shared.Return(outTile);
        });
    }

    /// <summary>
    /// col[(c, i, j), q] = x[c, oh·SH − PH + i·DH, ow·SW − PW + j·DW] for the output pixels
    /// q ∈ [p0, p0 + len) (row-major over OH × OW), zero where the tap falls into the padding.
    /// </summary>
    /// <remarks>
    /// Only channels [c0, c0 + cCount) when given (the weight gradient splits channels over threads).
    /// Rows of col are <paramref name="ld"/> apart (default len), so tiles can hold several images.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    public static void Im2Col<T>(in ConvGeometry g, ReadOnlySpan<T> xImg, int p0, int len, Span<T> col, int c0 = 0, int cCount = -1, int ld = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = g.H, w = g.W;
        if (cCount < 0) cCount = g.Cg;
        if (ld < 0) ld = len;
        if (p0 == 0 && len == g.OH * g.OW)
        {
            // A whole image (small images, batched): one plane gather per row of col.
            for (int c = c0; c < c0 + cCount; c++)
                for (int i = 0; i < g.KH; i++)
                    for (int j = 0; j < g.KW; j++)
                        PlaneGather.Gather(xImg.Slice(c * h * w, h * w), h, w, i * g.DH - g.PH, g.SH, j * g.DW - g.PW, g.SW,
                                           col.Slice((((c - c0) * g.KH + i) * g.KW + j) * ld, len), g.OH, g.OW);
            return;
        }
        for (int c = c0; c < c0 + cCount; c++)
            for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                {
                    var dst = col.Slice((((c - c0) * g.KH + i) * g.KW + j) * ld, len);
                    int off = j * g.DW - g.PW;
                    // Valid output columns: 0 ≤ ow·SW + off < W.
                    int owLo = CeilDiv(-off, g.SW), owHi = FloorDiv(w - 1 - off, g.SW) + 1;
                    for (int pos = 0, pix = p0; pos < len;)
                    {
                        int oh = pix / g.OW, ow0 = pix - oh * g.OW, cnt = Math.Min(g.OW - ow0, len - pos);
                        var seg = dst.Slice(pos, cnt);
                        int ih = oh * g.SH - g.PH + i * g.DH;
                        int lo = Math.Max(ow0, owLo), hi = Math.Min(ow0 + cnt, owHi);
                        if (ih < 0 || ih >= h || hi <= lo) seg.Clear();
                        else
                        {
                            seg[..(lo - ow0)].Clear();
                            seg[(hi - ow0)..].Clear();
                            var xRow = xImg.Slice((c * h + ih) * w, w);
                            if (g.SW == 1) xRow.Slice(lo + off, hi - lo).CopyTo(seg.Slice(lo - ow0));
                            else for (int ow = lo; ow < hi; ow++) seg[ow - ow0] = xRow[ow * g.SW + off];
                        }
                        pos += cnt; pix += cnt;
                    }
                }
    }

    /// <summary>C = W·B for a group's weights W [m, k], given also as Wᵀ [k, m] (what GEMM packs fastest).</summary>
    private static void MultiplyWeights<T>(int m, int n, int k, ReadOnlySpan<T> w, ReadOnlySpan<T> wT, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 1) Multiply(false, m, n, k, w, k, b, ldb, false, c, ldc);
        else Gemm.Multiply(true, false, m, n, k, T.One, wT, m, b, ldb, T.Zero, c, ldc, parallel: false);
    }

    /// <summary>
    /// C = A·op(B) (+ C when <paramref name="accumulate"/>), A m×k. One output channel per group (m = 1,
    /// e.g. a discriminator's last layer) skips GEMM's packing of B: a weighted sum of B's rows, or
    /// one dot product per row of B when it is transposed.
    /// </summary>
    public static void Multiply<T>(bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   bool accumulate, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m != 1)
        {
            // parallel: false — the convolution's own work items are the parallel split; a nested GEMM
            // that planned for all threads would cut itself into column blocks and repack A for each.
            Gemm.Multiply(false, transB, m, n, k, T.One, a, lda, b, ldb, accumulate ? T.One : T.Zero, c, ldc, parallel: false);
            return;
        }
        var row = c[..n];
        if (transB)
            for (int j = 0; j < n; j++) row[j] = (accumulate ? row[j] : T.Zero) + TensorPrimitives.Dot(a[..k], b.Slice(j * ldb, k));
        else if (n == 1 && ldb == 1)
            row[0] = (accumulate ? row[0] : T.Zero) + TensorPrimitives.Dot(a[..k], b[..k]);
        else
        {
            if (!accumulate) row.Clear();
            for (int p = 0; p < k; p++) TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), a[p], row, row);
        }
    }

    /// <summary>
    /// Runs the work items on all cores, or serially when the whole job is too small to repay
    /// starting threads (the items are independent, so the result is the same either way).
    /// </summary>
    public static void For(int count, long flops, Action<int> body)
    {
        if (flops < 1L << 20) { for (int i = 0; i < count; i++) body(i); }
        else Threading.For(count, body);
    }

    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
    public static int CeilDiv(int a, int b) => -FloorDiv(-a, b);
}
