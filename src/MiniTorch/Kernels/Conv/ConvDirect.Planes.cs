using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

internal static unsafe partial class ConvDirect
{
    /// <summary>
    /// One axis of a convolution's taps, split by input phase: tap t reads input index s·(o + Q[t]) + R[t]
    /// for output o (Q[t]·s + R[t] = t·d − p, 0 ≤ R[t] &lt; s).
    /// </summary>
    private readonly record struct TapSplit(int[] Q, int[] R)
    {
        public static TapSplit Of(int kernel, int stride, int pad, int dilation)
        {
            var q = new int[kernel];
            var r = new int[kernel];
            for (int t = 0; t < kernel; t++)
            {
                int e = t * dilation - pad;
                q[t] = Shape.FloorDiv(e, stride);
                r[t] = e - q[t] * stride;
            }
            return new TapSplit(q, r);
        }

        /// <summary>The distinct phases R, and per phase the smallest Q of its taps.</summary>
        public (int[] Phases, int[] QMin, int Span) PhaseRows()
        {
            var (q, r) = (Q, R);
            int[] phases = [.. r.Distinct().Order()];
            var qMin = phases.Select(ph => Enumerable.Range(0, r.Length).Where(t => r[t] == ph).Min(t => q[t])).ToArray();
            int span = phases.Select((ph, k) => Enumerable.Range(0, r.Length).Where(t => r[t] == ph).Max(t => q[t]) - qMin[k]).Max();
            return (phases, qMin, span);
        }
    }

    /// <summary>
    /// Route <see cref="ConvRoute.DirectPlanes"/>: the convolution's forward in any rank (any stride, padding,
    /// dilation, groups) with the direct kernel, a vector's lanes running over a whole output plane: rows
    /// are folded into vectors, so output rows narrower than a vector (a stride-2 layer's 8-wide ones)
    /// still fill it.
    /// </summary>
    /// <remarks>
    /// Tap (c, a, i, j) reads input (SD·(od + Qa) + Ra, SH·(oh + Qi) + Ri, SW·(ow + Qj) + Rj). Each work
    /// item (image, group, block of output depths, block of output rows) copies the input it reads into
    /// a buffer [Cg, depth phases, row phases, column copies, depths, rows, SmallW]: planes and rows split
    /// by phase (plane m of depth phase R is input depth SD·m + R, likewise rows), and per distinct
    /// column tap (Qj, Rj) a copy whose element ow is input column SW·(ow + Qj) + Rj (zero outside). In
    /// it every tap is one constant offset from lane oh·SmallW + ow, and the output plane is y's own
    /// contiguous plane, so vectors are stored straight to y. Every output is one chain of FMAs over the
    /// taps in the weight's order, computed by the one item that owns it: neither the blocking nor the
    /// number of threads changes a bit.
    /// y[n, k, o] = b[k] + Σ_{c, a, i, j} w[k, c, a, i, j] · x[n, g·Cg + c, od·SD − PD + a·DD, oh·SH − PH + i·DH, ow·SW − PW + j·DW].
    /// </remarks>
    public static void ConvPlanes<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count, width = g.SmallW;
        var sd = TapSplit.Of(g.KD, g.SD, g.PD, g.DD);
        var sh = TapSplit.Of(g.KH, g.SH, g.PH, g.DH);
        var sw = TapSplit.Of(g.KW, g.SW, g.PW, g.DW);
        var (dPhases, dQMin, spanD) = sd.PhaseRows();
        var (hPhases, hQMin, spanH) = sh.PhaseRows();
        (int Q, int R)[] copies = [.. Enumerable.Range(0, g.KW).Select(j => (sw.Q[j], sw.R[j])).Distinct()];
        int nD = dPhases.Length, nH = hPhases.Length, nW = copies.Length;
        // Column copy pw reads input column SW·ow + colStart[pw] for output columns colLo[pw] ≤ ow < colHi[pw] (zero elsewhere).
        var colStart = copies.Select(p => g.SW * p.Q + p.R).ToArray();
        var colLo = colStart.Select(st => Math.Clamp(Shape.CeilDiv(-st, g.SW), 0, width)).ToArray();
        var colHi = colStart.Select((st, pw) => Math.Clamp(Shape.FloorDiv(g.BigW - 1 - st, g.SW) + 1, colLo[pw], width)).ToArray();
        int sets = g.BigCg * nD * nH * nW; // (channel, depth phase, row phase, column copy) planes of the buffer
        var (rd, rb) = PlaneBlocks(g, (long)sets * width * sizeof(T), g.SmallD, g.SmallH, spanD, spanH,
                                   rows => (rows * width + lanes - 1) / lanes, PlanesBudget);
        int dBlocks = (g.SmallD + rd - 1) / rd, hBlocks = (g.SmallH + rb - 1) / rb;
        int hpL = (rb + spanH) * width, maxSegs = rd * ((rb * width + lanes - 1) / lanes);
        nint plane = (nint)(rd + spanD) * hpL;

        int taps = g.BigCg * g.Taps, kPad = RoundUp(g.SmallCg, R);
        var off = new int[taps];
        for (int c = 0, t = 0; c < g.BigCg; c++)
            for (int a = 0; a < g.KD; a++)
                for (int i = 0; i < g.KH; i++)
                    for (int j = 0; j < g.KW; j++)
                    {
                        int pd = Array.IndexOf(dPhases, sd.R[a]), ph = Array.IndexOf(hPhases, sh.R[i]);
                        int set = ((c * nD + pd) * nH + ph) * nW + Array.IndexOf(copies, (sw.Q[j], sw.R[j]));
                        off[t++] = (int)(set * plane + (sd.Q[a] - dQMin[pd]) * hpL + (sh.Q[i] - hQMin[ph]) * width);
                    }
        var (wpk, bpk) = PackForward(g, w, bias, kPad);
        try
        {
            int pixels = g.SmallPlane, hw = g.BigH * g.BigW, smallHW = g.SmallH * g.SmallW;
            Threading.For(g.N * g.Groups * dBlocks * hBlocks, 2L * g.N * g.SmallC * pixels * taps, item =>
            {
                int hb = item % hBlocks, db = item / hBlocks % dBlocks, grp = item / hBlocks / dBlocks % g.Groups, n = item / hBlocks / dBlocks / g.Groups;
                int od0 = db * rd, oh0 = hb * rb, od1 = Math.Min(g.SmallD, od0 + rd), oh1 = Math.Min(g.SmallH, oh0 + rb);
                var buf = ArrayPool<T>.Shared.Rent((int)(sets * plane) + lanes);
                var segs = ArrayPool<Segment>.Shared.Rent(maxSegs);
                try
                {
                    var xs = x.Span;
                    for (int c = 0; c < g.BigCg; c++)
                    {
                        var xc = xs.Slice((n * g.BigC + grp * g.BigCg + c) * g.BigPlane, g.BigPlane);
                        for (int pd = 0; pd < nD; pd++)
                            for (int ph = 0; ph < nH; ph++)
                            {
                                int set0 = ((c * nD + pd) * nH + ph) * nW;
                                for (int dd = 0; dd < rd + spanD; dd++)
                                {
                                    int id = g.SD * (od0 + dQMin[pd] + dd) + dPhases[pd];
                                    for (int hh = 0; hh < rb + spanH; hh++)
                                    {
                                        int ih = g.SH * (oh0 + hQMin[ph] + hh) + hPhases[ph];
                                        bool inside = id >= 0 && id < g.BigD && ih >= 0 && ih < g.BigH;
                                        var dst = buf.AsSpan((int)(set0 * plane + dd * hpL + hh * width));
                                        if (!inside)
                                        {
                                            for (int pw = 0; pw < nW; pw++) dst.Slice((int)(pw * plane), width).Clear();
                                            continue;
                                        }
                                        fixed (T* src = xc.Slice(id * hw + ih * g.BigW, g.BigW), pd0 = dst)
                                            for (int pw = 0; pw < nW; pw++)
                                            {
                                                // Copy pw: element ow is input column SW·ow + start (zero outside [lo, hi)).
                                                T* d = pd0 + pw * plane;
                                                int lo = colLo[pw], hi = colHi[pw], sw = g.SW;
                                                T* s = src + colStart[pw];
                                                int u = 0;
                                                for (; u < lo; u++) d[u] = T.Zero;
                                                for (; u < hi; u++) d[u] = s[u * sw];
                                                for (; u < width; u++) d[u] = T.Zero;
                                            }
                                    }
                                }
                            }
                    }
                    // The last vector of a plane may read past the buffer's end, into lanes it does not store.
                    buf.AsSpan((int)(sets * plane), lanes).Clear();
                    int flat = (oh1 - oh0) * width, count = 0;
                    for (int od = od0; od < od1; od++)
                        for (int f = 0; f < flat; f += lanes)
                            segs[count++] = new Segment((od - od0) * hpL + f, (long)od * smallHW + oh0 * width + f, Math.Min(lanes, flat - f));
                    RunForward(buf, off, taps, wpk, bpk, grp, kPad, g.SmallCg, segs.AsSpan(0, count), y.Span, (long)(n * g.SmallC + grp * g.SmallCg) * pixels, pixels);
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(buf);
                    ArrayPool<Segment>.Shared.Return(segs);
                }
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(wpk);
            if (bpk != null) ArrayPool<T>.Shared.Return(bpk);
        }
    }

    /// <summary>
    /// Bytes of the folded forward's buffer per work item: half of L2 (its taps reach Cg·taps values per
    /// output, so whole planes of a stride-2 layer need more than the row routes' quarter).
    /// </summary>
    private static long PlanesBudget => Math.Max(128 << 10, CacheInfo.L2 / 2);

    /// <summary>
    /// The forward micro-kernel for one work item: group <paramref name="grp"/>'s packed weights and bias
    /// (from <see cref="PackForward{T}"/>) over <paramref name="segs"/> of <paramref name="buf"/>, into y from
    /// <paramref name="yOffset"/> with channels <paramref name="ldy"/> apart.
    /// </summary>
    private static void RunForward<T>(ReadOnlySpan<T> buf, int[] off, int taps, T[] wpk, T[]? bpk, int grp, int kPad, int kCount,
                                      ReadOnlySpan<Segment> segs, Span<T> y, long yOffset, nint ldy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pb = buf, pw = wpk, pbias = bpk, py = y)
        fixed (int* po = off)
            Run(pb, po, taps, pw + grp * taps * kPad, kPad, kCount, pbias == null ? null : pbias + grp * kPad, segs, py + yOffset, ldy, 1);
    }

    /// <summary>
    /// The forward's weights as [groups, taps, kPad] (taps (c, a, i, j) in the weight's order, channels zero
    /// past SmallCg) and the bias as [groups, kPad] (null without bias), in pooled arrays.
    /// </summary>
    private static (T[] Weights, T[]? Bias) PackForward<T>(ConvGeometry g, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, int kPad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = g.BigCg * g.Taps;
        var wpk = ArrayPool<T>.Shared.Rent(g.Groups * taps * kPad);
        var bpk = bias.IsEmpty ? null : ArrayPool<T>.Shared.Rent(g.Groups * kPad);
        // Blocks of 16 taps, each reading 16 consecutive weights per output channel and writing its own rows;
        // on all cores from a million weights (ConvTranspose3d 4×4×4 s2's input gradient packs 131 K in
        // 0.2–0.3 ms on one thread: a shorter parallel region only makes the worker sleep and wake twice,
        // see PackPhaseWeights). Every 2-d layer of the main jobs packs serially, as it always did.
        const int block = 16;
        int blocks = (taps + block - 1) / block, smallCg = g.SmallCg;
        Threading.For(g.Groups * blocks, (long)g.SmallC * taps, item =>
        {
            int grp = item / blocks, t0 = item % blocks * block, t1 = Math.Min(taps, t0 + block);
            fixed (T* pw = w.Span, pk = wpk)
            {
                T* dst = pk + (long)grp * taps * kPad;
                for (int k = 0; k < smallCg; k++)
                {
                    T* src = pw + (long)(grp * smallCg + k) * taps;
                    for (int t = t0; t < t1; t++) dst[(long)t * kPad + k] = src[t];
                }
                for (int t = t0; t < t1; t++)
                    for (int k = smallCg; k < kPad; k++) dst[(long)t * kPad + k] = T.Zero;
            }
        });
        if (bpk != null)
            for (int grp = 0; grp < g.Groups; grp++)
            {
                var row = bpk.AsSpan(grp * kPad, kPad);
                bias.Span.Slice(grp * g.SmallCg, g.SmallCg).CopyTo(row);
                row[g.SmallCg..].Clear();
            }
        return (wpk, bpk);
    }
}
