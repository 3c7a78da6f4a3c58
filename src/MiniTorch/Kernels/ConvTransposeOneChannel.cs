using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// Transposed convolution with one big-side channel per group (C_out = 1, FSRCNN's upscaling layer):
/// per output phase, every output pixel is one dot product of K_g·|taps| input values with the phase's
/// sub-kernel. GEMM would have m = 1 and spend its time packing, and a column buffer would be
/// K_g·|taps| times the output; instead a row of the phase is computed directly, a block of
/// vectors of pixels at a time with the accumulators in registers, reading each input row in place.
/// </summary>
/// <remarks>
/// y[n, 0, H0 + SH·qh, W0 + SW·qw] = Σ_{k, a, b} w[k, 0, TapsH[a], TapsW[b]] · z[n, k, BaseH[a] + qh, BaseW[b] + qw].
/// Every output is summed over (k, a, b) in that order by one work item, whatever the thread count.
/// The workspace is one row of the phase per work item.
/// </remarks>
internal static unsafe class ConvTransposeOneChannel
{
    /// <summary>Phase rows per work item: enough to amortise the item, few enough to balance.</summary>
    private const int RowsPerItem = 4;

    /// <summary>Phase columns per strip: 56 channels × 8 rows × 256 columns of float32 ≈ 460 KB, within L2.</summary>
    private const int StripWidth = 256;

    public static void Forward<T>(ConvGeometry g, List<ConvTranspose.Phase> phases, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Sub-kernels per (group, phase), [Kg, |tapsH|, |tapsW|].
        var packed = new T[g.Groups * phases.Count][];
        for (int grp = 0; grp < g.Groups; grp++)
            for (int ph = 0; ph < phases.Count; ph++)
            {
                var p = phases[ph];
                int th = p.TapsH.Length, tw = p.TapsW.Length;
                var sub = packed[grp * phases.Count + ph] = new T[g.Kg * th * tw];
                for (int k = 0; k < g.Kg; k++)
                    for (int a = 0; a < th; a++)
                        for (int b = 0; b < tw; b++)
                            sub[(k * th + a) * tw + b] = w.Span[((grp * g.Kg + k) * g.KH + p.TapsH[a]) * g.KW + p.TapsW[b]];
            }
        // Work items are blocks of phase rows (all phases); inside, strips of columns keep the input
        // rows that a strip reads (K_g × (rows + taps) segments) in L2 while every phase uses them.
        int nh = 0, maxNw = 0;
        foreach (var p in phases) { nh = Math.Max(nh, p.NH); maxNw = Math.Max(maxNw, p.NW); }
        int blocks = (nh + RowsPerItem - 1) / RowsPerItem;
        long flops = 2L * g.N * g.K * g.OH * g.OW * g.KH * g.KW;
        Conv.For(g.N * g.Groups * blocks, flops, item =>
        {
            int r0 = item % blocks * RowsPerItem, grp = item / blocks % g.Groups, n = item / blocks / g.Groups;
            int small = g.OH * g.OW, big = g.H * g.W;
            // Room for the vector loop's overrun of up to one vector past the row.
            int len = maxNw + 64;
            Span<T> row = len <= 4096 ? stackalloc T[len] : new T[len];
            var yImg = y.Span.Slice((n * g.Groups + grp) * big, big);
            var zSpan = z.Span;
            fixed (T* zImg = zSpan.Slice((n * g.K + grp * g.Kg) * small, g.Kg * small))
            fixed (T* zAll = zSpan)
            fixed (T* acc = row)
                for (int c0 = 0; c0 < maxNw; c0 += StripWidth)
                    for (int ph = 0; ph < phases.Count; ph++)
                    {
                        var p = phases[ph];
                        int c1 = Math.Min(p.NW, c0 + StripWidth);
                        fixed (T* sub = packed[grp * phases.Count + ph])
                            for (int qh = r0; qh < Math.Min(p.NH, r0 + RowsPerItem); qh++)
                            {
                                PhaseRow(g, p, zImg, zAll + zSpan.Length, sub, qh, c0, c1, acc);
                                var yRow = yImg.Slice((p.H0 + g.SH * qh) * g.W, g.W);
                                for (int qw = c0, at = p.W0 + g.SW * c0; qw < c1; qw++, at += g.SW) yRow[at] = acc[qw];
                            }
                    }
        });
    }

    /// <summary>acc[qw] = the phase's output at row qh, column qw, for qw ∈ [c0, c1).</summary>
    /// <remarks>
    /// Channels are the outer loop: for each k the row's accumulators take that channel's taps, so the
    /// input is read as a few sequential row segments. The vector loop runs over whole vectors, up to
    /// v − 1 columns past the interior (reading inside the input buffer, checked); the scalar edge
    /// loop then overwrites those columns with their true values. Every output is summed in the order
    /// (k, a, b) by either path, so both give the same bits.
    /// </remarks>
    private static void PhaseRow<T>(in ConvGeometry g, ConvTranspose.Phase p, T* zImg, T* zEnd, T* sub, int qh, int c0, int c1, T* acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        // Columns where every tap reads inside the input row: the vectorised interior.
        int lo = c0, hi = c1, maxBase = 0;
        foreach (int bw in p.BaseW) { lo = Math.Max(lo, -bw); hi = Math.Min(hi, g.OW - bw); maxBase = Math.Max(maxBase, bw); }
        hi = Math.Max(hi, lo);
        // Taps whose input row exists for this qh; rows outside contribute zero.
        int aLo = 0, aHi = th;
        while (aLo < th && (p.BaseH[aLo] + qh < 0 || p.BaseH[aLo] + qh >= g.OH)) aLo++;
        while (aHi > aLo && (p.BaseH[aHi - 1] + qh < 0 || p.BaseH[aHi - 1] + qh >= g.OH)) aHi--;
        int v = Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256.IsHardwareAccelerated ? Vector256<T>.Count : 0;
        int vecEnd = lo;
        if (v > 0 && hi > lo && aHi > aLo && tw > 0)
        {
            vecEnd = lo + (hi - lo + v - 1) / v * v;
            // The furthest element the vector loop reads must lie inside z.
            T* last = zImg + ((nint)(g.Kg - 1) * g.OH + Math.Max(p.BaseH[aLo], p.BaseH[aHi - 1]) + qh) * g.OW + vecEnd - 1 + maxBase;
            if (last >= zEnd) vecEnd = lo + (hi - lo) / v * v;
            new Span<T>(acc + lo, vecEnd - lo).Clear();
            for (int k = 0; k < g.Kg; k++)
            {
                T* zK = zImg + (nint)k * g.OH * g.OW + (nint)qh * g.OW;
                T* wK = sub + k * th * tw;
                int qw = lo;
                if (Vector512.IsHardwareAccelerated)
                {
                    for (; qw + 8 * v <= vecEnd; qw += 8 * v) Block512(g.OW, p, zK, wK, aLo, aHi, qw, acc + qw);
                    for (; qw < vecEnd; qw += v) Block512x1(g.OW, p, zK, wK, aLo, aHi, qw, acc + qw);
                }
                else
                {
                    for (; qw + 8 * v <= vecEnd; qw += 8 * v) Block256(g.OW, p, zK, wK, aLo, aHi, qw, acc + qw);
                    for (; qw < vecEnd; qw += v) Block256x1(g.OW, p, zK, wK, aLo, aHi, qw, acc + qw);
                }
            }
        }
        for (int c = c0; c < lo; c++) acc[c] = Scalar(g, p, zImg, sub, qh, aLo, aHi, c);
        for (int c = Math.Min(hi, vecEnd); c < c1; c++) acc[c] = Scalar(g, p, zImg, sub, qh, aLo, aHi, c);
    }

    /// <summary>The readable reference: one output, taps outside the input skipped.</summary>
    private static T Scalar<T>(in ConvGeometry g, ConvTranspose.Phase p, T* zImg, T* sub, int qh, int aLo, int aHi, int qw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        T s = T.Zero;
        for (int k = 0; k < g.Kg; k++)
            for (int a = aLo; a < aHi; a++)
            {
                T* zRow = zImg + ((nint)k * g.OH + p.BaseH[a] + qh) * g.OW;
                for (int b = 0; b < tw; b++)
                {
                    int col = p.BaseW[b] + qw;
                    if (col >= 0 && col < g.OW) s = T.FusedMultiplyAdd(sub[(k * th + a) * tw + b], zRow[col], s);
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
                c0 = Fma(wv, Vector512.Load(src), c0);
                c1 = Fma(wv, Vector512.Load(src + v), c1);
                c2 = Fma(wv, Vector512.Load(src + 2 * v), c2);
                c3 = Fma(wv, Vector512.Load(src + 3 * v), c3);
                c4 = Fma(wv, Vector512.Load(src + 4 * v), c4);
                c5 = Fma(wv, Vector512.Load(src + 5 * v), c5);
                c6 = Fma(wv, Vector512.Load(src + 6 * v), c6);
                c7 = Fma(wv, Vector512.Load(src + 7 * v), c7);
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
            for (int b = 0; b < tw; b++) c0 = Fma(Vector512.Create(wt[b]), Vector512.Load(zRow + p.BaseW[b]), c0);
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
                c0 = Fma(wv, Vector256.Load(src), c0);
                c1 = Fma(wv, Vector256.Load(src + v), c1);
                c2 = Fma(wv, Vector256.Load(src + 2 * v), c2);
                c3 = Fma(wv, Vector256.Load(src + 3 * v), c3);
                c4 = Fma(wv, Vector256.Load(src + 4 * v), c4);
                c5 = Fma(wv, Vector256.Load(src + 5 * v), c5);
                c6 = Fma(wv, Vector256.Load(src + 6 * v), c6);
                c7 = Fma(wv, Vector256.Load(src + 7 * v), c7);
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
            for (int b = 0; b < tw; b++) c0 = Fma(Vector256.Create(wt[b]), Vector256.Load(zRow + p.BaseW[b]), c0);
        }
        c0.Store(dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
    }
}
