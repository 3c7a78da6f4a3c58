using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

// The general path of ConvTransposeOneChannel: any geometry, one phase at a time. Its design:
// Transposed convolution with one big-side channel per group (C_out = 1, FSRCNN's upscaling layer):
// per output phase, every output pixel is one dot product of K_g·|taps| input values with the phase's
// sub-kernel. GEMM would have m = 1 and spend its time packing, and a column buffer would be
// K_g·|taps| times the output; instead a row of the phase is computed directly, a block of
// vectors of pixels at a time with the accumulators in registers, reading each input row in place.
// y[n, 0, H0 + SH·qh, W0 + SW·qw] = Σ_{k, a, b} w[k, 0, TapsH[a], TapsW[b]] · z[n, k, BaseH[a] + qh, BaseW[b] + qw].
// Every output is summed over (k, a, b) in that order by one work item, whatever the thread count.
// The workspace is one strip of accumulators per work item (phases × RowsPerItem × 320 elements,
// pooled), whatever the image size: no column buffer.
// Known limit: the taps read the input at every column offset, so most vector loads straddle two
// cache lines; that, not memory, bounds this kernel (about a quarter of an aligned loop's rate).
// Loading aligned vectors and shifting them in registers, or sharing each load between the phases
// that use it, is the next step.
internal static unsafe partial class ConvTransposeOneChannel
{
    /// <summary>Phase rows per work item: enough to amortise the item and the halo rows, few enough to balance.</summary>
    private const int RowsPerItem = 8;

    /// <summary>
    /// Phase columns per strip. For one channel, a strip's input rows (RowsPerItem + taps rows of
    /// 256 columns, ≈ 13 KB of float32) stay in L1 while every phase and row of the item takes them.
    /// </summary>
    private const int StripWidth = 256;

    /// <summary>Slack after each row's accumulators: the vector loop may overrun a row by under one vector.</summary>
    private const int Slack = 64;

    /// <summary>One output row of a strip: its phase, row, sub-kernel, and the ranges the vector loop covers.</summary>
    private struct RowPlan
    {
        public int Phase, Qh, Sub, Lo, Hi, VecEnd, ALo, AHi, SafeEnd, Partner;
    }

    /// <summary>The union of two phases' column offsets (descending) and each one's tap index there (−1: none).</summary>
    private sealed record Merge(int[] D, int[] IA, int[] IB);

    /// <summary>The general path: any shape, phase by phase (see the class remarks).</summary>
    internal static void ForwardGeneral<T>(ConvGeometry g, List<ConvTranspose.Phase> phases, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Sub-kernels per (group, phase), each [Kg, |tapsH|, |tapsW|], in one array.
        var offsets = new int[g.Groups * phases.Count];
        int total = 0;
        for (int i = 0; i < offsets.Length; i++)
        {
            var p = phases[i % phases.Count];
            offsets[i] = total;
            total += g.SmallCg * p.TapsH.Length * p.TapsW.Length;
        }
        var packed = new T[Math.Max(total, 1)];
        for (int grp = 0; grp < g.Groups; grp++)
            for (int ph = 0; ph < phases.Count; ph++)
            {
                var p = phases[ph];
                int th = p.TapsH.Length, tw = p.TapsW.Length, o = offsets[grp * phases.Count + ph];
                for (int k = 0; k < g.SmallCg; k++)
                    for (int a = 0; a < th; a++)
                        for (int b = 0; b < tw; b++)
                            packed[o + (k * th + a) * tw + b] = w.Span[((grp * g.SmallCg + k) * g.KH + p.TapsH[a]) * g.KW + p.TapsW[b]];
            }
        // Work items are blocks of phase rows (all phases). Inside, strips of columns; within a strip
        // the channel loop is outermost, so each channel's input rows are read into L1 once and used
        // by every phase and row of the block.
        int nh = 0, maxNw = 0;
        foreach (var p in phases) { nh = Math.Max(nh, p.NH); maxNw = Math.Max(maxNw, p.NW); }
        var merges = new Merge?[phases.Count, phases.Count];
        if (Vector512.IsHardwareAccelerated)
            for (int i = 0; i < phases.Count; i++)
                for (int j = i + 1; j < phases.Count; j++)
                    if (phases[i].H0 == phases[j].H0) merges[i, j] = MergeOffsets(phases[i].BaseW, phases[j].BaseW);
        int blocks = (nh + RowsPerItem - 1) / RowsPerItem, stride = StripWidth + Slack;
        long flops = 2L * g.N * g.SmallC * g.SmallH * g.SmallW * g.KH * g.KW;
        Threading.For(g.N * g.Groups * blocks, flops, item =>
        {
            int r0 = item % blocks * RowsPerItem, grp = item / blocks % g.Groups, n = item / blocks / g.Groups;
            int small = g.SmallH * g.SmallW, big = g.BigH * g.BigW;
            var plans = new RowPlan[phases.Count * RowsPerItem];
            var accArray = ArrayPool<T>.Shared.Rent(plans.Length * stride);
            var yImg = y.Span.Slice((n * g.Groups + grp) * big, big);
            var zSpan = z.Span;
            fixed (T* zImg = zSpan.Slice((n * g.SmallC + grp * g.SmallCg) * small, g.SmallCg * small))
            fixed (T* zAll = zSpan)
            fixed (T* sub0 = packed)
            fixed (T* acc0 = accArray)
                for (int c0 = 0; c0 < maxNw; c0 += StripWidth)
                {
                    int rows = 0;
                    for (int ph = 0; ph < phases.Count; ph++)
                        for (int qh = r0; qh < Math.Min(phases[ph].NH, r0 + RowsPerItem); qh++)
                            if (c0 < phases[ph].NW)
                                plans[rows++] = Plan(g, phases[ph], ph, offsets[grp * phases.Count + ph], qh, c0, zImg, zAll + zSpan.Length);
                    if (Vector512.IsHardwareAccelerated) PairRows(plans, rows, phases, merges, Vector512<T>.Count);
                    for (int r = 0; r < rows; r++)
                        new Span<T>(acc0 + r * stride, Math.Max(plans[r].VecEnd - c0, 0)).Clear();
                    for (int k = 0; k < g.SmallCg; k++)
                    {
                        T* zK = zImg + (nint)k * small;
                        for (int r = 0; r < rows; r++)
                        {
                            ref var pl = ref plans[r];
                            var p = phases[pl.Phase];
                            int tw = p.TapsW.Length;
                            if (pl.VecEnd <= pl.Lo) continue;
                            T* zRow = zK + (nint)pl.Qh * g.SmallW;
                            T* wK = sub0 + pl.Sub + k * p.TapsH.Length * tw;
                            if (pl.Partner < 0)
                                Accumulate(g.SmallW, p, zRow, wK, pl.ALo, pl.AHi, pl.Lo, pl.VecEnd, acc0 + r * stride - c0);
                            else if (pl.Partner > r)
                            {
                                ref var pb = ref plans[pl.Partner];
                                var q = phases[pb.Phase];
                                var m = merges[pl.Phase, pb.Phase]!;
                                T* wKB = sub0 + pb.Sub + k * q.TapsH.Length * q.TapsW.Length;
                                T* accA = acc0 + r * stride - c0, accB = acc0 + pl.Partner * stride - c0;
                                int qw = pl.Lo, v = Vector512<T>.Count;
                                for (; qw + 4 * v <= pl.VecEnd; qw += 4 * v)
                                    PairBlock512(g.SmallW, p, m, zRow, wK, tw, wKB, q.TapsW.Length, pl.ALo, pl.AHi, qw, accA + qw, accB + qw);
                                if (qw < pl.VecEnd)
                                {
                                    Accumulate(g.SmallW, p, zRow, wK, pl.ALo, pl.AHi, qw, pl.VecEnd, accA);
                                    Accumulate(g.SmallW, q, zRow, wKB, pb.ALo, pb.AHi, qw, pl.VecEnd, accB);
                                }
                            }
                        }
                    }
                    for (int r = 0; r < rows; r++)
                    {
                        ref var pl = ref plans[r];
                        var p = phases[pl.Phase];
                        T* acc = acc0 + r * stride - c0;
                        T* sub = sub0 + pl.Sub;
                        int c1 = Math.Min(p.NW, c0 + StripWidth);
                        for (int c = c0; c < pl.Lo; c++) acc[c] = Scalar(g, p, zImg, sub, pl.Qh, pl.ALo, pl.AHi, c);
                        for (int c = Math.Max(pl.Lo, Math.Min(pl.Hi, pl.VecEnd)); c < c1; c++) acc[c] = Scalar(g, p, zImg, sub, pl.Qh, pl.ALo, pl.AHi, c);
                        var yRow = yImg.Slice((p.H0 + g.SH * pl.Qh) * g.BigW, g.BigW);
                        for (int qw = c0, at = p.W0 + g.SW * c0; qw < c1; qw++, at += g.SW) yRow[at] = acc[qw];
                    }
                }
            ArrayPool<T>.Shared.Return(accArray);
        });
    }

    /// <summary>
    /// The vector range of one output row of the strip [c0, c0 + StripWidth): columns where every tap
    /// reads inside the input row, rounded up to whole vectors when the overrun stays inside z (the
    /// overrun columns are then overwritten by the scalar edge loop), and the taps whose input row exists.
    /// </summary>
    private static RowPlan Plan<T>(in ConvGeometry g, ConvTranspose.Phase p, int ph, int sub, int qh, int c0, T* zImg, T* zEnd)
        where T : unmanaged
    {
        int th = p.TapsH.Length, c1 = Math.Min(p.NW, c0 + StripWidth);
        int lo = c0, hi = c1, maxBase = 0;
        foreach (int bw in p.BaseW) { lo = Math.Max(lo, -bw); hi = Math.Min(hi, g.SmallW - bw); maxBase = Math.Max(maxBase, bw); }
        hi = Math.Max(hi, lo);
        int aLo = 0, aHi = th;
        while (aLo < th && (p.BaseH[aLo] + qh < 0 || p.BaseH[aLo] + qh >= g.SmallH)) aLo++;
        while (aHi > aLo && (p.BaseH[aHi - 1] + qh < 0 || p.BaseH[aHi - 1] + qh >= g.SmallH)) aHi--;
        int v = Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256.IsHardwareAccelerated ? Vector256<T>.Count : 0;
        int vecEnd = lo, safeEnd = 0;
        if (v > 0 && hi > lo && aHi > aLo && p.TapsW.Length > 0)
        {
            // The vector loop may run to column safeEnd − 1 and still read inside z.
            T* lastRow = zImg + ((nint)(g.SmallCg - 1) * g.SmallH + Math.Max(p.BaseH[aLo], p.BaseH[aHi - 1]) + qh) * g.SmallW;
            safeEnd = (int)Math.Min(int.MaxValue / 2, (long)(zEnd - lastRow) - maxBase);
            vecEnd = VectorEnd(lo, hi, v, safeEnd);
        }
        return new RowPlan { Phase = ph, Qh = qh, Sub = sub, Lo = lo, Hi = hi, VecEnd = vecEnd, ALo = aLo, AHi = aHi, SafeEnd = safeEnd, Partner = -1 };
    }

    /// <summary>Whole vectors from lo covering [lo, hi), or only those inside it when the overrun would read past z.</summary>
    private static int VectorEnd(int lo, int hi, int v, int safeEnd)
    {
        int up = lo + (hi - lo + v - 1) / v * v;
        return up <= safeEnd ? up : lo + (hi - lo) / v * v;
    }

    /// <summary>
    /// Pairs rows of two phases with the same input rows (same H phase and row, e.g. FSRCNN's two
    /// W phases): the paired kernel loads each input vector once for both. Both rows get one common
    /// vector range; what falls outside it goes to the scalar edge loop.
    /// </summary>
    private static void PairRows(RowPlan[] plans, int rows, List<ConvTranspose.Phase> phases, Merge?[,] merges, int v)
    {
        for (int r = 0; r < rows; r++)
        {
            ref var a = ref plans[r];
            if (a.Partner >= 0 || a.VecEnd <= a.Lo) continue;
            for (int r2 = r + 1; r2 < rows; r2++)
            {
                ref var b = ref plans[r2];
                if (b.Partner >= 0 || b.VecEnd <= b.Lo || b.Qh != a.Qh || merges[a.Phase, b.Phase] is null) continue;
                int lo = Math.Max(a.Lo, b.Lo);
                int end = Math.Min(VectorEnd(lo, a.Hi, v, a.SafeEnd), VectorEnd(lo, b.Hi, v, b.SafeEnd));
                if (end <= lo) continue;
                a.Lo = b.Lo = lo;
                a.VecEnd = b.VecEnd = end;
                a.Partner = r2;
                b.Partner = r; // marks b as taken; only a (the smaller index) drives the pair
                break;
            }
        }
    }

    private static Merge MergeOffsets(int[] a, int[] b)
    {
        var d = new List<int>();
        var ia = new List<int>();
        var ib = new List<int>();
        int i = 0, j = 0;
        // Both lists descend (taps ascend); the union keeps that order, so each phase still sums its taps in order.
        while (i < a.Length || j < b.Length)
        {
            int next = Math.Max(i < a.Length ? a[i] : int.MinValue, j < b.Length ? b[j] : int.MinValue);
            d.Add(next);
            ia.Add(i < a.Length && a[i] == next ? i++ : -1);
            ib.Add(j < b.Length && b[j] == next ? j++ : -1);
        }
        return new Merge([.. d], [.. ia], [.. ib]);
    }

    /// <summary>
    /// Two phases' rows at once (same input rows): four Vector512s of each, every input vector loaded
    /// once and used by each phase that has a tap at its offset.
    /// </summary>
    private static void PairBlock512<T>(int ow, ConvTranspose.Phase p, Merge m, T* zK, T* wKA, int twA, T* wKB, int twB,
                                        int aLo, int aHi, int qw, T* dstA, T* dstB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count;
        var a0 = Vector512.Load(dstA); var a1 = Vector512.Load(dstA + v); var a2 = Vector512.Load(dstA + 2 * v); var a3 = Vector512.Load(dstA + 3 * v);
        var b0 = Vector512.Load(dstB); var b1 = Vector512.Load(dstB + v); var b2 = Vector512.Load(dstB + 2 * v); var b3 = Vector512.Load(dstB + 3 * v);
        int[] d = m.D, ia = m.IA, ib = m.IB;
        for (int a = aLo; a < aHi; a++)
        {
            T* zRow = zK + (nint)p.BaseH[a] * ow + qw;
            T* wa = wKA + a * twA, wb = wKB + a * twB;
            for (int t = 0; t < d.Length; t++)
            {
                T* src = zRow + d[t];
                var x0 = Vector512.Load(src); var x1 = Vector512.Load(src + v); var x2 = Vector512.Load(src + 2 * v); var x3 = Vector512.Load(src + 3 * v);
                if (ia[t] >= 0)
                {
                    var wv = Vector512.Create(wa[ia[t]]);
                    a0 = Simd.Fma(wv, x0, a0); a1 = Simd.Fma(wv, x1, a1); a2 = Simd.Fma(wv, x2, a2); a3 = Simd.Fma(wv, x3, a3);
                }
                if (ib[t] >= 0)
                {
                    var wv = Vector512.Create(wb[ib[t]]);
                    b0 = Simd.Fma(wv, x0, b0); b1 = Simd.Fma(wv, x1, b1); b2 = Simd.Fma(wv, x2, b2); b3 = Simd.Fma(wv, x3, b3);
                }
            }
        }
        a0.Store(dstA); a1.Store(dstA + v); a2.Store(dstA + 2 * v); a3.Store(dstA + 3 * v);
        b0.Store(dstB); b1.Store(dstB + v); b2.Store(dstB + 2 * v); b3.Store(dstB + 3 * v);
    }

    /// <summary>acc[qw] += Σ_{a, b} wK[a, b] · zRow[BaseH[a]·OW + BaseW[b] + qw] for qw ∈ [lo, end), whole vectors.</summary>
    private static void Accumulate<T>(int ow, ConvTranspose.Phase p, T* zRow, T* wK, int aLo, int aHi, int lo, int end, T* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int qw = lo;
        if (Vector512.IsHardwareAccelerated)
        {
            int v = Vector512<T>.Count;
            for (; qw + 8 * v <= end; qw += 8 * v) Block512(ow, p, zRow, wK, aLo, aHi, qw, acc + qw);
            for (; qw < end; qw += v) Block512x1(ow, p, zRow, wK, aLo, aHi, qw, acc + qw);
        }
        else
        {
            int v = Vector256<T>.Count;
            for (; qw + 8 * v <= end; qw += 8 * v) Block256(ow, p, zRow, wK, aLo, aHi, qw, acc + qw);
            for (; qw < end; qw += v) Block256x1(ow, p, zRow, wK, aLo, aHi, qw, acc + qw);
        }
    }

    /// <summary>The readable reference: one output, taps outside the input skipped.</summary>
    private static T Scalar<T>(in ConvGeometry g, ConvTranspose.Phase p, T* zImg, T* sub, int qh, int aLo, int aHi, int qw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        T s = T.Zero;
        for (int k = 0; k < g.SmallCg; k++)
            for (int a = aLo; a < aHi; a++)
            {
                T* zRow = zImg + ((nint)k * g.SmallH + p.BaseH[a] + qh) * g.SmallW;
                for (int b = 0; b < tw; b++)
                {
                    int col = p.BaseW[b] + qw;
                    if (col >= 0 && col < g.SmallW) s = Simd.Fma(sub[(k * th + a) * tw + b], zRow[col], s);
                }
            }
        return s;
    }

    /// <summary>Adds one channel's taps to eight Vector512s of adjacent outputs (all taps inside the input).</summary>
    private static void Block512<T>(int ow, ConvTranspose.Phase p, T* zK, T* wK, int aLo, int aHi, int qw, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tw = p.TapsW.Length, v = Vector512<T>.Count;
        var c0 = Vector512.Load(dst); var c1 = Vector512.Load(dst + v); var c2 = Vector512.Load(dst + 2 * v); var c3 = Vector512.Load(dst + 3 * v);
        var c4 = Vector512.Load(dst + 4 * v); var c5 = Vector512.Load(dst + 5 * v); var c6 = Vector512.Load(dst + 6 * v); var c7 = Vector512.Load(dst + 7 * v);
        for (int a = aLo; a < aHi; a++)
        {
            T* zRow = zK + (nint)p.BaseH[a] * ow + qw;
            T* wt = wK + a * tw;
            for (int b = 0; b < tw; b++)
            {
                T* src = zRow + p.BaseW[b];
                var wv = Vector512.Create(wt[b]);
                c0 = Simd.Fma(wv, Vector512.Load(src), c0);
                c1 = Simd.Fma(wv, Vector512.Load(src + v), c1);
                c2 = Simd.Fma(wv, Vector512.Load(src + 2 * v), c2);
                c3 = Simd.Fma(wv, Vector512.Load(src + 3 * v), c3);
                c4 = Simd.Fma(wv, Vector512.Load(src + 4 * v), c4);
                c5 = Simd.Fma(wv, Vector512.Load(src + 5 * v), c5);
                c6 = Simd.Fma(wv, Vector512.Load(src + 6 * v), c6);
                c7 = Simd.Fma(wv, Vector512.Load(src + 7 * v), c7);
            }
        }
        c0.Store(dst); c1.Store(dst + v); c2.Store(dst + 2 * v); c3.Store(dst + 3 * v);
        c4.Store(dst + 4 * v); c5.Store(dst + 5 * v); c6.Store(dst + 6 * v); c7.Store(dst + 7 * v);
    }

    private static void Block512x1<T>(int ow, ConvTranspose.Phase p, T* zK, T* wK, int aLo, int aHi, int qw, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tw = p.TapsW.Length;
        var c0 = Vector512.Load(dst);
        for (int a = aLo; a < aHi; a++)
        {
            T* zRow = zK + (nint)p.BaseH[a] * ow + qw;
            T* wt = wK + a * tw;
            for (int b = 0; b < tw; b++) c0 = Simd.Fma(Vector512.Create(wt[b]), Vector512.Load(zRow + p.BaseW[b]), c0);
        }
        c0.Store(dst);
    }

    /// <summary>Adds one channel's taps to eight Vector256s of adjacent outputs (all taps inside the input).</summary>
    private static void Block256<T>(int ow, ConvTranspose.Phase p, T* zK, T* wK, int aLo, int aHi, int qw, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tw = p.TapsW.Length, v = Vector256<T>.Count;
        var c0 = Vector256.Load(dst); var c1 = Vector256.Load(dst + v); var c2 = Vector256.Load(dst + 2 * v); var c3 = Vector256.Load(dst + 3 * v);
        var c4 = Vector256.Load(dst + 4 * v); var c5 = Vector256.Load(dst + 5 * v); var c6 = Vector256.Load(dst + 6 * v); var c7 = Vector256.Load(dst + 7 * v);
        for (int a = aLo; a < aHi; a++)
        {
            T* zRow = zK + (nint)p.BaseH[a] * ow + qw;
            T* wt = wK + a * tw;
            for (int b = 0; b < tw; b++)
            {
                T* src = zRow + p.BaseW[b];
                var wv = Vector256.Create(wt[b]);
                c0 = Simd.Fma(wv, Vector256.Load(src), c0);
                c1 = Simd.Fma(wv, Vector256.Load(src + v), c1);
                c2 = Simd.Fma(wv, Vector256.Load(src + 2 * v), c2);
                c3 = Simd.Fma(wv, Vector256.Load(src + 3 * v), c3);
                c4 = Simd.Fma(wv, Vector256.Load(src + 4 * v), c4);
                c5 = Simd.Fma(wv, Vector256.Load(src + 5 * v), c5);
                c6 = Simd.Fma(wv, Vector256.Load(src + 6 * v), c6);
                c7 = Simd.Fma(wv, Vector256.Load(src + 7 * v), c7);
            }
        }
        c0.Store(dst); c1.Store(dst + v); c2.Store(dst + 2 * v); c3.Store(dst + 3 * v);
        c4.Store(dst + 4 * v); c5.Store(dst + 5 * v); c6.Store(dst + 6 * v); c7.Store(dst + 7 * v);
    }

    private static void Block256x1<T>(int ow, ConvTranspose.Phase p, T* zK, T* wK, int aLo, int aHi, int qw, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tw = p.TapsW.Length;
        var c0 = Vector256.Load(dst);
        for (int a = aLo; a < aHi; a++)
        {
            T* zRow = zK + (nint)p.BaseH[a] * ow + qw;
            T* wt = wK + a * tw;
            for (int b = 0; b < tw; b++) c0 = Simd.Fma(Vector256.Create(wt[b]), Vector256.Load(zRow + p.BaseW[b]), c0);
        }
        c0.Store(dst);
    }


}
