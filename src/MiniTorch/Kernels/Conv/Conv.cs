using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

/// <summary>
/// Convolution (big → small side of a <see cref="ConvGeometry"/>) as GEMM over bounded tiles of
/// output pixels: each tile gathers its receptive fields into a column buffer (im2col) of at most
/// <see cref="TileBudget"/> elements and multiplies it by the group's weight matrix. Work items are
/// (image, group, tile) triples, run on all cores; each output element is written by one item only.
/// </summary>
internal static partial class Conv
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

    /// <summary>
    /// Route <see cref="ConvRoute.WholeImageGemm"/>: the kernel covers the whole unpadded image (a
    /// discriminator's last layer, 4×4 → 1×1), so each image is its own column and
    /// y[n, k] = Σ_r x[n, r]·w[k, r] is one GEMM over the batch, instead of an im2col per image that only copies it.
    /// </summary>
    public static void WholeImageGemm<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.BigCg * g.Taps;
        Gemm.Multiply(false, true, g.N, g.SmallC, rows, T.One, x.Span, rows, w.Span, rows, T.Zero, y.Span, g.SmallC);
        if (!bias.IsEmpty)
            for (int n = 0; n < g.N; n++) TensorPrimitives.Add(y.Span.Slice(n * g.SmallC, g.SmallC), bias.Span, y.Span.Slice(n * g.SmallC, g.SmallC));
    }

    /// <summary>
    /// Routes <see cref="ConvRoute.Im2colTiles"/>, <see cref="ConvRoute.Im2colImages"/> and
    /// <see cref="ConvRoute.PointwiseGemm"/>: y[n, k, o] = b[k] + Σ_{c, t} w[k, c, t]·x[n, g·Cg + c, o·s − p + t·d]
    /// as the group's weight matrix times column tiles of the big side (im2col; vol2col in 3-d), in
    /// any rank. Tiles are bounded pixel ranges of one image, or (<paramref name="images"/>) whole
    /// small images side by side; with <paramref name="pointwise"/> (1×1 geometries only) the image itself is the column matrix.
    /// </summary>
    public static void Im2colGemm<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y, bool images, bool pointwise)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.SmallPlane, rows = g.BigCg * g.Taps;
        if (images && !pointwise && PackedImagesApply(g))
        {
            ForwardImagesPacked(g, x, w, bias, y, TileCapacity(rows) / pixels);
            return;
        }
        // The weights as [rows, K] per group, once per call: GEMM then packs them with contiguous
        // copies (transA) for every tile instead of gathering element by element.
        var wT = ArrayPool<T>.Shared.Rent(g.SmallC * rows);
        try
        {
            // In blocks of 64 rows on all cores: each block's [64, Kg] slice of wT is written by one item.
            const int block = 64;
            int blocks = (rows + block - 1) / block;
            Threading.For(g.Groups * blocks, (long)g.SmallC * rows * 16, item =>
            {
                int grp = item / blocks, r0 = item % blocks * block, r1 = Math.Min(rows, r0 + block);
                var ws = w.Span;
                for (int k = 0; k < g.SmallCg; k++)
                {
                    var src = ws.Slice((grp * g.SmallCg + k) * rows, rows);
                    var dst = wT.AsSpan(grp * g.SmallCg * rows + k);
                    for (int r = r0; r < r1; r++) dst[r * g.SmallCg] = src[r];
                }
            });
            if (images && !pointwise) ForwardImages(g, x, w, wT, bias, y, TileCapacity(rows) / pixels);
            else ForwardTiles(g, x, w, wT, bias, y, TileLength(rows, pixels), pointwise);
        }
        finally { ArrayPool<T>.Shared.Return(wT); }
    }

    /// <summary>Whether small images fit side by side in one tile (at least two per tile): the batched im2col and phase routes apply.</summary>
    internal static bool ImagesFitTile(int pixels, int rows) => pixels * 2 <= TileCapacity(rows);

    private static void ForwardTiles<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, T[] wT, ReadOnlyMemory<T> bias, Memory<T> y, int tile, bool direct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.SmallPlane, rows = g.BigCg * g.Taps, plane = g.BigPlane;
        int tiles = (pixels + tile - 1) / tile;
        Threading.For(g.N * g.Groups * tiles, 2L * g.N * g.SmallC * pixels * rows, item =>
        {
            int t = item % tiles, grp = item / tiles % g.Groups, n = item / tiles / g.Groups;
            int p0 = t * tile, len = Math.Min(tile, pixels - p0);
            var xImg = x.Span.Slice((n * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
            var wG = w.Span.Slice(grp * g.SmallCg * rows, g.SmallCg * rows);
            var yTile = y.Span.Slice((n * g.SmallC + grp * g.SmallCg) * pixels + p0);
            var wTG = wT.AsSpan(grp * g.SmallCg * rows, g.SmallCg * rows);
            if (direct)
                MultiplyWeights(g.SmallCg, len, rows, wG, wTG, xImg.Slice(p0), pixels, yTile, pixels);
            else
            {
                var col = ArrayPool<T>.Shared.Rent(rows * len);
                Im2Col(g, xImg, p0, len, col.AsSpan(0, rows * len));
                MultiplyWeights(g.SmallCg, len, rows, wG, wTG, col.AsSpan(0, rows * len), len, yTile, pixels);
                ArrayPool<T>.Shared.Return(col);
            }
            if (!bias.IsEmpty)
                for (int k = 0; k < g.SmallCg; k++)
                    TensorPrimitives.Add(yTile.Slice(k * pixels, len), bias.Span[grp * g.SmallCg + k], yTile.Slice(k * pixels, len));
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
        int pixels = g.SmallPlane, rows = g.BigCg * g.Taps, plane = g.BigPlane;
        int tiles = (g.N + perTile - 1) / perTile;
        Threading.For(g.Groups * tiles, 2L * g.N * g.SmallC * pixels * rows, item =>
        {
            int t = item % tiles, grp = item / tiles;
            int n0 = t * perTile, count = Math.Min(perTile, g.N - n0), len = count * pixels;
            var col = ArrayPool<T>.Shared.Rent(rows * len);
            var outTile = ArrayPool<T>.Shared.Rent(g.SmallCg * len);
            for (int i = 0; i < count; i++)
                Im2Col(g, x.Span.Slice(((n0 + i) * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane), 0, pixels, col.AsSpan(i * pixels), ld: len);
            MultiplyWeights(g.SmallCg, len, rows, w.Span.Slice(grp * g.SmallCg * rows, g.SmallCg * rows), wT.AsSpan(grp * g.SmallCg * rows, g.SmallCg * rows),
                            col.AsSpan(0, rows * len), len, outTile.AsSpan(0, g.SmallCg * len), len);
            for (int i = 0; i < count; i++)
                for (int k = 0; k < g.SmallCg; k++)
                {
                    var src = outTile.AsSpan(k * len + i * pixels, pixels);
                    var dst = y.Span.Slice(((n0 + i) * g.SmallC + grp * g.SmallCg + k) * pixels, pixels);
                    if (bias.IsEmpty) src.CopyTo(dst);
                    else TensorPrimitives.Add(src, bias.Span[grp * g.SmallCg + k], dst);
                }
            ArrayPool<T>.Shared.Return(col);
            ArrayPool<T>.Shared.Return(outTile);
        });
    }

    /// <summary>
    /// col[(c, a, i, j), q] = x[c, od·SD − PD + a·DD, oh·SH − PH + i·DH, ow·SW − PW + j·DW] for the output
    /// pixels q ∈ [p0, p0 + len) (row-major over SmallD × SmallH × SmallW), zero where the tap falls
    /// into the padding (im2col; vol2col when there is depth).
    /// </summary>
    /// <remarks>
    /// Only channels [c0, c0 + cCount) when given (the weight gradient splits channels over threads).
    /// Rows of col are <paramref name="ld"/> apart (default len), so tiles can hold several images.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    public static void Im2Col<T>(in ConvGeometry g, ReadOnlySpan<T> xImg, int p0, int len, Span<T> col, int c0 = 0, int cCount = -1, int ld = -1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = g.BigH, w = g.BigW, hw = h * w, ohw = g.SmallH * g.SmallW;
        if (cCount < 0) cCount = g.BigCg;
        if (ld < 0) ld = len;
        if (p0 == 0 && len == g.SmallPlane && PhasePlanesApply(g))
        {
            var sink = new RowSink<T>(col, ld);
            Im2ColPhases(g, xImg, ref sink, c0, cCount);
            return;
        }
        if (p0 == 0 && len == g.SmallPlane)
        {
            // A whole image (small images, batched): one plane gather per row of col and output depth.
            for (int c = c0; c < c0 + cCount; c++)
                for (int a = 0; a < g.KD; a++)
                    for (int i = 0; i < g.KH; i++)
                        for (int j = 0; j < g.KW; j++)
                        {
                            var row = col.Slice(((((c - c0) * g.KD + a) * g.KH + i) * g.KW + j) * ld, len);
                            for (int od = 0; od < g.SmallD; od++)
                            {
                                int id = od * g.SD - g.PD + a * g.DD;
                                var dst = row.Slice(od * ohw, ohw);
                                if (id < 0 || id >= g.BigD) dst.Clear();
                                else PlaneGather.Gather(xImg.Slice((c * g.BigD + id) * hw, hw), h, w, i * g.DH - g.PH, g.SH, j * g.DW - g.PW, g.SW,
                                                        dst, g.SmallH, g.SmallW);
                            }
                        }
            return;
        }
        // The tile's output rows, once: (position in the tile, output depth and row, first column, count).
        int segCount = 0;
        for (int pos = 0, pix = p0; pos < len; segCount++) { int cnt = Math.Min(g.SmallW - pix % g.SmallW, len - pos); pos += cnt; pix += cnt; }
        Span<(int Pos, int Od, int Oh, int Ow0, int Cnt)> segs = segCount <= 256 ? stackalloc (int, int, int, int, int)[segCount] : new (int, int, int, int, int)[segCount];
        for (int s = 0, pos = 0, pix = p0; pos < len; s++)
        {
            int row = pix / g.SmallW, ow0 = pix - row * g.SmallW, cnt = Math.Min(g.SmallW - ow0, len - pos);
            segs[s] = (pos, row / g.SmallH, row % g.SmallH, ow0, cnt);
            pos += cnt; pix += cnt;
        }
        for (int c = c0; c < c0 + cCount; c++)
            for (int a = 0; a < g.KD; a++)
                for (int i = 0; i < g.KH; i++)
                    for (int j = 0; j < g.KW; j++)
                    {
                        var dst = col.Slice(((((c - c0) * g.KD + a) * g.KH + i) * g.KW + j) * ld, len);
                        int off = j * g.DW - g.PW;
                        // Valid output columns: 0 ≤ ow·SW + off < W.
                        int owLo = Shape.CeilDiv(-off, g.SW), owHi = Shape.FloorDiv(w - 1 - off, g.SW) + 1;
                        foreach (var (pos, od, oh, ow0, cnt) in segs)
                        {
                            var seg = dst.Slice(pos, cnt);
                            int id = od * g.SD - g.PD + a * g.DD, ih = oh * g.SH - g.PH + i * g.DH;
                            int lo = Math.Max(ow0, owLo), hi = Math.Min(ow0 + cnt, owHi);
                            if (id < 0 || id >= g.BigD || ih < 0 || ih >= h || hi <= lo) seg.Clear();
                            else
                            {
                                seg[..(lo - ow0)].Clear();
                                seg[(hi - ow0)..].Clear();
                                var xRow = xImg.Slice(((c * g.BigD + id) * h + ih) * w, w);
                                if (g.SW == 1) xRow.Slice(lo + off, hi - lo).CopyTo(seg.Slice(lo - ow0));
                                else for (int ow = lo; ow < hi; ow++) seg[ow - ow0] = xRow[ow * g.SW + off];
                            }
                        }
                    }
    }

    /// <summary>
    /// Whether <see cref="Im2ColPhases{T, TSink}"/> gathers a whole image: 2-d, with at least as many taps as
    /// phases (so each phase plane it builds is read by a tap), and output rows of at most 64 values.
    /// </summary>
    internal static bool PhasePlanesApply(in ConvGeometry g) =>
        g.IsPlanar && g.SH * g.SW <= g.KH * g.KW && g.SmallW <= 64 && g.SmallH > 0 && g.SmallW > 0;

    /// <summary>
    /// The whole-image im2col of a 2-d geometry through phase planes: per channel, the zero-padded input
    /// split by stride phase, q[a, b][u, v] = x[u·SH + a − PH, v·SW + b − PW] (zero outside); then
    /// tap (i, j)'s row of col is the window of plane ((i·DH) mod SH, (j·DW) mod SW) at offset
    /// (⌊i·DH / SH⌋, ⌊j·DW / SW⌋): whole output rows copied as runs, where gathering column by column
    /// with the stride cost more than DCGAN's stride-2 layers spend in their GEMM's packing.
    /// The values (and so every result computed from them) are those of the plain gather.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    internal static void Im2ColPhases<T, TSink>(in ConvGeometry g, ReadOnlySpan<T> xImg, ref TSink sink, int c0, int cCount)
        where T : unmanaged, IFloatingPointIeee754<T> where TSink : IColumnSink<T>, allows ref struct
    {
        int sh = g.SH, sw = g.SW, oh = g.SmallH, ow = g.SmallW, h = g.BigH, w = g.BigW;
        int qh = (g.KH - 1) * g.DH / sh + oh, qw = (g.KW - 1) * g.DW / sw + ow;
        // Input and phase rows of at most 16 floats with AVX-512 (DCGAN's 8- and 16-wide layers): each phase row is
        // one permute of the input row, stored whole into plane rows 16 apart (PhaseRows16).
        bool permute = typeof(T) == typeof(float) && Avx512F.IsSupported && w <= 16 && qw <= 16;
        int pitch = permute ? 16 : qw, qPlane = qh * pitch;
        int scratch = sh * sw * qPlane;
        T[]? rented = scratch > 4096 ? ArrayPool<T>.Shared.Rent(scratch) : null;
        Span<T> q = rented is null ? stackalloc T[scratch] : rented.AsSpan(0, scratch);
        // Per column phase b: the plane columns v with 0 ≤ v·SW + b − PW < W.
        Span<int> vLos = stackalloc int[sw], vHis = stackalloc int[sw];
        for (int b = 0; b < sw; b++)
        {
            int off = b - g.PW;
            vLos[b] = Math.Clamp(Shape.CeilDiv(-off, sw), 0, qw);
            vHis[b] = Math.Clamp(Shape.FloorDiv(w - 1 - off, sw) + 1, vLos[b], qw);
        }
        // Stride 2 on float rows of at least one AVX2 block (16 values): each input row split once into its
        // even and odd elements by vector permutes (Deinterleave2), then every phase row is a run of one of
        // them. Narrower rows (DCGAN's 8-wide) gather with the stride: the split would be all scalar tail.
        int half = (w + 1) / 2;
        bool pairs = !permute && sw == 2 && typeof(T) == typeof(float) && Deinterleave2Applies && w >= 16 && half <= 1024;
        Span<float> parity = pairs ? stackalloc float[2 * half + 16] : default;
        Span<Vector512<int>> index16 = permute ? stackalloc Vector512<int>[sw] : default;
        Span<Vector512<float>> mask16 = permute ? stackalloc Vector512<float>[sw] : default;
        if (permute) PhaseRows16.Lanes(g, vLos, vHis, index16, mask16);
        for (int c = c0; c < c0 + cCount; c++)
        {
            var x = xImg.Slice(c * h * w, h * w);
            if (permute)
                PhaseRows16.Build(g, index16, mask16, ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x)), xImg.Length - c * h * w, ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(q)), qh, qPlane);
            else
                for (int a = 0; a < sh; a++)
                    for (int u = 0; u < qh; u++)
                    {
                        int ih = u * sh + a - g.PH;
                        bool inside = ih >= 0 && ih < h;
                        var xr = inside ? x.Slice(ih * w, w) : default;
                        if (inside && pairs) Deinterleave2(ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(xr)), w, parity, half);
                        for (int b = 0; b < sw; b++)
                        {
                            var row = q.Slice((a * sw + b) * qPlane + u * pitch, qw);
                            int off = b - g.PW, vLo = vLos[b], vHi = vHis[b];
                            if (!inside || vHi <= vLo)
                            {
                                row.Clear();
                                continue;
                            }
                            for (int v = 0; v < vLo; v++) row[v] = T.Zero;
                            for (int v = vHi; v < qw; v++) row[v] = T.Zero;
                            if (pairs)
                            {
                                // Element v·2 + off = 2·(v + e) + r: element v + e of parity row r.
                                int r = off & 1, e = (off - r) >> 1;
                                ref float from = ref parity[r * half + vLo + e];
                                CopyRun(ref from, ref Unsafe.As<T, float>(ref row[vLo]), vHi - vLo);
                            }
                            else if (sw == 1) xr.Slice(vLo + off, vHi - vLo).CopyTo(row.Slice(vLo));
                            else for (int v = vLo, at = vLo * sw + off; v < vHi; v++, at += sw) row[v] = xr[at];
                        }
                    }
            for (int i = 0; i < g.KH; i++)
            {
                int a = i * g.DH % sh, u0 = i * g.DH / sh;
                for (int j = 0; j < g.KW; j++)
                {
                    int b = j * g.DW % sw, v0 = j * g.DW / sw;
                    sink.PutWindow(((c - c0) * g.KH + i) * g.KW + j, ref q[(a * sw + b) * qPlane + u0 * pitch + v0], pitch, oh, ow);
                }
            }
        }
        if (rented is not null) ArrayPool<T>.Shared.Return(rented);
    }

    /// <summary>
    /// The phase planes of <see cref="Im2ColPhases{T, TSink}"/> for float rows of at most 16 values with AVX-512: phase
    /// row (a, b, u) is the input row u·SH + a − PH (staged into 16 lanes when narrower) permuted by the lane indices
    /// v·SW + b − PW and masked to +0 outside [vLo, vHi) (the padding, and the lanes past the plane's width); each row is
    /// stored as one whole vector, so the planes' rows are 16 floats apart. The same values as the element-by-element build.
    /// </summary>
    private static unsafe class PhaseRows16
    {
        /// <summary>Per column phase b: the permute's lane indices and the mask of lanes inside the input.</summary>
        public static void Lanes(in ConvGeometry g, ReadOnlySpan<int> vLos, ReadOnlySpan<int> vHis, Span<Vector512<int>> indices, Span<Vector512<float>> masks)
        {
            int sw = g.SW;
            Span<int> index = stackalloc int[16], mask = stackalloc int[16];
            for (int b = 0; b < sw; b++)
            {
                for (int v = 0; v < 16; v++)
                {
                    bool inside = v >= vLos[b] && v < vHis[b];
                    index[v] = inside ? v * sw + b - g.PW : 0;
                    mask[v] = inside ? -1 : 0;
                }
                indices[b] = Vector512.Create((ReadOnlySpan<int>)index);
                masks[b] = Vector512.Create((ReadOnlySpan<int>)mask).AsSingle();
            }
        }

        /// <summary>
        /// All SH·SW planes of one channel <paramref name="x"/> (H×W, followed by <paramref name="available"/> − H·W
        /// readable values) into <paramref name="q"/>, plane (a, b) at (a·SW + b)·<paramref name="qPlane"/>. A row
        /// narrower than 16 is loaded whole with whatever follows it when that is still readable (those lanes are
        /// masked), else staged: a wide load of a narrow store just made would wait for the store.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Build(in ConvGeometry g, ReadOnlySpan<Vector512<int>> indices, ReadOnlySpan<Vector512<float>> masks, ref float x, int available, ref float q, int qh, int qPlane)
        {
            int sh = g.SH, sw = g.SW, h = g.BigH, w = g.BigW;
            float* stage = stackalloc float[16];
            Vector512<float>.Zero.Store(stage);
            for (int a = 0; a < sh; a++)
                for (int u = 0; u < qh; u++)
                {
                    int ih = u * sh + a - g.PH;
                    var row = Vector512<float>.Zero;
                    bool inside = ih >= 0 && ih < h;
                    if (inside && ih * w + 16 <= available) row = Vector512.LoadUnsafe(ref x, (nuint)(ih * w));
                    else if (inside)
                    {
                        Conv.CopyRun(ref Unsafe.Add(ref x, ih * w), ref *stage, w);
                        row = Vector512.Load(stage);
                    }
                    for (int b = 0; b < sw; b++)
                    {
                        var v = inside ? Avx512F.PermuteVar16x32(row, indices[b]) & masks[b] : Vector512<float>.Zero;
                        v.StoreUnsafe(ref q, (nuint)((a * sw + b) * qPlane + u * 16));
                    }
                }
        }
    }

    /// <summary>Whether <see cref="Deinterleave2"/> has a vector form here (AVX-512 or AVX2); without one the phase rows gather with the stride.</summary>
    private static bool Deinterleave2Applies => Avx512F.IsSupported || Avx2.IsSupported;

    /// <summary>
    /// dst[i] = x[2i] for i &lt; ⌈w/2⌉ and dst[half + i] = x[2i + 1] for i &lt; ⌊w/2⌋: a row split into its even and
    /// odd elements, 32 (AVX-512: two two-source permutes) or 16 (AVX2: shuffles and a lane permute) input
    /// elements at a time, the rest one by one. Only moves values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Deinterleave2(ref float x, int w, Span<float> dst, int half)
    {
        ref float even = ref MemoryMarshal.GetReference(dst);
        ref float odd = ref Unsafe.Add(ref even, half);
        int i = 0;
        if (Avx512F.IsSupported)
        {
            var ie = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            var io = ie + Vector512<int>.One;
            for (; 2 * i + 32 <= w; i += 16)
            {
                var lo = Vector512.LoadUnsafe(ref x, (nuint)(2 * i));
                var hi = Vector512.LoadUnsafe(ref x, (nuint)(2 * i + 16));
                Avx512F.PermuteVar16x32x2(lo, ie, hi).StoreUnsafe(ref even, (nuint)i);
                Avx512F.PermuteVar16x32x2(lo, io, hi).StoreUnsafe(ref odd, (nuint)i);
            }
        }
        if (Avx2.IsSupported)
            for (; 2 * i + 16 <= w; i += 8)
            {
                var lo = Vector256.LoadUnsafe(ref x, (nuint)(2 * i));
                var hi = Vector256.LoadUnsafe(ref x, (nuint)(2 * i + 8));
                // Per 128-bit lane [lo0 lo2 hi0 hi2 | lo4 lo6 hi4 hi6]; the 64-bit permute puts the lo pairs first.
                var e = Avx.Shuffle(lo, hi, 0b10_00_10_00);
                var o = Avx.Shuffle(lo, hi, 0b11_01_11_01);
                Avx2.Permute4x64(e.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref even, (nuint)i);
                Avx2.Permute4x64(o.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref odd, (nuint)i);
            }
        for (; 2 * i < w; i++)
        {
            Unsafe.Add(ref even, i) = Unsafe.Add(ref x, 2 * i);
            if (2 * i + 1 < w) Unsafe.Add(ref odd, i) = Unsafe.Add(ref x, 2 * i + 1);
        }
    }

    /// <summary>dst[0 … count) = src[0 … count) for short runs: fixed-size copies (one or two vector moves) for the common widths, an element loop for other runs under 16 values (cheaper than a block copy's call), a block copy above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CopyRun<T>(ref T src, ref T dst, int count) where T : unmanaged
    {
        ref byte s = ref Unsafe.As<T, byte>(ref src), d = ref Unsafe.As<T, byte>(ref dst);
        switch (count * Unsafe.SizeOf<T>())
        {
            case 16: Unsafe.CopyBlockUnaligned(ref d, ref s, 16); break;
            case 32: Unsafe.CopyBlockUnaligned(ref d, ref s, 32); break;
            case 64: Unsafe.CopyBlockUnaligned(ref d, ref s, 64); break;
            case 128: Unsafe.CopyBlockUnaligned(ref d, ref s, 128); break;
            default:
                if (count < 16)
                    for (int i = 0; i < count; i++) Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i);
                else MemoryMarshal.CreateReadOnlySpan(ref src, count).CopyTo(MemoryMarshal.CreateSpan(ref dst, count));
                break;
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
}
