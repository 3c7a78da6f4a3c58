using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

internal static unsafe partial class ConvDirect
{
    /// <summary>
    /// Route <see cref="ConvRoute.DirectRows"/>: the convolution's forward in any rank (any stride, padding,
    /// dilation, groups) with the direct kernel. Work items are (image, group, output depth, block of
    /// output rows); each copies the block's input rows, for every input channel and depth tap, into a
    /// buffer [Cg, KD, rowsIn, SW, Wp] that splits every row by column phase: element u of phase re is
    /// x[…, SW·(u + qMin) + re] (zero outside). Tap j, at column offset e = j·DW − PW = SW·qe + re,
    /// then reads phase re at u = ow + qe − qMin: consecutive outputs read consecutive elements, so
    /// strided convolutions vectorise like unit-stride ones and every load is in bounds.
    /// </summary>
    /// <remarks>
    /// y[n, k, oh, ow] = b[k] + Σ_{c,i,j} w[k, c, i, j] · x[n, g·Cg + c, oh·SH − PH + i·DH, ow − PW + j·DW].
    /// y's channels are <paramref name="ldc"/> elements apart and its images <paramref name="ldn"/> (0: contiguous,
    /// SmallPlane and SmallC·SmallPlane), each channel's planes and rows contiguous: a row range of a taller tensor.
    /// </remarks>
    public static void Conv2dForward<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y,
                                        long ldc = 0, long ldn = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        int taps = g.BigCg * g.Taps, kPad = RoundUp(g.SmallCg, R);
        int segsPerRow = (g.SmallW + lanes - 1) / lanes;
        int sw = g.SW, qMin = Shape.FloorDiv(-g.PW, sw), qMax = Shape.FloorDiv((g.KW - 1) * g.DW - g.PW, sw);
        int wp = segsPerRow * lanes + (qMax - qMin), rowLen = sw * wp;
        // Rows per item: the padded input rows fit the buffer budget; at least ~16 items for balance.
        int rowBytes = g.BigCg * g.KD * rowLen * sizeof(T) * g.SH;
        int rb = Math.Clamp(BufferBudget / Math.Max(rowBytes, 1), 1, g.SmallH);
        int wanted = Math.Max(1, 16 / Math.Max(1, g.N * g.Groups));
        rb = Math.Min(rb, Math.Max(1, (g.SmallH + wanted - 1) / wanted));
        int blocks = (g.SmallH + rb - 1) / rb;
        int rowsIn = (rb - 1) * g.SH + (g.KH - 1) * g.DH + 1;
        nint plane = (nint)rowsIn * rowLen;

        // An unpadded unit-stride 1×1 over rows that fill whole vectors (FSRCNN's shrinking and expanding layers): the
        // padded buffer would be a copy of the input rows, so the micro-kernel reads x in place (same taps, same values).
        int hw = g.BigH * g.BigW;
        bool inPlace = g.Taps == 1 && g.PH == 0 && g.PW == 0 && g.PD == 0 && g.SH == 1 && sw == 1 && g.SD == 1
                       && g.SmallW % lanes == 0 && (long)g.BigCg * g.BigD * hw <= int.MaxValue;
        if (inPlace) plane = (nint)g.BigD * hw;

        var (wpk, bpk) = PackForward(g, w, bias, kPad);
        var off = ArrayPool<int>.Shared.Rent(taps);
        try
        {
            // Taps (c, a, i, j) in the weight's order; depth tap a reads its own copy of the rows (input plane od·SD − PD + a·DD).
            for (int c = 0, t = 0; c < g.BigCg; c++)
                for (int a = 0; a < g.KD; a++)
                    for (int i = 0; i < g.KH; i++)
                        for (int j = 0; j < g.KW; j++)
                        {
                            int e = j * g.DW - g.PW, qe = Shape.FloorDiv(e, sw), re = e - qe * sw;
                            off[t++] = (int)((c * g.KD + a) * plane + i * g.DH * rowLen + re * wp + (qe - qMin));
                        }

            int pixels = g.SmallPlane;
            if (ldc == 0) ldc = pixels;
            if (ldn == 0) ldn = g.SmallC * ldc;
            Threading.For(g.N * g.Groups * g.SmallD * blocks, 2L * g.N * g.SmallC * pixels * taps, item =>
            {
                int blk = item % blocks, od = item / blocks % g.SmallD, grp = item / blocks / g.SmallD % g.Groups, n = item / blocks / g.SmallD / g.Groups;
                int r0 = blk * rb, r1 = Math.Min(g.SmallH, r0 + rb);
                long yOffset = n * ldn + grp * g.SmallCg * ldc + (long)od * g.SmallH * g.SmallW;
                if (inPlace)
                {
                    // Tap c reads channel c's plane od of this image and group; segments are the output's own pixels.
                    var direct = ArrayPool<Segment>.Shared.Rent((r1 - r0) * segsPerRow);
                    try
                    {
                        int count = 0;
                        for (int oh = r0; oh < r1; oh++)
                            for (int s = 0; s < segsPerRow; s++)
                                direct[count++] = new Segment(oh * g.BigW + s * lanes, (long)oh * g.SmallW + s * lanes, lanes);
                        RunForward(x.Span.Slice(((n * g.BigC + grp * g.BigCg) * g.BigD + od) * hw), off, taps, wpk, bpk, grp, kPad, g.SmallCg,
                                   direct.AsSpan(0, count), y.Span, yOffset, (nint)ldc);
                    }
                    finally { ArrayPool<Segment>.Shared.Return(direct); }
                    return;
                }
                var buf = ArrayPool<T>.Shared.Rent((int)(g.BigCg * g.KD * plane));
                var segs = ArrayPool<Segment>.Shared.Rent((r1 - r0) * segsPerRow);
                try
                {
                    var xs = x.Span;
                    for (int ca = 0; ca < g.BigCg * g.KD; ca++)
                    {
                        int c = ca / g.KD, id = od * g.SD - g.PD + ca % g.KD * g.DD;
                        if (id < 0 || id >= g.BigD)
                        {
                            buf.AsSpan((int)(ca * plane), (int)plane).Clear();
                            continue;
                        }
                        var xc = xs.Slice(((n * g.BigC + grp * g.BigCg + c) * g.BigD + id) * hw, hw);
                        for (int rr = 0; rr < rowsIn; rr++)
                        {
                            int ih = r0 * g.SH - g.PH + rr;
                            var dst = buf.AsSpan((int)(ca * plane + rr * rowLen), rowLen);
                            if (ih < 0 || ih >= g.BigH) dst.Clear();
                            else if (sw == 1) PadRow(xc.Slice(ih * g.BigW, g.BigW), qMin, dst);
                            else
                                for (int re = 0; re < sw; re++)
                                    GatherRow(xc.Slice(ih * g.BigW, g.BigW), qMin * sw + re, sw, dst.Slice(re * wp, wp));
                        }
                    }
                    int count = 0;
                    for (int oh = r0; oh < r1; oh++)
                        for (int s = 0; s < segsPerRow; s++)
                            segs[count++] = new Segment((oh - r0) * g.SH * rowLen + s * lanes, (long)oh * g.SmallW + s * lanes, Math.Min(lanes, g.SmallW - s * lanes));
                    RunForward(buf, off, taps, wpk, bpk, grp, kPad, g.SmallCg, segs.AsSpan(0, count), y.Span, yOffset, (nint)ldc);
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
            ArrayPool<int>.Shared.Return(off);
        }
    }

    /// <summary>dst[u] = src[start + u·stride] where that is inside src, zero elsewhere.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void GatherRow<T>(ReadOnlySpan<T> src, int start, int stride, Span<T> dst) where T : unmanaged
    {
        for (int u = 0; u < dst.Length; u++)
        {
            int at = start + u * stride;
            dst[u] = (uint)at < (uint)src.Length ? src[at] : default;
        }
    }
}
