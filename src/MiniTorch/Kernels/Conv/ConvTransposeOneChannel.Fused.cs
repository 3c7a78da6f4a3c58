using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

// The fused path of ConvTransposeOneChannel: up to four phases at once, as one small dense
// convolution with four output "slots" followed by a pixel shuffle (see the class remarks).
internal static unsafe partial class ConvTransposeOneChannel
{
    /// <summary>Phase rows in a register block: 5 rows × 4 slots = 20 accumulators, + 5 input vectors + 1 weight ≤ 32 registers.</summary>
    private const int BlockRows = 5;

    /// <summary>Phases computed together, one accumulator per row and slot.</summary>
    private const int Slots = 4;

    /// <summary>Phase columns per chunk (a multiple of every vector length): the pack's width.</summary>
    private const int ChunkColumns = 128;

    /// <summary>
    /// Channels packed and swept together. A pack (8 channels × 64 rows × 144 columns of float32,
    /// 295 KB), the band's accumulators (123 KB) and the next pack, in flight, share the 1 MiB L2.
    /// </summary>
    private const int ChannelBlock = 8;

    /// <summary>Phase rows per work item, a multiple of BlockRows: the window's halo rows are read again per band (4/60 for FSRCNN).</summary>
    private const int BandRows = 60;

    /// <summary>Largest window (cells) the fused path takes; wider dilated windows mostly hold empty cells.</summary>
    private const int MaxCells = 81;

    /// <summary>
    /// Up to four phases computed together: their slots, the window of small-side offsets
    /// (dy, dx) ∈ [Dy0, Dy0 + WH) × [Dx0, Dx0 + WW) covering all their taps, each cell's slot mask,
    /// and where the group's packed weights [K_g, cells, 4] start within one conv group's block.
    /// </summary>
    private sealed record PhaseGroup(int[] Phases, int Dy0, int Dx0, int WH, int WW, byte[] Mask, int Offset);

    /// <summary>The phase groups when the fused path applies (several phases, small windows), else null.</summary>
    private static PhaseGroup[]? FusedGroups(in ConvGeometry g, List<ConvTranspose.Phase> phases)
    {
        if (phases.Count < 2) return null; // (the planner also requires vector hardware)
        // Phases in order (row-major); a group never splits a row's column phases unevenly, so that
        // their stores can interleave whole rows: 4 slots for 1, 2 or 4 phases per row, 3 for 3.
        int perRow = phases.Count(p => p.H0 == phases[0].H0);
        int size = perRow < Slots && Slots % perRow != 0 ? perRow : Slots;
        var groups = new PhaseGroup[(phases.Count + size - 1) / size];
        int offset = 0;
        for (int gi = 0; gi < groups.Length; gi++)
        {
            int[] members = [.. Enumerable.Range(gi * size, Math.Min(size, phases.Count - gi * size))];
            int dy0 = int.MaxValue, dy1 = int.MinValue, dx0 = int.MaxValue, dx1 = int.MinValue;
            foreach (int ph in members)
            {
                var p = phases[ph];
                if (p.TapsH.Length == 0 || p.TapsW.Length == 0) continue; // no taps: outputs stay zero
                foreach (int b in p.BaseH) { dy0 = Math.Min(dy0, b); dy1 = Math.Max(dy1, b); }
                foreach (int b in p.BaseW) { dx0 = Math.Min(dx0, b); dx1 = Math.Max(dx1, b); }
            }
            int wh = dy1 >= dy0 ? dy1 - dy0 + 1 : 0, ww = dx1 >= dx0 ? dx1 - dx0 + 1 : 0;
            if (wh == 0 || ww == 0) { dy0 = dx0 = 0; wh = ww = 0; }
            if ((long)wh * ww > MaxCells) return null;
            var mask = new byte[wh * ww];
            for (int s = 0; s < members.Length; s++)
            {
                var p = phases[members[s]];
                if (p.TapsW.Length == 0) continue;
                foreach (int by in p.BaseH)
                    foreach (int bx in p.BaseW) mask[(by - dy0) * ww + bx - dx0] |= (byte)(1 << s);
            }
            groups[gi] = new PhaseGroup(members, dy0, dx0, wh, ww, mask, offset);
            offset += g.SmallCg * wh * ww * Slots;
        }
        return groups;
    }

    /// <summary>Weights per (conv group, phase group) as [K_g, cells, slot], zero where a slot has no tap at a cell.</summary>
    private static T[] PackFused<T>(in ConvGeometry g, List<ConvTranspose.Phase> phases, PhaseGroup[] groups, ReadOnlySpan<T> w, out int perGroup)
        where T : unmanaged
    {
        var last = groups[^1];
        perGroup = last.Offset + g.SmallCg * last.WH * last.WW * Slots;
        var packed = new T[Math.Max(1, g.Groups * perGroup)];
        for (int grp = 0; grp < g.Groups; grp++)
            foreach (var pg in groups)
                for (int s = 0; s < pg.Phases.Length; s++)
                {
                    var p = phases[pg.Phases[s]];
                    for (int k = 0; k < g.SmallCg; k++)
                        for (int a = 0; a < p.TapsH.Length; a++)
                            for (int b = 0; b < p.TapsW.Length; b++)
                            {
                                int cell = (p.BaseH[a] - pg.Dy0) * pg.WW + p.BaseW[b] - pg.Dx0;
                                packed[grp * perGroup + pg.Offset + (k * pg.WH * pg.WW + cell) * Slots + s] =
                                    w[((grp * g.SmallCg + k) * g.KH + p.TapsH[a]) * g.KW + p.TapsW[b]];
                            }
                }
        return packed;
    }

    /// <summary>
    /// y[n, grp, H0 + SH·qh, W0 + SW·qw] = Σ_k Σ_{(dy, dx) in the window, in row-major order} mask · w · z[n, grp·K_g + k, qh + dy, qw + dx],
    /// every phase of a group at once. Work items are (image, conv group, band of rows); an item walks
    /// the band's chunks of columns, and per chunk the blocks of ChannelBlock channels: it packs the
    /// blocks' window, then runs the register block over every (row block, vector, phase group),
    /// accumulating into the tiles, which are stored to y once all channels are in. Each output is
    /// summed in that fixed order by the one item that owns it.
    /// </summary>
    private static void ForwardFused<T>(ConvGeometry g, List<ConvTranspose.Phase> phases, PhaseGroup[] groups,
                                        ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var packed = PackFused(g, phases, groups, w.Span, out int perGroup);
        int nh = 0, nw = 0;
        foreach (var p in phases) { nh = Math.Max(nh, p.NH); nw = Math.Max(nw, p.NW); }
        bool wide = Vector512.IsHardwareAccelerated;
        int v = wide ? Vector512<T>.Count : Vector256<T>.Count;
        // One window for all groups: the rows and columns a block of every group reads.
        int dy0 = 0, dy1 = 0, dx0 = 0, dx1 = 0;
        bool any = false;
        foreach (var pg in groups)
        {
            if (pg.WH == 0) continue;
            dy0 = any ? Math.Min(dy0, pg.Dy0) : pg.Dy0; dy1 = any ? Math.Max(dy1, pg.Dy0 + pg.WH) : pg.Dy0 + pg.WH;
            dx0 = any ? Math.Min(dx0, pg.Dx0) : pg.Dx0; dx1 = any ? Math.Max(dx1, pg.Dx0 + pg.WW) : pg.Dx0 + pg.WW;
            any = true;
        }
        if (!any) { y.Span.Clear(); return; } // no phase has a tap: all zeros
        // Bands: BandRows rows, fewer when that leaves under four items per thread (on one thread, no
        // fewer: FSRCNN's row stream calls this on 20-row bands, and four 5-row items each packed 4 halo
        // rows per 5 rows). The partition changes no sum (each output is one item's), so it may depend on
        // the thread count.
        int planes = g.N * g.Groups, want = Threading.NumThreads == 1 ? 1 : 4 * Threading.NumThreads;
        // Several phase groups (scale 3, 4) have as many tiles per block: shorter bands keep them in L2.
        int maxBand = Math.Max(BlockRows, BandRows / BlockRows / groups.Length * BlockRows);
        int bandRows = Math.Clamp((int)Math.Min(int.MaxValue, ((long)nh * planes + want - 1) / want), 1, maxBand);
        bandRows = (bandRows + BlockRows - 1) / BlockRows * BlockRows;
        int bands = (nh + bandRows - 1) / bandRows, chunks = (nw + ChunkColumns - 1) / ChunkColumns;
        int blocks = bandRows / BlockRows, vectorsPerChunk = ChunkColumns / v, tileLength = BlockRows * Slots * v;
        // The pack: ChannelBlock channels × the band's window rows × the chunk's window columns, plus
        // room for the last vector's overrun; rows are a whole number of cache lines apart.
        int packRows = bandRows + dy1 - dy0 - 1, packCols = (ChunkColumns + dx1 - dx0 - 1 + v + 15) / 16 * 16;
        int kBlocks = (g.SmallCg + ChannelBlock - 1) / ChannelBlock;
        long flops = 2L * g.N * g.SmallC * g.SmallH * g.SmallW * g.KH * g.KW;
        Threading.For(planes * bands, flops, item =>
        {
            int band = item % bands, grp = item / bands % g.Groups, n = item / bands / g.Groups;
            int small = g.SmallH * g.SmallW, qStart = band * bandRows, qEnd = Math.Min(nh, qStart + bandRows);
            int blocksHere = (qEnd - qStart + BlockRows - 1) / BlockRows, rowsHere = blocksHere * BlockRows + dy1 - dy0 - 1;
            // Both aligned to a cache line below (pooled arrays need not be).
            int line = 64 / sizeof(T);
            var tileArray = ArrayPool<T>.Shared.Rent(blocks * vectorsPerChunk * groups.Length * tileLength + line);
            var packArray = ArrayPool<T>.Shared.Rent(ChannelBlock * packRows * packCols + line);
            fixed (T* zAll = z.Span)
            fixed (T* yAll = y.Span)
            fixed (T* wAll = packed)
            fixed (T* tiles0 = tileArray)
            fixed (T* pack0 = packArray)
            {
                T* tiles = (T*)(((nint)tiles0 + 63) & ~(nint)63), pack = (T*)(((nint)pack0 + 63) & ~(nint)63);
                T* zImg = zAll + (nint)(n * g.SmallC + grp * g.SmallCg) * small;
                T* yImg = yAll + (nint)(n * g.Groups + grp) * g.BigH * g.BigW;
                for (int chunk = 0; chunk < chunks; chunk++)
                {
                    int cStart = chunk * ChunkColumns, cEnd = Math.Min(nw, cStart + ChunkColumns);
                    int vectors = (cEnd - cStart + v - 1) / v, steps = blocksHere * vectors;
                    // Sized to this band and chunk, so that small images do not fill a full-size pack.
                    int colsHere = (vectors * v + dx1 - dx0 - 1 + 15) / 16 * 16;
                    for (int kb = 0; kb < kBlocks; kb++)
                    {
                        int k0 = kb * ChannelBlock, kn = Math.Min(ChannelBlock, g.SmallCg - k0);
                        // Copy the window once, zero outside the input: the kernel then reads a few
                        // L2-resident pages with no edge cases, where reading z in place would touch
                        // a page per channel and row.
                        FillPatch(g, zImg + (nint)k0 * small, kn, qStart + dy0, cStart + dx0, rowsHere, colsHere, pack);
                        // The next pack's source (next channels, or the next chunk's first), prefetched
                        // a share per step, arrives from memory while this one computes: its segments
                        // of a few lines on separate pages defeat the hardware prefetchers.
                        int nk0 = kb + 1 < kBlocks ? k0 + ChannelBlock : 0, nc = kb + 1 < kBlocks ? cStart : cEnd;
                        int nkn = nc < nw ? Math.Min(ChannelBlock, g.SmallCg - nk0) : 0;
                        for (int b = 0; b < blocksHere; b++)
                            for (int i = 0; i < vectors; i++)
                            {
                                int step = b * vectors + i;
                                Prefetch(g, zImg + (nint)nk0 * small, nkn, qStart + dy0, rowsHere, nc + dx0, ChunkColumns + dx1 - dx0 - 1,
                                         step * nkn * rowsHere / steps, (step + 1) * nkn * rowsHere / steps);
                                T* x = pack + b * BlockRows * colsHere + i * v;
                                for (int gi = 0; gi < groups.Length; gi++)
                                {
                                    var pg = groups[gi];
                                    if (pg.WH == 0) continue;
                                    fixed (byte* mask = pg.Mask)
                                        Micro(wide, x + (pg.Dy0 - dy0) * colsHere + (pg.Dx0 - dx0), colsHere, rowsHere * colsHere, kn,
                                              wAll + (nint)grp * perGroup + pg.Offset + (nint)k0 * pg.WH * pg.WW * Slots, mask, pg.WH, pg.WW,
                                              tiles + ((b * vectorsPerChunk + i) * groups.Length + gi) * tileLength, kb > 0);
                                }
                            }
                    }
                    for (int b = 0; b < blocksHere; b++)
                        for (int i = 0; i < vectors; i++)
                            for (int gi = 0; gi < groups.Length; gi++)
                            {
                                T* tile = tiles + ((b * vectorsPerChunk + i) * groups.Length + gi) * tileLength;
                                if (groups[gi].WH == 0) new Span<T>(tile, tileLength).Clear();
                                StoreTile(g, phases, groups[gi], qStart + b * BlockRows, cStart + i * v, v, tile, yImg);
                            }
                }
            }
            ArrayPool<T>.Shared.Return(tileArray);
            ArrayPool<T>.Shared.Return(packArray);
        });
    }

    /// <summary>The register block for the machine's vectors: Micro512, or AVX2's in passes of rows.</summary>
    private static void Micro<T>(bool wide, T* x, nint rs, nint cs, int kg, T* w, byte* mask, int wh, int ww, T* tile, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (wide) Micro512(x, rs, cs, kg, w, mask, wh, ww, tile, accumulate);
        else
        {
            // Rows 0–1, 2–3 and 4 in turn: 20 accumulators would spill from 16 registers.
            int row = Slots * Vector256<T>.Count;
            Micro256x2(x, rs, cs, kg, w, mask, wh, ww, tile, accumulate);
            Micro256x2(x + 2 * rs, rs, cs, kg, w, mask, wh, ww, tile + 2 * row, accumulate);
            Micro256x1(x + 4 * rs, rs, cs, kg, w, mask, wh, ww, tile + 4 * row, accumulate);
        }
    }

    /// <summary>
    /// Prefetches (into L2) the pairs [from, to) of the (channel, row) list of channels [0, channels) × rows
    /// [r0, r0 + rows), columns [c0, c0 + cols); what lies outside the input is skipped.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void Prefetch<T>(in ConvGeometry g, T* zImg, int channels, int r0, int rows, int c0, int cols, int from, int to)
        where T : unmanaged
    {
        int lo = Math.Max(c0, 0), hi = Math.Min(c0 + cols, g.SmallW);
        if (!Sse.IsSupported || hi <= lo || channels == 0) return;
        for (int t = from; t < to; t++)
        {
            int k = t / rows, row = r0 + t % rows;
            if (row < 0 || row >= g.SmallH) continue;
            byte* at = (byte*)(zImg + ((nint)k * g.SmallH + row) * g.SmallW + lo), end = at + (nint)(hi - lo) * sizeof(T);
            for (; at < end; at += 64) Sse.Prefetch1(at);
            Sse.Prefetch1(end - 1);
        }
    }

    /// <summary>patch[k, i, j] = z[k, r0 + i, c0 + j] for k &lt; channels, i &lt; rows, j &lt; cols, zero outside the input: a band's window.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void FillPatch<T>(in ConvGeometry g, T* zImg, int channels, int r0, int c0, int rows, int cols, T* patch)
        where T : unmanaged
    {
        int lo = Math.Clamp(-c0, 0, cols), hi = Math.Clamp(g.SmallW - c0, lo, cols);
        for (int k = 0; k < channels; k++)
            for (int i = 0; i < rows; i++)
            {
                var dst = new Span<T>(patch + (k * rows + i) * cols, cols);
                int row = r0 + i;
                if (row < 0 || row >= g.SmallH) { dst.Clear(); continue; }
                dst[..lo].Clear();
                new ReadOnlySpan<T>(zImg + ((nint)k * g.SmallH + row) * g.SmallW + c0 + lo, hi - lo).CopyTo(dst[lo..]);
                dst[hi..].Clear();
            }
    }

    /// <summary>
    /// Writes a block (rows q0 …, columns c …, one slot per phase of the group) to the big side:
    /// y[H0 + SH·qh, W0 + SW·qw]. Slots that are all of a row's column phases in order (stride 2, 3 or 4)
    /// are interleaved in registers, a whole vector of columns at a time; anything else is stored
    /// element by element.
    /// </summary>
    private static void StoreTile<T>(in ConvGeometry g, List<ConvTranspose.Phase> phases, PhaseGroup pg, int q0, int c, int v, T* tile, T* yImg)
        where T : unmanaged
    {
        int s = 0, sw = g.SW;
        T* tmp = stackalloc T[4 * Vector512<byte>.Count / sizeof(T)];
        while (s < pg.Phases.Length)
        {
            var p = phases[pg.Phases[s]];
            if (Vector512.IsHardwareAccelerated && sw is >= 2 and <= 4 && s + sw <= pg.Phases.Length && WholeRow(phases, pg, s, sw, c + v) && sw * (c + v) <= g.BigW)
            {
                for (int r = 0; r < BlockRows && q0 + r < p.NH; r++)
                {
                    T* src = tile + (r * Slots + s) * v, dst = yImg + (nint)(p.H0 + g.SH * (q0 + r)) * g.BigW + (nint)sw * c;
                    if (sw == 2) Interleave(src, src + v, dst);
                    else if (sw == 3) Interleave3(src, src + v, src + 2 * v, dst);
                    else
                    {
                        // a b c d → (a c)(b d) interleaved → a b c d a b c d …
                        Interleave(src, src + 2 * v, tmp);
                        Interleave(src + v, src + 3 * v, tmp + 2 * v);
                        Interleave(tmp, tmp + 2 * v, dst);
                        Interleave(tmp + v, tmp + 3 * v, dst + 2 * v);
                    }
                }
                s += sw;
                continue;
            }
            int lanes = Math.Min(v, p.NW - c);
            for (int r = 0; r < BlockRows && q0 + r < p.NH; r++)
            {
                T* src = tile + (r * Slots + s) * v;
                T* dst = yImg + (nint)(p.H0 + g.SH * (q0 + r)) * g.BigW + p.W0 + (nint)g.SW * c;
                for (int l = 0; l < lanes; l++) dst[l * g.SW] = src[l];
            }
            s++;
        }
    }

    /// <summary>Whether slots [s, s + sw) are one row's column phases W0 = 0 … sw − 1 and all have columns [0, end).</summary>
    private static bool WholeRow(List<ConvTranspose.Phase> phases, PhaseGroup pg, int s, int sw, int end)
    {
        var first = phases[pg.Phases[s]];
        for (int j = 0; j < sw; j++)
        {
            var q = phases[pg.Phases[s + j]];
            if (q.H0 != first.H0 || q.W0 != j || end > q.NW) return false;
        }
        return true;
    }

    /// <summary>dst[2l] = a[l], dst[2l + 1] = b[l] for one Vector512 of each.</summary>
    private static void Interleave<T>(T* a, T* b, T* dst) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            var hi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
            var x = Vector512.Load((float*)a); var y = Vector512.Load((float*)b);
            Avx512F.PermuteVar16x32x2(x, lo, y).Store((float*)dst);
            Avx512F.PermuteVar16x32x2(x, hi, y).Store((float*)dst + 16);
        }
        else
        {
            var lo = Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11);
            var hi = Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15);
            var x = Vector512.Load((double*)a); var y = Vector512.Load((double*)b);
            Avx512F.PermuteVar8x64x2(x, lo, y).Store((double*)dst);
            Avx512F.PermuteVar8x64x2(x, hi, y).Store((double*)dst + 8);
        }
    }

    /// <summary>dst[3l + j] = (a, b, c)[j][l] for one Vector512 of each: per output vector, a two-source permute of a and b, then one that inserts c.</summary>
    private static void Interleave3<T>(T* a, T* b, T* c, T* dst) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var x = Vector512.Load((float*)a); var y = Vector512.Load((float*)b); var z = Vector512.Load((float*)c);
            fixed (int* idx = Interleave3Float)
                for (int o = 0; o < 3; o++)
                {
                    var ab = Avx512F.PermuteVar16x32x2(x, Vector512.Load(idx + 32 * o), y);
                    Avx512F.PermuteVar16x32x2(ab, Vector512.Load(idx + 32 * o + 16), z).Store((float*)dst + 16 * o);
                }
        }
        else
        {
            var x = Vector512.Load((double*)a); var y = Vector512.Load((double*)b); var z = Vector512.Load((double*)c);
            fixed (long* idx = Interleave3Double)
                for (int o = 0; o < 3; o++)
                {
                    var ab = Avx512F.PermuteVar8x64x2(x, Vector512.Load(idx + 16 * o), y);
                    Avx512F.PermuteVar8x64x2(ab, Vector512.Load(idx + 16 * o + 8), z).Store((double*)dst + 8 * o);
                }
        }
    }

    /// <summary>Interleave3's permute indices for <paramref name="lanes"/> per vector: per output vector, (a, b) then (ab, c).</summary>
    private static T[] Interleave3Indices<T>(int lanes) where T : unmanaged, IBinaryInteger<T>
    {
        var idx = new T[6 * lanes];
        for (int o = 0; o < 3; o++)
            for (int t = 0; t < lanes; t++)
            {
                int m = o * lanes + t, l = m / 3, j = m % 3;
                // First permute: a[l] (index l) or b[l] (lanes + l); c's places are filled next.
                idx[2 * lanes * o + t] = T.CreateTruncating(j == 1 ? lanes + l : j == 0 ? l : 0);
                // Second: keep lane t of ab, or take c[l].
                idx[2 * lanes * o + lanes + t] = T.CreateTruncating(j == 2 ? lanes + l : t);
            }
        return idx;
    }

    private static readonly int[] Interleave3Float = Interleave3Indices<int>(16);
    private static readonly long[] Interleave3Double = Interleave3Indices<long>(8);
}
