using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

internal static unsafe partial class ConvDirect
{
    /// <summary>
    /// One axis of an output phase of a transposed convolution: big indices Start, Start + stride, …
    /// (Count of them) receive exactly the taps <see cref="Taps"/>, tap i from small index Bases[i] + q
    /// for the q-th of them.
    /// </summary>
    internal readonly record struct AxisPhase(int Start, int Count, int[] Taps, int[] Bases);

    /// <summary>The phases of one axis that have outputs and at least one tap (the others stay zero).</summary>
    internal static AxisPhase[] AxisPhases(int big, int stride, int pad, int dilation, int kernel)
    {
        var list = new List<AxisPhase>();
        for (int s0 = 0; s0 < Math.Min(stride, big); s0++)
        {
            var (taps, bases) = ConvTranspose.Taps(s0, pad, stride, dilation, kernel);
            int count = (big - s0 + stride - 1) / stride;
            if (taps.Length > 0 && count > 0) list.Add(new AxisPhase(s0, count, taps, bases));
        }
        return [.. list];
    }

    /// <summary>
    /// Route <see cref="ConvRoute.DirectPhasePlanes"/>: the transposed convolution (small → big) in any rank
    /// (any stride, padding, dilation, groups) with the direct kernel, each output phase (D0, H0, W0) a
    /// dense unit-stride convolution with its sub-kernel. Bias is not added here.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Work items are (image, group, block of phase depths, block of phase rows); each copies the small
    /// side once into a buffer [Kg, copies, depths, rows, width] in one of two layouts, whichever fills
    /// more of the micro-kernel's vectors:
    /// </para>
    /// <para>
    /// <b>Rows</b> (phase rows at least a vector wide): one zero-padded copy, and a vector covers up to
    /// 16 (float) outputs of one phase row, stored to y with the phase's column stride (stride-2 column
    /// phases in pairs, interleaved), as ConvTranspose2d's direct route does in 2-d.
    /// </para>
    /// <para>
    /// <b>Folded</b> (narrower phase rows, e.g. a stride-2 layer's 8-wide phases): per distinct column base
    /// b of the W taps, a copy of every row shifted by b (element q is z[…, q + b], zero outside), L wide
    /// (the widest phase row). Tap (k, a, i, j) reads its copy at the output's own column, so a phase
    /// plane's pixel (qh, q) is lane qh·L + q of consecutive vectors: rows are folded into vectors and
    /// every tap is still one constant offset. Results go through a tile to their strided positions
    /// (straight to y when the phase plane is y's plane).
    /// </para>
    /// <para>
    /// Every output is one chain of FMAs over the taps (k, a, i, j) in a fixed order, computed by the one
    /// item that owns it, so neither the blocking nor the number of threads changes a bit.
    /// </para>
    /// y[n, c, d, h, w] = Σ_{k, od, oh, ow, a, i, j : od·SD − PD + a·DD = d, oh·SH − PH + i·DH = h, ow·SW − PW + j·DW = w} z[n, k, od, oh, ow]·w[k, c, a, i, j].
    /// </remarks>
    public static void ConvTransposePlanes<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pd = AxisPhases(g.BigD, g.SD, g.PD, g.DD, g.KD);
        var ph = AxisPhases(g.BigH, g.SH, g.PH, g.DH, g.KH);
        var pw = AxisPhases(g.BigW, g.SW, g.PW, g.DW, g.KW);
        if (pd.Length == 0 || ph.Length == 0 || pw.Length == 0) return;
        int lanes = Vector512<T>.Count;
        int minBD = pd.Min(p => p.Bases.Min()), spanD = pd.Max(p => p.Bases.Max()) - minBD;
        int minBH = ph.Min(p => p.Bases.Min()), spanH = ph.Max(p => p.Bases.Max()) - minBH;
        int minBW = pw.Min(p => p.Bases.Min()), spanW = pw.Max(p => p.Bases.Max()) - minBW;
        int nd = pd.Max(p => p.Count), nh = ph.Max(p => p.Count), nw = pw.Max(p => p.Count);
        int segsPerRow = (nw + lanes - 1) / lanes;
        bool folded = (nh * nw + lanes - 1) / lanes < nh * segsPerRow;
        // Folded: one copy per column base, each nw wide; rows: one copy with the taps' reach as padding.
        int[] shifts = folded ? [.. pw.SelectMany(p => p.Bases).Distinct().Order()] : [minBW];
        int copies = shifts.Length, width = folded ? nw : segsPerRow * lanes + spanW;
        Func<int, int> vectors = folded ? rows => (rows * width + lanes - 1) / lanes : rows => rows * segsPerRow;
        var (rd, rb) = PlaneBlocks(g, (long)g.SmallCg * copies * width * sizeof(T), nd, nh, spanD, spanH, vectors, BufferBudget);
        int dBlocks = (nd + rd - 1) / rd, hBlocks = (nh + rb - 1) / rb;
        int hpL = (rb + spanH) * width, maxSegs = rd * vectors(rb);
        nint plane = (nint)(rd + spanD) * hpL;
        // Folded with unit stride in H and W and rows as wide as y's: lane qh·L + q is y's own element.
        bool direct = folded && g.SH == 1 && g.SW == 1 && width == g.BigW;

        var phases = (from a in pd from b in ph from c in pw select (D: a, H: b, W: c)).ToArray();
        int np = phases.Length;
        var offs = new int[np][];
        for (int p = 0; p < np; p++)
        {
            var (ad, ah, aw) = phases[p];
            var off = offs[p] = new int[g.SmallCg * ad.Taps.Length * ah.Taps.Length * aw.Taps.Length];
            for (int k = 0, t = 0; k < g.SmallCg; k++)
                foreach (int bd in ad.Bases)
                    foreach (int bh in ah.Bases)
                        foreach (int bw in aw.Bases)
                            off[t++] = (int)((k * copies + (folded ? Array.IndexOf(shifts, bw) : 0)) * plane
                                             + (bd - minBD) * hpL + (bh - minBH) * width + (folded ? 0 : bw - minBW));
        }
        int cPad = RoundUp(g.BigCg, R);
        // Whole folded phase planes per item: several images per item when their vectors fill the
        // kernel's groups of V better (an 8×8 phase is 4 vectors: 2 groups, one of them a third full, for
        // one image; 4 full groups for three). Each output is still the same chain, computed by one item.
        int imageBuf = (int)(g.SmallCg * copies * plane);
        int ri = folded && dBlocks == 1 && hBlocks == 1 ? ImagesPerItem(g.N, maxSegs, (long)imageBuf * sizeof(T)) : 1;
        int nBlocks = (g.N + ri - 1) / ri;
        var (wpk, wOff) = PackPhaseWeights(g, w, phases, cPad);
        try
        {
            int small = g.SmallPlane, big = g.BigPlane, smallHW = g.SmallH * g.SmallW;
            Threading.For(nBlocks * g.Groups * dBlocks * hBlocks, 2L * g.N * g.SmallC * small * g.BigCg * g.Taps, item =>
            {
                int hb = item % hBlocks, db = item / hBlocks % dBlocks, grp = item / hBlocks / dBlocks % g.Groups, n0 = item / hBlocks / dBlocks / g.Groups * ri;
                int images = Math.Min(ri, g.N - n0);
                int qd0 = db * rd, qh0 = hb * rb;
                var buf = ArrayPool<T>.Shared.Rent(images * imageBuf + lanes);
                var segs = ArrayPool<Segment>.Shared.Rent(images * maxSegs);
                var tile = folded && !direct ? ArrayPool<T>.Shared.Rent(2 * g.BigCg * images * maxSegs * lanes) : null;
                try
                {
                    var zs = z.Span;
                    for (int i = 0; i < images; i++)
                    for (int k = 0; k < g.SmallCg; k++)
                    {
                        int n = n0 + i;
                        var zk = zs.Slice((n * g.SmallC + grp * g.SmallCg + k) * small, small);
                        for (int dd = 0; dd < rd + spanD; dd++)
                        {
                            int od = qd0 + minBD + dd;
                            if (folded && width == g.SmallW)
                            {
                                // Whole planes at once: rows as wide as the input's.
                                for (int s = 0; s < copies; s++)
                                {
                                    var dst = buf.AsSpan(i * imageBuf + (int)((k * copies + s) * plane + dd * hpL), hpL);
                                    if (od < 0 || od >= g.SmallD) dst.Clear();
                                    else ShiftedRows(zk.Slice(od * smallHW, smallHW), g.SmallH, g.SmallW, qh0 + minBH, shifts[s], dst);
                                }
                                continue;
                            }
                            for (int hh = 0; hh < rb + spanH; hh++)
                            {
                                int oh = qh0 + minBH + hh;
                                bool inside = od >= 0 && od < g.SmallD && oh >= 0 && oh < g.SmallH;
                                for (int s = 0; s < copies; s++)
                                {
                                    var dst = buf.AsSpan(i * imageBuf + (int)((k * copies + s) * plane + dd * hpL + hh * width), width);
                                    if (inside) PadRow(zk.Slice(od * smallHW + oh * g.SmallW, g.SmallW), shifts[s], dst);
                                    else dst.Clear();
                                }
                            }
                        }
                    }
                    // Folded: the last vectors may read past the buffer's end, into lanes that are dropped.
                    buf.AsSpan(images * imageBuf, lanes).Clear();
                    fixed (T* pb = buf, py = y.Span, pt = tile)
                    {
                        T* yBase = py + (long)(n0 * g.BigC + grp * g.BigCg) * big;
                        long yImage = (long)g.BigC * big;
                        for (int p = 0; p < np; p++)
                        {
                            var (ad, ah, aw) = phases[p];
                            int d1 = Math.Min(ad.Count, qd0 + rd), h1 = Math.Min(ah.Count, qh0 + rb);
                            if (d1 <= qd0 || h1 <= qh0) continue;
                            // Stride 2 along rows: the next phase fills the odd columns between this one's.
                            bool pair = g.SW == 2 && aw.Start == 0 && p + 1 < np && phases[p + 1] is var q
                                        && q.D == ad && q.H == ah && q.W.Start == 1 && q.W.Count == aw.Count;
                            int count = 0;
                            if (folded)
                            {
                                int flat = (h1 - qh0) * width;
                                for (int i = 0; i < images; i++)
                                    for (int qd = qd0; qd < d1; qd++)
                                        for (int f = 0; f < flat; f += lanes, count++)
                                            segs[count] = new Segment(i * imageBuf + (qd - qd0) * hpL + f,
                                                                      direct ? i * yImage + ((long)(ad.Start + g.SD * qd) * g.BigH + qh0) * g.BigW + f : (long)count * lanes,
                                                                      Math.Min(lanes, flat - f));
                            }
                            else
                                for (int qd = qd0; qd < d1; qd++)
                                    for (int qh = qh0; qh < h1; qh++)
                                        for (int s = 0; s * lanes < aw.Count; s++)
                                            segs[count++] = new Segment((qd - qd0) * hpL + (qh - qh0) * width + s * lanes,
                                                                        ((long)(ad.Start + g.SD * qd) * g.BigH + ah.Start + g.SH * qh) * g.BigW + aw.Start + g.SW * s * lanes,
                                                                        Math.Min(lanes, aw.Count - s * lanes));
                            var ss = segs.AsSpan(0, count);
                            fixed (T* wBase = wpk)
                            fixed (int* o0 = offs[p], o1 = pair ? offs[p + 1] : null)
                            {
                                int t0 = offs[p].Length, t1 = pair ? offs[p + 1].Length : 0;
                                T* w0 = wBase + wOff[grp * np + p], w1 = pair ? wBase + wOff[grp * np + p + 1] : null;
                                if (!folded)
                                {
                                    if (pair) RunPair(pb, o0, t0, w0, o1, t1, w1, cPad, g.BigCg, ss, yBase, big);
                                    else Run(pb, o0, t0, w0, cPad, g.BigCg, (T*)null, ss, yBase, big, g.SW);
                                }
                                else if (direct) Run(pb, o0, t0, w0, cPad, g.BigCg, (T*)null, ss, yBase, big, 1);
                                else
                                {
                                    nint ld = (nint)count * lanes;
                                    Run(pb, o0, t0, w0, cPad, g.BigCg, (T*)null, ss, pt, ld, 1);
                                    if (pair) Run(pb, o1, t1, w1, cPad, g.BigCg, (T*)null, ss, pt + g.BigCg * ld, ld, 1);
                                    int perImage = count / images;
                                    for (int i = 0; i < images; i++)
                                        PlaceFolded(g, ad, ah, aw, pair, qd0, d1, qh0, h1, width, (h1 - qh0) * width, pt + (nint)i * perImage * lanes, ld, yBase + i * yImage);
                                }
                            }
                            if (pair) p++;
                        }
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(buf);
                    ArrayPool<Segment>.Shared.Return(segs);
                    if (tile != null) ArrayPool<T>.Shared.Return(tile);
                }
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(wpk);
        }
    }

    /// <summary>
    /// Places a folded phase tile (channel c's depth qd at c·ld + (qd − qd0)·⌈flat/lanes⌉·lanes, rows
    /// <paramref name="width"/> apart) at y[c, D0 + SD·qd, H0 + SH·qh, W0 + SW·q]; with
    /// <paramref name="pair"/>, the odd column phase's tile follows at BigCg·ld and the two are interleaved.
    /// </summary>
    private static void PlaceFolded<T>(in ConvGeometry g, AxisPhase ad, AxisPhase ah, AxisPhase aw, bool pair, int qd0, int d1, int qh0, int h1,
                                       int width, int flat, T* tile, nint ld, T* y) where T : unmanaged
    {
        int lanes = Vector512<T>.Count, perPlane = (flat + lanes - 1) / lanes * lanes, big = g.BigPlane, cnt = aw.Count;
        for (int c = 0; c < g.BigCg; c++)
            for (int qd = qd0; qd < d1; qd++)
            {
                T* src = tile + c * ld + (qd - qd0) * perPlane;
                T* odd = src + g.BigCg * ld;
                T* dst = y + (long)c * big + (long)(ad.Start + g.SD * qd) * g.BigH * g.BigW + aw.Start;
                for (int qh = qh0; qh < h1; qh++, src += width, odd += width)
                {
                    T* row = dst + (long)(ah.Start + g.SH * qh) * g.BigW;
                    if (pair) InterleaveRow(src, odd, row, cnt);
                    else
                        for (int q = 0; q < cnt; q++) row[q * g.SW] = src[q];
                }
            }
    }

    /// <summary>
    /// dst[r·w + q] = z[oh0 + r, q + shift] for the rows of dst (w wide, like z's), zero outside z: one
    /// copy of the run of rows, then the columns whose source lay in a neighbouring row are cleared.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void ShiftedRows<T>(ReadOnlySpan<T> z, int h, int w, int oh0, int shift, Span<T> dst) where T : unmanaged
    {
        int rows = dst.Length / w, rLo = Math.Clamp(-oh0, 0, rows), rHi = Math.Clamp(h - oh0, rLo, rows);
        dst[..(rLo * w)].Clear();
        dst[(rHi * w)..].Clear();
        var run = dst[(rLo * w)..(rHi * w)];
        if (Math.Abs(shift) >= w)
        {
            run.Clear();
            return;
        }
        int start = (oh0 + rLo) * w + shift, s0 = Math.Max(start, 0), s1 = Math.Min(start + run.Length, h * w);
        run[..(s0 - start)].Clear();
        run[(s1 - start)..].Clear();
        z[s0..s1].CopyTo(run[(s0 - start)..]);
        for (int r = 0; r < rHi - rLo; r++)
            if (shift > 0) run.Slice(r * w + w - shift, shift).Clear();
            else if (shift < 0) run.Slice(r * w, -shift).Clear();
    }

    /// <summary>dst[2q] = a[q], dst[2q + 1] = b[q] for q &lt; cnt, half a vector of each at a time where AVX-512 is there.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void InterleaveRow<T>(T* a, T* b, T* dst, int cnt) where T : unmanaged
    {
        int q = 0, half = Vector512<T>.Count / 2;
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
        {
            var order = Vector512.Create(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
            for (; q + half <= cnt; q += half)
                Avx512F.PermuteVar16x32(Vector512.Create(Vector256.Load((float*)a + q), Vector256.Load((float*)b + q)), order).Store((float*)dst + 2 * q);
        }
        else if (Avx512F.IsSupported && typeof(T) == typeof(double))
        {
            var order = Vector512.Create(0L, 4, 1, 5, 2, 6, 3, 7);
            for (; q + half <= cnt; q += half)
                Avx512F.PermuteVar8x64(Vector512.Create(Vector256.Load((double*)a + q), Vector256.Load((double*)b + q)), order).Store((double*)dst + 2 * q);
        }
        for (; q < cnt; q++) { dst[2 * q] = a[q]; dst[2 * q + 1] = b[q]; }
    }

    /// <summary>
    /// Each (group, phase)'s sub-kernel as [taps, cPad], taps (k, a, i, j) in the phase's order, channels
    /// zero past BigCg, all in one pooled array: sub-kernel (grp, p) starts at Offsets[grp·np + p]. One
    /// (group, k) per item: its weights w[k, ·, ·] (BigCg·taps values) are read in place and each packed
    /// row of cPad channels is written contiguously. With pointers this takes 0.12 ms for ConvTranspose3d
    /// 4×4×4 s2 64→32 (131 K weights; bounds-checked jagged arrays took 1 ms, a fifth of the forward), so
    /// it runs serially below <see cref="Threading.SerialBelow"/> elements: a parallel region that short
    /// ends before the worker has woken, the caller sleeps until it has, and the worker is asleep again
    /// when the main region starts (its first item then started 0.7–3 ms late under load, against
    /// microseconds with the serial pack).
    /// </summary>
    private static (T[] Packed, int[] Offsets) PackPhaseWeights<T>(in ConvGeometry g, ReadOnlyMemory<T> w, (AxisPhase D, AxisPhase H, AxisPhase W)[] phases, int cPad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int np = phases.Length, taps = g.Taps, kh = g.KH, kw = g.KW, bigCg = g.BigCg, smallCg = g.SmallCg;
        // Kernel tap → (phase, position among the phase's taps of one k), or phase −1 when no phase uses it.
        var phaseOf = new int[taps];
        var indexOf = new int[taps];
        var perK = new int[np];
        Array.Fill(phaseOf, -1);
        for (int p = 0; p < np; p++)
        {
            var (ad, ah, aw) = phases[p];
            int l = 0;
            foreach (int a in ad.Taps)
                foreach (int i in ah.Taps)
                    foreach (int j in aw.Taps)
                    {
                        int t = (a * kh + i) * kw + j;
                        phaseOf[t] = p;
                        indexOf[t] = l++;
                    }
            perK[p] = l;
        }
        var offsets = new int[g.Groups * np];
        int total = 0;
        for (int grp = 0; grp < g.Groups; grp++)
            for (int p = 0; p < np; p++)
            {
                offsets[grp * np + p] = total;
                total += smallCg * perK[p] * cPad;
            }
        var packed = ArrayPool<T>.Shared.Rent(total);
        // Where tap t of channel k's rows start in the packed array, relative to its group (−1: no phase).
        var rowOf = new int[smallCg * taps];
        for (int k = 0; k < smallCg; k++)
            for (int t = 0; t < taps; t++)
                rowOf[k * taps + t] = phaseOf[t] < 0 ? -1 : offsets[phaseOf[t]] + (k * perK[phaseOf[t]] + indexOf[t]) * cPad;
        int groupSize = g.Groups > 1 ? offsets[np] : total;
        Threading.For(g.Groups * smallCg, (long)total, item =>
        {
            int grp = item / smallCg, k = item % smallCg;
            fixed (T* pw = w.Span, pk = packed)
            fixed (int* rows = rowOf)
            {
                T* src = pw + (long)(grp * smallCg + k) * bigCg * taps;
                T* dstG = pk + (long)grp * groupSize;
                int* rk = rows + k * taps;
                for (int t = 0; t < taps; t++)
                {
                    if (rk[t] < 0) continue;
                    T* dst = dstG + rk[t];
                    for (int c = 0; c < bigCg; c++) dst[c] = src[c * taps + t];
                    for (int c = bigCg; c < cPad; c++) dst[c] = T.Zero;
                }
            }
        });
        return (packed, offsets);
    }

    /// <summary>
    /// Images per work item (1 to <see cref="V"/>) whose whole folded planes (<paramref name="vectors"/> each)
    /// fill the kernel's groups of V vectors best, keeping at least 2 items per thread and the buffer within budget.
    /// </summary>
    private static int ImagesPerItem(int n, int vectors, long imageBytes)
    {
        int best = 1;
        double bestFill = 0;
        for (int ri = 1; ri <= V; ri++)
        {
            if (ri > 1 && ((n + ri - 1) / ri < 2 * Threading.NumThreads || ri * imageBytes > BufferBudget)) break;
            int v = ri * vectors;
            double fill = (double)v / ((v + V - 1) / V * V);
            if (fill > bestFill + 1e-9) { best = ri; bestFill = fill; }
        }
        return best;
    }

    /// <summary>
    /// Depths and rows of planes per work item (rows of <paramref name="rowBytes"/>, vectors of a block of
    /// rows given by <paramref name="vectors"/>): whole planes and as many depths as
    /// <paramref name="budget"/> bytes allow, else one depth and as many rows as fit; then, among the sizes that still give every
    /// thread two items, the one with the fewest groups of <see cref="V"/> vectors in all (the
    /// micro-kernel computes a whole group, so a ragged last group is wasted work), the largest on ties.
    /// The blocking does not change any result.
    /// </summary>
    private static (int Rd, int Rb) PlaneBlocks(in ConvGeometry g, long rowBytes, int nd, int nh, int spanD, int spanH, Func<int, int> vectors, long budget)
    {
        int images = g.N * g.Groups, wanted = 2 * Threading.NumThreads;
        int Groups(int rows) => (vectors(rows) + V - 1) / V;
        if (rowBytes * (nh + spanH) * (1 + spanD) <= budget)
        {
            int rdMax = (int)Math.Clamp(budget / (rowBytes * (nh + spanH)) - spanD, 1, nd);
            // Groups of a block of rd whole planes: the kernel's groups run across the block's depths.
            int PlaneGroups(int depths) => (depths * vectors(nh) + V - 1) / V;
            return (Best(rdMax, rd => images * ((nd + rd - 1) / rd), rd => nd / rd * PlaneGroups(rd) + (nd % rd == 0 ? 0 : PlaneGroups(nd % rd))), nh);
        }
        int rbMax = (int)Math.Clamp(budget / (rowBytes * (1 + spanD)) - spanH, 1, nh);
        return (1, Best(rbMax, rb => images * nd * ((nh + rb - 1) / rb), rb => nh / rb * Groups(rb) + (nh % rb == 0 ? 0 : Groups(nh % rb))));

        int Best(int max, Func<int, int> items, Func<int, int> groups)
        {
            int best = 1;
            long bestGroups = long.MaxValue;
            for (int b = 1; b <= max; b++)
            {
                if (b > 1 && items(b) < Math.Min(wanted, items(1))) break;
                long gr = groups(b);
                if (gr <= bestGroups) { best = b; bestGroups = gr; }
            }
            return best;
        }
    }
}
