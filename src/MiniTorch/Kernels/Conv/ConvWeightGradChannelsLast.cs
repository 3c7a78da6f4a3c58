using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// The weight gradient for layers with many input channels (C/groups ≥ 16, e.g. 3×3 64→64), in any
/// rank, arranged so that GEMM packs the columns with its fast, contiguous copies: the pixel sum is
/// the GEMM's k, and the columns are built pixel-major, colᵀ[q, (a, i, j, c)], from a channels-last
/// copy of the input region the tile reads, so each (pixel, tap) is one run of C_g contiguous values.
/// (The general kernel's column-major colᵀ has to be transposed element by element while GEMM packs
/// it, which costs more than the multiply-adds when C_g is large.)
/// </summary>
/// <remarks>
/// The partials are [K_g, (a, i, j, c)] (gy tiles × colᵀ), or, where GEMM's register tile fills better
/// with the output channels as its columns (K_g = 32 or 64 against 14-row tiles), pixel-major
/// [(a, i, j, c), K_g] (colᵀᵀ × gyᵀ: the long (a, i, j, c) side as GEMM's rows); 2-d layers keep the
/// first orientation, which their measurements and bitwise pins were taken with. Either way each
/// element is the same sum over the pixels in order, the partials of fixed chunks are summed in chunk
/// order (as in <see cref="ConvWeightGrad"/>) and permuted to gw[k, c, a, i, j]: bitwise the same for
/// any thread count.
/// </remarks>
internal static unsafe partial class ConvWeightGradChannelsLast
{
    private const int MaxChunks = 16;
    private const int PartialBudget = 1 << 22;

    /// <summary>
    /// Elements of the pixel-major column route's partials (fewer chunks for large [rows, K_g] blocks):
    /// ConvTranspose3d 4×4×4 s2 64→32's weight gradient (2048 × 64 per chunk) went from 16 chunks to 4 and
    /// from 50–52 % to 57–58 % of a core per CPU-second (<c>quick-conv nd-tconv3d:weight</c>, one thread): the
    /// 8 MB of partials no longer have to be summed. 2-d layers (never pixel-major) keep their chunks.
    /// </summary>
    private const int PixelMajorPartialBudget = PartialBudget / 8;

    /// <summary>
    /// Elements of one pixel-major column tile: half of <see cref="Conv.TileBudget"/>, so the tile (512 KB
    /// in float32) stays in L2 beside the partial while GEMM packs it. Per CPU-second
    /// (<c>quick-conv nd:weight</c>): Conv3d 3×3×3 32→32 47 → 53 %, Conv1d k9 64→64 56 → 62 %; a quarter was no better.
    /// </summary>
    private const int PixelMajorTileBudget = Conv.TileBudget / 2;

    /// <summary>Route <see cref="ConvRoute.WeightGradChannelsLast"/> (any rank).</summary>
    public static void Compute<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Compute(g, x, gy, gw, sliceUnits: true, wholeImages: true);

    /// <summary>
    /// As above; <paramref name="sliceUnits"/> = false builds each unit's columns whole before one GEMM, and
    /// <paramref name="wholeImages"/> = false builds columns also where the kernel covers the whole image (the code
    /// before these two, kept so that tests can hold them to its bits).
    /// </summary>
    internal static void Compute<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw, bool sliceUnits, bool wholeImages)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.SmallPlane, kk = g.Taps, rows = g.BigCg * kk, plane = g.BigPlane, size = g.SmallCg * rows, kg = g.SmallCg;
        int smallHW = g.SmallH * g.SmallW, bigHW = g.BigH * g.BigW;
        bool pixelMajor = PixelMajor<T>(g);
        if (pixelMajor && PaddedPlanesApply(g) && AllFinite(x.Span))
        {
            PaddedPlanes(g, x, gy, gw);
            return;
        }
        var (tile, tiles, perUnit, units, chunks) = Units(g, pixelMajor);
        if (chunks == 0 || size == 0)
        {
            gw.Span.Clear();
            return;
        }
        if (wholeImages && WholeImages(g, pixelMajor))
        {
            WholeImageProducts(g, x, gy, gw, perUnit, units, chunks);
            return;
        }
        // The input region one tile can read: its output planes' and rows' span plus the kernel's reach
        // (whole planes when a tile can span several output planes).
        int maxDepths = Math.Min(g.BigD, (tile / smallHW + 1) * g.SD + (g.KD - 1) * g.DD + 1);
        int maxRows = g.SmallD > 1 ? g.BigH : Math.Min(g.BigH, ((tile + g.SmallW - 1) / g.SmallW + 1) * g.SH + (g.KH - 1) * g.DH + 1);
        // Not cleared: each chunk's first unit overwrites its partial (GEMM with β = 0).
        var partial = ArrayPool<T>.Shared.Rent(g.Groups * chunks * size);
        // One item (DCGAN's 4×4 256→1 layer: one output channel, one chunk) runs on the calling thread, so that the
        // images' columns of its units are gathered on all cores (copies: no value changes) and its GEMM may split.
        int items = g.Groups * chunks;
        // Units of several images are built and multiplied one GEMM k-slice (KC pixels) at a time, so a slice's
        // columns are still in L2 when GEMM packs them (a whole unit's columns, up to Conv.TileBudget values, are
        // not). Each slice call is one of the unit call's own KC slices: the first overwrites (β = 0) or continues
        // the chunk's sum, the later ones accumulate, as the unit call's later slices do (β = 1: c + 1·acc rounded
        // once, the same Blend/Accumulate bits), so every element gets the same FMA chains and roundings.
        // One output channel (K_g = 1) takes Conv.Multiply's dot products, whose order a split would change.
        bool sliced = sliceUnits && SlicesUnits(g, pixelMajor);
        int kSlice = Gemm.Blocking.Of<T>(Gemm.Best).KC;
        Action<int> body = item =>
        {
            int ch = item % chunks, grp = item / chunks;
            var acc = partial.AsSpan((grp * chunks + ch) * size, size);
            var xT = ArrayPool<T>.Shared.Rent(perUnit > 0 ? plane * g.BigCg : maxDepths * maxRows * g.BigW * g.BigCg);
            var colT = ArrayPool<T>.Shared.Rent((sliced ? kSlice : Math.Max(tile, perUnit * pixels)) * rows);
            var gyT = perUnit > 0 ? ArrayPool<T>.Shared.Rent(kg * perUnit * pixels) : null;
            long first = (long)units * ch / chunks;
            for (long u = first; u < (long)units * (ch + 1) / chunks; u++)
            {
                if (gyT is not null)
                {
                    // Images n0 … n0 + count − 1 side by side: columns (image, pixel), gy gathered to match.
                    int n0 = (int)u * perUnit, count = Math.Min(perUnit, g.N - n0), cols = count * pixels;
                    var whole = Region.Whole(g);
                    ReadOnlySpan<T> Image(int i) => x.Span.Slice(((n0 + i) * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                    for (int i = 0; i < count; i++)
                        for (int k = 0; k < kg; k++)
                            gy.Span.Slice(((n0 + i) * g.SmallC + grp * kg + k) * pixels, pixels).CopyTo(gyT.AsSpan(k * cols + i * pixels, pixels));
                    if (sliced)
                    {
                        for (int s0 = 0, loaded = -1; s0 < cols; s0 += kSlice)
                        {
                            int sl = Math.Min(kSlice, cols - s0);
                            for (int q = s0; q < s0 + sl;)
                            {
                                int i = q / pixels, at = q - i * pixels, run = Math.Min(pixels - at, s0 + sl - q);
                                if (i != loaded) CopyRegion(g, Image(loaded = i), whole, xT);
                                BuildColumns(g, xT, whole, at, run, colT.AsSpan((q - s0) * rows, run * rows));
                                q += run;
                            }
                            Multiply(pixelMajor, kg, rows, sl, gyT.AsSpan(s0), cols, colT.AsSpan(0, sl * rows), u != first || s0 > 0, acc, parallel: false);
                        }
                        continue;
                    }
                    void Gather(int i, T[] xImgT)
                    {
                        CopyRegion(g, Image(i), whole, xImgT);
                        BuildColumns(g, xImgT, whole, 0, pixels, colT.AsSpan(i * pixels * rows, pixels * rows));
                    }
                    if (items == 1)
                        // Strided copies: about four element operations per value moved (the image's region and its columns).
                        Threading.For(count, 4L * count * (pixels * rows + plane * g.BigCg), i =>
                        {
                            var own = ArrayPool<T>.Shared.Rent(plane * g.BigCg);
                            Gather(i, own);
                            ArrayPool<T>.Shared.Return(own);
                        });
                    else
                        for (int i = 0; i < count; i++) Gather(i, xT);
                    Multiply(pixelMajor, kg, rows, cols, gyT, cols, colT.AsSpan(0, cols * rows), u != first, acc, parallel: items == 1);
                    continue;
                }
                int n = (int)(u / tiles), t = (int)(u % tiles);
                int p0 = t * tile, len = Math.Min(tile, pixels - p0);
                var xImg = x.Span.Slice((n * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                var region = Region.Of(g, p0, len);
                CopyRegion(g, xImg, region, xT);
                BuildColumns(g, xT, region, p0, len, colT.AsSpan(0, len * rows));
                Multiply(pixelMajor, kg, rows, len, gy.Span.Slice((n * g.SmallC + grp * kg) * pixels + p0), pixels,
                         colT.AsSpan(0, len * rows), u != first, acc, parallel: items == 1);
            }
            ArrayPool<T>.Shared.Return(xT);
            ArrayPool<T>.Shared.Return(colT);
            if (gyT is not null) ArrayPool<T>.Shared.Return(gyT);
        };
        if (items == 1) body(0);
        else Threading.For(items, 2L * g.N * g.SmallC * pixels * rows, body);
        if (pixelMajor) ReducePixelMajor(g, partial, chunks, gw);
        else
            // Per output channel (group, k), on all cores: its row of the partials summed in chunk order,
            // then permuted [(a, i, j, c)] → gw[k, c, a, i, j]. Rows are independent, so any split gives the same bits.
            Threading.For(g.Groups * kg, (long)g.Groups * chunks * size, item =>
            {
                int grp = item / kg, k = item % kg;
                var s = ArrayPool<T>.Shared.Rent(rows);
                var row = s.AsSpan(0, rows);
                SumChunks(partial, grp, k, chunks, size, rows, row);
                Unpermute(row, g.BigCg, kk, gw.Span.Slice(grp * size + k * rows, rows));
                ArrayPool<T>.Shared.Return(s);
            });
        ArrayPool<T>.Shared.Return(partial);
    }

    /// <summary>
    /// row = output channel k's row of group grp's partials ([chunks][K_g, rows]), summed over the chunks in chunk order.
    /// </summary>
    private static void SumChunks<T>(T[] partial, int grp, int k, int chunks, int size, int rows, Span<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        partial.AsSpan(grp * chunks * size + k * rows, rows).CopyTo(row);
        for (int ch = 1; ch < chunks; ch++) TensorPrimitives.Add(row, partial.AsSpan((grp * chunks + ch) * size + k * rows, rows), row);
    }

    /// <summary>
    /// The work split: output pixels per tile, tiles per image, images per unit (0: units are tiles), units, and
    /// chunks (each chunk sums its units into its own partial; the partials are summed in chunk order).
    /// </summary>
    private static (int Tile, int Tiles, int PerUnit, int Units, int Chunks) Units(in ConvGeometry g, bool pixelMajor)
    {
        int pixels = g.SmallPlane, rows = g.BigCg * g.Taps, size = g.SmallCg * rows;
        int tile = pixelMajor ? Math.Min(pixels, Math.Max(32, PixelMajorTileBudget / rows / 32 * 32)) : Conv.TileLength(rows, pixels);
        int tiles = (pixels + tile - 1) / tile;
        // Small images (DCGAN's 4×4 … 16×16 layers): a unit is several whole images, so GEMM's k (the
        // pixel sum) spans them all and the [K_g, rows] accumulator is read and written once per unit
        // instead of once per image (with k = 16 pixels that traffic, not the multiply-adds, dominated).
        int perUnit = pixels * 2 <= Conv.TileCapacity(rows) && g.N > 1 ? Conv.TileCapacity(rows) / pixels : 0;
        int units = perUnit > 0 ? (g.N + perUnit - 1) / perUnit : g.N * tiles;
        int chunks = Math.Min(units, Math.Clamp((pixelMajor ? PixelMajorPartialBudget : PartialBudget) / Math.Max(g.Groups * size, 1), 1, MaxChunks));
        return (tile, tiles, perUnit, units, chunks);
    }

    /// <summary>
    /// Whether the column route builds and multiplies its units of whole images one GEMM k-slice at a time: units
    /// of several images, more than one work item (one item gathers on all cores instead) and a GEMM product
    /// (one output channel takes dot products).
    /// </summary>
    internal static bool SlicesUnits(in ConvGeometry g, bool pixelMajor)
    {
        var (_, _, perUnit, _, chunks) = Units(g, pixelMajor);
        return perUnit > 0 && g.Groups * chunks > 1 && (pixelMajor || g.SmallCg > 1);
    }

    /// <summary>
    /// dst[c, tap] = row[tap, c]: one output channel's summed row, (tap, c)-major as the partials hold it,
    /// in gw's [C_g, taps] order. The writes run sequentially through gw (in memory) and the strided reads
    /// stay in the row (in L1): the other loop order wrote one element per cache line of gw, which showed
    /// as 2.5 % of <c>quick-conv layers-dcgan:paper</c>'s profile (one thread; 0.95 % with this order). A copy: no value changes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void Unpermute<T>(ReadOnlySpan<T> row, int cg, int kk, Span<T> dst) where T : unmanaged
    {
        if (row.Length < cg * kk || dst.Length < cg * kk) throw new ArgumentException("Unpermute: spans shorter than C_g · taps.");
        fixed (T* ps = row, pd = dst)
            for (int c = 0; c < cg; c++)
            {
                T* d = pd + (nint)c * kk, src = ps + c;
                for (int tap = 0; tap < kk; tap++) d[tap] = src[(nint)tap * cg];
            }
    }

    /// <summary>
    /// Whether the partials are pixel-major ([(a, i, j, c), K_g]): GEMM's register tile (MR×NR) is filled
    /// better with the K_g output channels as its columns than as its rows. 2-d layers keep [K_g, rows].
    /// </summary>
    internal static bool PixelMajor<T>(in ConvGeometry g) where T : unmanaged
    {
        if (g.Rank == 2) return false;
        var b = Gemm.Blocking.Of<T>(Gemm.Best);
        return Fill(g.SmallCg, b.NR) > Fill(g.SmallCg, b.MR);

        static double Fill(int n, int tile) => (double)n / ((n + tile - 1) / tile * tile);
    }

    /// <summary>
    /// acc (+)= gy·colᵀ as [K_g, rows], or pixel-major colᵀᵀ·gyᵀ as [rows, K_g]; gy is [K_g, len] with rows ldg apart.
    /// <paramref name="parallel"/>: the pass's only work item, so its GEMM may split over the threads (GEMM's bits do not
    /// depend on the split); otherwise the items are the parallel split.
    /// </summary>
    private static void Multiply<T>(bool pixelMajor, int kg, int rows, int len, ReadOnlySpan<T> gy, int ldg, ReadOnlySpan<T> colT, bool accumulate,
                                    Span<T> acc, bool parallel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (pixelMajor)
            Gemm.Multiply(true, true, rows, kg, len, T.One, colT, rows, gy, ldg, accumulate ? T.One : T.Zero, acc, kg, parallel);
        else if (parallel && kg > 1)
            // Conv.Multiply's call, on all threads.
            Gemm.Multiply(false, false, kg, rows, len, T.One, gy, ldg, colT, rows, accumulate ? T.One : T.Zero, acc, rows, parallel: true);
        else Conv.Multiply(false, kg, rows, len, gy, ldg, colT, rows, accumulate, acc, rows);
    }

    /// <summary>
    /// Pixel-major partials [(a, i, j, c), K_g] per chunk: blocks of rows summed in chunk order on all
    /// cores, then each element (tap, c, k) written to gw[k, c, tap].
    /// </summary>
    private static void ReducePixelMajor<T>(in ConvGeometry g, T[] partial, int chunks, Memory<T> gw) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kg = g.SmallCg, cg = g.BigCg, kk = g.Taps, rows = cg * kk, size = kg * rows;
        const int block = 64;
        int blocks = (rows + block - 1) / block;
        Threading.For(g.Groups * blocks, (long)g.Groups * chunks * size, item =>
        {
            int grp = item / blocks, r0 = item % blocks * block, rn = Math.Min(block, rows - r0);
            var s = ArrayPool<T>.Shared.Rent(rn * kg);
            var sum = s.AsSpan(0, rn * kg);
            partial.AsSpan(grp * chunks * size + r0 * kg, rn * kg).CopyTo(sum);
            for (int ch = 1; ch < chunks; ch++) TensorPrimitives.Add(sum, partial.AsSpan((grp * chunks + ch) * size + r0 * kg, rn * kg), sum);
            var dst = gw.Span.Slice(grp * size, size);
            for (int r = 0; r < rn; r++)
            {
                int tap = (r0 + r) / cg, c = (r0 + r) % cg;
                for (int k = 0; k < kg; k++) dst[(k * cg + c) * kk + tap] = sum[r * kg + k];
            }
            ArrayPool<T>.Shared.Return(s);
        });
    }

    /// <summary>The block of the big side a tile reads: depths, rows and columns (inclusive; empty when Hi &lt; Lo).</summary>
    private readonly record struct Region(int DLo, int DHi, int HLo, int HHi, int WLo, int WHi)
    {
        public int Depths => Math.Max(0, DHi - DLo + 1);
        public int Rows => Math.Max(0, HHi - HLo + 1);
        public int Cols => Math.Max(0, WHi - WLo + 1);

        /// <summary>What the small pixels [p0, p0 + len) read: rows only within one output plane, columns only within one output row.</summary>
        public static Region Of(in ConvGeometry g, int p0, int len)
        {
            int smallHW = g.SmallH * g.SmallW, last = p0 + len - 1;
            int od0 = p0 / smallHW, od1 = last / smallHW;
            int oh0 = p0 % smallHW / g.SmallW, oh1 = last % smallHW / g.SmallW;
            int dLo = Math.Max(0, od0 * g.SD - g.PD), dHi = Math.Min(g.BigD - 1, od1 * g.SD - g.PD + (g.KD - 1) * g.DD);
            if (od0 != od1) return new Region(dLo, dHi, 0, g.BigH - 1, 0, g.BigW - 1);
            int hLo = Math.Max(0, oh0 * g.SH - g.PH), hHi = Math.Min(g.BigH - 1, oh1 * g.SH - g.PH + (g.KH - 1) * g.DH);
            if (oh0 != oh1) return new Region(dLo, dHi, hLo, hHi, 0, g.BigW - 1);
            int ow0 = p0 % g.SmallW, ow1 = last % g.SmallW;
            return new Region(dLo, dHi, hLo, hHi, Math.Max(0, ow0 * g.SW - g.PW), Math.Min(g.BigW - 1, ow1 * g.SW - g.PW + (g.KW - 1) * g.DW));
        }

        /// <summary>What a whole image reads (rows from the first to the last that any tap reaches).</summary>
        public static Region Whole(in ConvGeometry g) =>
            new(0, g.BigD - 1, Math.Max(0, -g.PH), Math.Min(g.BigH - 1, (g.SmallH - 1) * g.SH - g.PH + (g.KH - 1) * g.DH), 0, g.BigW - 1);
    }

    /// <summary>xT[((d, h), w), c] = x[c, DLo + d, HLo + h, WLo + w] over the region: a channels-last copy of it.</summary>
    private static void CopyRegion<T>(in ConvGeometry g, ReadOnlySpan<T> xImg, Region r, Span<T> xT) where T : unmanaged
    {
        int cg = g.BigCg, plane = g.BigPlane, bigHW = g.BigH * g.BigW, run = r.Rows * r.Cols;
        if (r.Depths == 0 || run == 0) return;
        for (int d = 0; d < r.Depths; d++)
        {
            int at = (r.DLo + d) * bigHW + r.HLo * g.BigW;
            if (r.Cols == g.BigW) ChannelsLast(xImg, cg, plane, at, run, xT.Slice(d * run * cg));
            else
                for (int h = 0; h < r.Rows; h++)
                    ChannelsLast(xImg, cg, plane, at + h * g.BigW + r.WLo, r.Cols, xT.Slice((d * r.Rows + h) * r.Cols * cg));
        }
    }

    /// <summary>xT[p, c] = x[c, start + p] for p ∈ [0, count): a channels-last copy of some input positions.</summary>
    /// <remarks>
    /// Sixteen channels × sixteen positions at a time as a register transpose (<see cref="Transpose16"/>, float32
    /// with AVX-512), otherwise four channels at a time, so each position's four values go out as one run (the
    /// element-at-a-time loop with a span slice per channel was most of the route's non-GEMM time in
    /// <c>quick-conv layers-dcgan:paper</c>'s profile). A copy: no value changes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void ChannelsLast<T>(ReadOnlySpan<T> xImg, int channels, int plane, int start, int count, Span<T> xT) where T : unmanaged
    {
        if (channels <= 0 || count <= 0) return;
        if (start < 0 || (long)(channels - 1) * plane + start + count > xImg.Length || (long)count * channels > xT.Length)
            throw new ArgumentException($"ChannelsLast: {channels} channels of {count} positions from {start} do not fit the spans.");
        // Blocks of 16 positions keep the 16 destination lines being written in L1.
        const int block = 16;
        fixed (T* ps = xImg, pd = xT)
            for (int p0 = 0; p0 < count; p0 += block)
            {
                int pe = Math.Min(count, p0 + block), c = 0;
                if (typeof(T) == typeof(float) && pe - p0 == 16 && Transpose16.IsSupported)
                    // Sixteen channels × sixteen positions as one register transpose.
                    for (; c + 16 <= channels; c += 16)
                        Transpose16.Block((float*)(ps + (nint)c * plane + start + p0), plane, 16, (float*)(pd + (nint)p0 * channels + c), channels);
                for (; c + 4 <= channels; c += 4)
                {
                    T* s0 = ps + (nint)c * plane + start, s1 = s0 + plane, s2 = s1 + plane, s3 = s2 + plane;
                    for (int p = p0; p < pe; p++)
                    {
                        T* d = pd + (nint)p * channels + c;
                        d[0] = s0[p];
                        d[1] = s1[p];
                        d[2] = s2[p];
                        d[3] = s3[p];
                    }
                }
                for (; c < channels; c++)
                {
                    T* src = ps + (nint)c * plane + start;
                    for (int p = p0; p < pe; p++) pd[(nint)p * channels + c] = src[p];
                }
            }
    }

    /// <summary>
    /// colᵀ[q, (a, i, j, c)] = x[c, od·SD − PD + a·DD, oh·SH − PH + i·DH, ow·SW − PW + j·DW] (zero outside)
    /// for the tile's pixels q, read from the region's channels-last copy xT.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void BuildColumns<T>(in ConvGeometry g, ReadOnlySpan<T> xT, Region r, int p0, int len, Span<T> colT)
        where T : unmanaged
    {
        int cg = g.BigCg, rows = cg * g.Taps, smallHW = g.SmallH * g.SmallW;
        for (int q = 0; q < len; q++)
        {
            int pix = p0 + q, od = pix / smallHW, rem = pix - od * smallHW, oh = rem / g.SmallW, ow = rem - oh * g.SmallW;
            var dst = colT.Slice(q * rows, rows);
            // Taps j with iw inside the region: jLo … jHi. With unit dilation their runs are adjacent in xT
            // as in colᵀ, so each (a, i) is one copy of (jHi − jLo + 1)·C_g values.
            int iw0 = ow * g.SW - g.PW;
            int jLo = Math.Max(0, Shape.CeilDiv(r.WLo - iw0, g.DW)), jHi = Math.Min(g.KW - 1, Shape.FloorDiv(r.WHi - iw0, g.DW));
            for (int a = 0, t = 0; a < g.KD; a++)
            {
                int id = od * g.SD - g.PD + a * g.DD;
                for (int i = 0; i < g.KH; i++, t += g.KW)
                {
                    int ih = oh * g.SH - g.PH + i * g.DH;
                    var taps = dst.Slice(t * cg, g.KW * cg);
                    if (id < r.DLo || id > r.DHi || ih < r.HLo || ih > r.HHi || jHi < jLo)
                    {
                        taps.Clear();
                        continue;
                    }
                    taps[..(jLo * cg)].Clear();
                    taps[((jHi + 1) * cg)..].Clear();
                    int at = ((((id - r.DLo) * r.Rows) + ih - r.HLo) * r.Cols + iw0 + jLo * g.DW - r.WLo) * cg;
                    if (g.DW == 1) xT.Slice(at, (jHi - jLo + 1) * cg).CopyTo(taps[(jLo * cg)..]);
                    else
                        for (int j = jLo; j <= jHi; j++, at += g.DW * cg) xT.Slice(at, cg).CopyTo(taps.Slice(j * cg, cg));
                }
            }
        }
    }
}
