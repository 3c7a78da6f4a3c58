using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>The pixel-major channels-last weight gradient of unit-stride layers from zero-padded planes, without columns.</summary>
internal static unsafe partial class ConvWeightGradChannelsLast
{
    /// <summary>
    /// Elements of the padded channels-last planes one <see cref="PaddedPlanes{T}"/> unit copies, with its
    /// padded output gradient: about L2, so the nine (KD·KH) GEMMs of a unit re-read them from there.
    /// </summary>
    private static int PaddedPlanesBudget => Math.Max(1 << 16, CacheInfo.L2 / 4);

    /// <summary>
    /// Whether <see cref="PaddedPlanes{T}"/> computes the geometry: unit strides and column dilation (each
    /// output row's taps j then read one contiguous run of the padded row), and one unit's planes within
    /// four times <see cref="PaddedPlanesBudget"/>.
    /// </summary>
    internal static bool PaddedPlanesApply(in ConvGeometry g)
    {
        if (g.SD != 1 || g.SH != 1 || g.SW != 1 || g.DW != 1 || g.SmallPlane == 0) return false;
        long planeP = (long)(g.SmallH + (g.KH - 1) * g.DH) * (g.SmallW + g.KW - 1);
        return (1 + (g.KD - 1) * (long)g.DD) * planeP * g.BigCg + planeP * g.SmallCg <= 4L * PaddedPlanesBudget;
    }

    /// <summary>Whether every value is finite (a sum is: an overflow only sends the call to the other path).</summary>
    private static bool AllFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> => T.IsFinite(TensorPrimitives.Sum(x));

    /// <summary>
    /// The pixel-major weight gradient for unit-stride layers without building columns. A unit (image, block
    /// of output depths) copies the input it reads into zero-padded channels-last planes
    /// xP[(d, h′, w′), c] (h′ = oh + i·DH, w′ = ow + j) and its output gradient into gyP[q, k] on the same
    /// grid (q = (d, h′, w′); zero where h′ ≥ SmallH or w′ ≥ SmallW). For each depth and row tap (a, i),
    /// column q of the im2col matrix restricted to taps (a, i, ·, ·) is then the run xP[base(a, i) + q·C_g …
    /// + KW·C_g): a matrix with row stride C_g that GEMM packs straight from xP. Its products are the
    /// partial rows (a, i, j, c) × K_g; the padded grid's extra positions multiply a zero gradient by a
    /// finite input (non-finite inputs take the column route, so no 0·∞ appears where PyTorch has none).
    /// Units are summed per chunk in order and the chunks in chunk order, as the column route does:
    /// bitwise the same for any thread count.
    /// </summary>
    private static void PaddedPlanes<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cg = g.BigCg, kg = g.SmallCg, kk = g.Taps, rows = cg * kk, size = kg * rows;
        int wp = g.SmallW + g.KW - 1, hp = g.SmallH + (g.KH - 1) * g.DH, planeP = hp * wp, reach = (g.KD - 1) * g.DD;
        int db = (int)Math.Clamp((long)PaddedPlanesBudget / ((long)planeP * (cg + kg)) - reach, 1, g.SmallD);
        int dBlocks = (g.SmallD + db - 1) / db, units = g.N * dBlocks;
        int chunks = Math.Min(units, Math.Clamp(PartialBudget / Math.Max(g.Groups * size, 1), 1, MaxChunks));
        int plane = g.BigPlane, bigHW = g.BigH * g.BigW, smallHW = g.SmallH * g.SmallW, m = g.KW * cg;
        int xLen = (db + reach) * planeP * cg, gyLen = kg * db * planeP;
        var partial = ArrayPool<T>.Shared.Rent(g.Groups * chunks * size);
        Threading.For(g.Groups * chunks, 2L * g.N * g.SmallC * g.SmallPlane * rows, item =>
        {
            int ch = item % chunks, grp = item / chunks;
            var xP = ArrayPool<T>.Shared.Rent(xLen);
            var gyP = ArrayPool<T>.Shared.Rent(gyLen);
            long first = (long)units * ch / chunks;
            for (long u = first; u < (long)units * (ch + 1) / chunks; u++)
            {
                int n = (int)(u / dBlocks), od0 = (int)(u % dBlocks) * db, nd = Math.Min(db, g.SmallD - od0), planes = nd + reach;
                var xs = x.Span.Slice((n * g.BigC + grp * cg) * plane, cg * plane);
                var xd = xP.AsSpan(0, planes * planeP * cg);
                // xP[(d, h′, w′), c] = x[c, od0 − PD + d, h′ − PH, w′ − PW], zero outside.
                for (int d = 0; d < planes; d++)
                {
                    int id = od0 - g.PD + d;
                    for (int hh = 0; hh < hp; hh++)
                    {
                        var row = xd.Slice((d * hp + hh) * wp * cg, wp * cg);
                        int ih = hh - g.PH;
                        if (id < 0 || id >= g.BigD || ih < 0 || ih >= g.BigH)
                        {
                            row.Clear();
                            continue;
                        }
                        int w0 = Math.Clamp(g.PW, 0, wp), w1 = Math.Clamp(g.BigW + g.PW, w0, wp);
                        row[..(w0 * cg)].Clear();
                        row[(w1 * cg)..].Clear();
                        if (w1 > w0) ChannelsLast(xs, cg, plane, id * bigHW + ih * g.BigW + w0 - g.PW, w1 - w0, row[(w0 * cg)..]);
                    }
                }
                // gyP[(d, h′, w′), k] = gy[k, od0 + d, h′, w′] for h′ < SmallH, w′ < SmallW, else zero: position-major,
                // so GEMM packs its panels with contiguous copies.
                int kLen = ((nd - 1) * hp + g.SmallH - 1) * wp + g.SmallW;
                var gyd = gyP.AsSpan(0, kLen * kg);
                var gyImg = gy.Span.Slice((n * g.SmallC + grp * kg) * g.SmallPlane, kg * g.SmallPlane);
                for (int d = 0; d < nd; d++)
                    for (int oh = 0; oh < (d == nd - 1 ? g.SmallH : hp); oh++)
                    {
                        int q0 = (d * hp + oh) * wp, len = Math.Min(wp, kLen - q0);
                        var r = gyd.Slice(q0 * kg, len * kg);
                        if (oh < g.SmallH)
                        {
                            ChannelsLast(gyImg, kg, g.SmallPlane, (od0 + d) * smallHW + oh * g.SmallW, g.SmallW, r);
                            r[(g.SmallW * kg)..].Clear();
                        }
                        else r.Clear();
                    }
                T beta = u != first ? T.One : T.Zero;
                fixed (T* px = xP, pg = gyP, pacc = partial)
                {
                    T* acc = pacc + (long)(grp * chunks + ch) * size;
                    for (int a = 0; a < g.KD; a++)
                        for (int i = 0; i < g.KH; i++)
                        {
                            T* pa = px + ((long)a * g.DD * hp + (long)i * g.DH) * wp * cg;
                            Gemm.Multiply(true, false, m, kg, kLen, T.One, pa, cg, pg, kg, beta, acc + (long)(a * g.KH + i) * g.KW * cg * kg, kg, parallel: false);
                        }
                }
            }
            ArrayPool<T>.Shared.Return(xP);
            ArrayPool<T>.Shared.Return(gyP);
        });
        ReducePixelMajor(g, partial, chunks, gw);
        ArrayPool<T>.Shared.Return(partial);
    }
}
