using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

internal static unsafe partial class ConvDirect
{
    /// <summary>
    /// ConvTranspose2d forward (any stride, padding, dilation, groups) by output phase with the
    /// direct kernel: each phase is a dense unit-stride convolution of the input with its sub-kernel,
    /// written to the strided output positions (H0 + SH·qh, W0 + SW·qw). Work items are (image,
    /// group, block of phase rows); each copies the block's input rows, for all phases at once, into
    /// a zero-padded buffer. Bias is not added here (the caller adds it to whole planes, including
    /// phases without taps).
    /// </summary>
    /// <remarks>y[n, c, h, w] = Σ_{k, oh, ow, i, j : oh·SH − PH + i·DH = h, ow·SW − PW + j·DW = w} z[n, k, oh, ow] · w[k, c, i, j].</remarks>
    public static void ConvTransposeForward<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var phases = ConvTranspose.Phases(g).FindAll(p => p.TapsH.Length > 0 && p.TapsW.Length > 0 && p.NH > 0 && p.NW > 0);
        if (phases.Count == 0) return;
        int lanes = Vector512<T>.Count;
        int cPad = RoundUp(g.BigCg, R);
        int minBH = int.MaxValue, maxBH = int.MinValue, minBW = int.MaxValue, maxBW = int.MinValue, maxNH = 0, maxNW = 0;
        foreach (var p in phases)
        {
            foreach (int b in p.BaseH) { minBH = Math.Min(minBH, b); maxBH = Math.Max(maxBH, b); }
            foreach (int b in p.BaseW) { minBW = Math.Min(minBW, b); maxBW = Math.Max(maxBW, b); }
            maxNH = Math.Max(maxNH, p.NH);
            maxNW = Math.Max(maxNW, p.NW);
        }
        int segsPerRow = (maxNW + lanes - 1) / lanes;
        int wp = segsPerRow * lanes + (maxBW - minBW);
        int rowBytes = g.SmallCg * wp * sizeof(T);
        int rb = Math.Clamp(BufferBudget / Math.Max(rowBytes, 1), 1, maxNH);
        int wanted = Math.Max(1, 16 / Math.Max(1, g.N * g.Groups));
        rb = Math.Min(rb, Math.Max(1, (maxNH + wanted - 1) / wanted));
        int blocks = (maxNH + rb - 1) / rb;
        int rowsIn = rb + (maxBH - minBH);
        nint plane = (nint)rowsIn * wp;

        // Per (group, phase): the sub-kernel as [taps, cPad] and the taps' buffer offsets.
        int np = phases.Count;
        var wpk = new T[g.Groups * np][];
        var offs = new int[np][];
        var ws = w.Span;
        for (int ph = 0; ph < np; ph++)
        {
            var p = phases[ph];
            int th = p.TapsH.Length, tw = p.TapsW.Length, taps = g.SmallCg * th * tw;
            var off = offs[ph] = new int[taps];
            for (int k = 0, t = 0; k < g.SmallCg; k++)
                for (int a = 0; a < th; a++)
                    for (int b = 0; b < tw; b++) off[t++] = (int)(k * plane + (p.BaseH[a] - minBH) * wp + (p.BaseW[b] - minBW));
            for (int grp = 0; grp < g.Groups; grp++)
            {
                var pk = wpk[grp * np + ph] = ArrayPool<T>.Shared.Rent(taps * cPad);
                for (int k = 0, t = 0; k < g.SmallCg; k++)
                    for (int a = 0; a < th; a++)
                        for (int b = 0; b < tw; b++, t++)
                        {
                            var row = pk.AsSpan(t * cPad, cPad);
                            for (int c = 0; c < g.BigCg; c++)
                                row[c] = ws[(((grp * g.SmallCg + k) * g.BigCg + c) * g.KH + p.TapsH[a]) * g.KW + p.TapsW[b]];
                            row[g.BigCg..].Clear();
                        }
            }
        }
        try
        {
            int small = g.SmallH * g.SmallW, big = g.BigH * g.BigW;
            Threading.For(g.N * g.Groups * blocks, 2L * g.N * g.SmallC * small * g.BigCg * g.KH * g.KW, item =>
            {
                int blk = item % blocks, grp = item / blocks % g.Groups, n = item / blocks / g.Groups;
                int r0 = blk * rb;
                var buf = ArrayPool<T>.Shared.Rent((int)(g.SmallCg * plane));
                var segs = ArrayPool<Segment>.Shared.Rent(rb * segsPerRow);
                try
                {
                    var zs = z.Span;
                    for (int k = 0; k < g.SmallCg; k++)
                    {
                        var zk = zs.Slice((n * g.SmallC + grp * g.SmallCg + k) * small, small);
                        for (int rr = 0; rr < rowsIn; rr++)
                        {
                            int oh = r0 + minBH + rr;
                            var dst = buf.AsSpan((int)(k * plane + rr * wp), wp);
                            if (oh < 0 || oh >= g.SmallH) dst.Clear();
                            else PadRow(zk.Slice(oh * g.SmallW, g.SmallW), minBW, dst);
                        }
                    }
                    fixed (T* pb = buf, py = y.Span)
                    {
                        T* yBase = py + (long)(n * g.BigC + grp * g.BigCg) * big;
                        for (int ph = 0; ph < np; ph++)
                        {
                            var p = phases[ph];
                            int r1 = Math.Min(p.NH, r0 + rb), count = 0;
                            for (int qh = r0; qh < r1; qh++)
                                for (int s = 0; s * lanes < p.NW; s++)
                                    segs[count++] = new Segment((qh - r0) * wp + s * lanes,
                                                                (long)(p.H0 + g.SH * qh) * g.BigW + p.W0 + g.SW * s * lanes, Math.Min(lanes, p.NW - s * lanes));
                            if (count == 0) continue;
                            // Stride 2 along rows: the next phase fills the odd columns between this one's,
                            // so the two are computed together and their vectors interleaved on the store.
                            bool pair = g.SW == 2 && p.W0 == 0 && ph + 1 < np && phases[ph + 1] is var q && q.H0 == p.H0 && q.W0 == 1 && q.NH == p.NH && q.NW == p.NW;
                            fixed (T* pw = wpk[grp * np + ph], pw1 = pair ? wpk[grp * np + ph + 1] : null)
                            fixed (int* po = offs[ph], po1 = pair ? offs[ph + 1] : null)
                            {
                                if (pair)
                                {
                                    RunPair(pb, po, offs[ph].Length, pw, po1, offs[ph + 1].Length, pw1, cPad, g.BigCg, segs.AsSpan(0, count), yBase, big);
                                    ph++;
                                }
                                else Run(pb, po, offs[ph].Length, pw, cPad, g.BigCg, (T*)null, segs.AsSpan(0, count), yBase, big, g.SW);
                            }
                        }
                    }
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
            foreach (var a in wpk) ArrayPool<T>.Shared.Return(a);
        }
    }

    /// <summary>
    /// Two column phases of a stride-2 transposed convolution (even columns from phase 0, odd from
    /// phase 1, same segments): each block of both is computed into a tile, then pairs of vectors are
    /// interleaved into 2·lanes consecutive outputs and stored as whole vectors.
    /// </summary>
    private static void RunPair<T>(T* x, int* off0, int taps0, T* w0, int* off1, int taps1, T* w1, int ldw, int kCount,
                                   ReadOnlySpan<Segment> segs, T* y, nint ldy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        T* t0 = stackalloc T[R * V * Vector512<T>.Count];
        T* t1 = stackalloc T[R * V * Vector512<T>.Count];
        Span<int> at = stackalloc int[2 * V];
        Span<Segment> tileSegs = stackalloc Segment[2 * V];
        for (int v = 0; v < 2 * V; v++) tileSegs[v] = new Segment(0, v * lanes, lanes);
        for (int k0 = 0; k0 < kCount; k0 += R)
        {
            int kn = Math.Min(R, kCount - k0);
            // At most 4 channels left: the 4×6 kernel (tiles [4, 6·lanes]); otherwise 8×3 (tiles [8, 3·lanes]).
            bool narrow = kn <= R / 2;
            int per = narrow ? 2 * V : V, ld = per * lanes;
            for (int s = 0; s < segs.Length; s += per)
            {
                int cnt = Math.Min(per, segs.Length - s);
                for (int v = 0; v < per; v++) at[v] = segs[s + (v < cnt ? v : 0)].In;
                if (narrow)
                {
                    Kernel4x6(taps0, off0, w0 + k0, ldw, x, at, (T*)null, t0, tileSegs, ld);
                    Kernel4x6(taps1, off1, w1 + k0, ldw, x, at, (T*)null, t1, tileSegs, ld);
                }
                else
                {
                    Kernel(taps0, off0, w0 + k0, ldw, x + at[0], x + at[1], x + at[2], (T*)null, t0, t0 + lanes, t0 + 2 * lanes, ld);
                    Kernel(taps1, off1, w1 + k0, ldw, x + at[0], x + at[1], x + at[2], (T*)null, t1, t1 + lanes, t1 + 2 * lanes, ld);
                }
                for (int v = 0; v < cnt; v++)
                {
                    var sv = segs[s + v];
                    for (int r = 0; r < kn; r++)
                    {
                        T* a = t0 + r * ld + v * lanes, b = t1 + r * ld + v * lanes, dst = y + (k0 + r) * ldy + sv.Out;
                        if (sv.Len == lanes) Interleave(a, b, dst);
                        else
                            for (int q = 0; q < sv.Len; q++) { dst[2 * q] = a[q]; dst[2 * q + 1] = b[q]; }
                    }
                }
            }
        }
    }

    /// <summary>dst[2q] = a[q], dst[2q + 1] = b[q] for one vector each of a and b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave<T>(T* a, T* b, T* dst) where T : unmanaged
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            var va = Vector512.Load((float*)a);
            var vb = Vector512.Load((float*)b);
            Avx512F.PermuteVar16x32x2(va, Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), vb).Store((float*)dst);
            Avx512F.PermuteVar16x32x2(va, Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), vb).Store((float*)dst + 16);
        }
        else if (typeof(T) == typeof(double) && Avx512F.IsSupported)
        {
            var va = Vector512.Load((double*)a);
            var vb = Vector512.Load((double*)b);
            Avx512F.PermuteVar8x64x2(va, Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11), vb).Store((double*)dst);
            Avx512F.PermuteVar8x64x2(va, Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15), vb).Store((double*)dst + 8);
        }
        else
            for (int q = 0; q < Vector512<T>.Count; q++) { dst[2 * q] = a[q]; dst[2 * q + 1] = b[q]; }
    }
}
