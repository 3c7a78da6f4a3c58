using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// Route <see cref="ConvRoute.Reference"/>: the three passes as plain scalar loops over the
/// definition, in every rank. It is the oracle every other route is tested against, and the last
/// resort of the planner; it is written to be read, not to be fast.
/// </summary>
internal static class Reference
{
    /// <summary>
    /// The one index map of all three passes: calls <paramref name="tap"/>(big offset, small offset,
    /// weight offset) within one image and group pair, for every small position o and tap t whose big
    /// position o·s − p + t·d lies inside the big side (taps on the padding contribute zero and are skipped).
    /// </summary>
    private static void ForEachTap(ConvGeometry g, Action<int, int, int> tap)
    {
        for (int k = 0; k < g.SmallCg; k++)
            for (int c = 0; c < g.BigCg; c++)
                for (int od = 0; od < g.SmallD; od++)
                    for (int oh = 0; oh < g.SmallH; oh++)
                        for (int ow = 0; ow < g.SmallW; ow++)
                            for (int a = 0; a < g.KD; a++)
                                for (int i = 0; i < g.KH; i++)
                                    for (int j = 0; j < g.KW; j++)
                                    {
                                        int d = od * g.SD - g.PD + a * g.DD, h = oh * g.SH - g.PH + i * g.DH, w = ow * g.SW - g.PW + j * g.DW;
                                        if (d < 0 || d >= g.BigD || h < 0 || h >= g.BigH || w < 0 || w >= g.BigW) continue;
                                        tap(((c * g.BigD + d) * g.BigH + h) * g.BigW + w,
                                            ((k * g.SmallD + od) * g.SmallH + oh) * g.SmallW + ow,
                                            (((k * g.BigCg + c) * g.KD + a) * g.KH + i) * g.KW + j);
                                    }
    }

    /// <summary>Forward (big → small): y[n, k, o] = b[k] + Σ_{c, t} w[k, c, t]·x[n, c, o·s − p + t·d].</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xs, ws, ys) = (x.ToArray(), w.ToArray(), new T[y.Length]);
        ForEachImageGroup(g, (n, grp) =>
        {
            int xb = (n * g.BigC + grp * g.BigCg) * g.BigPlane, yb = (n * g.SmallC + grp * g.SmallCg) * g.SmallPlane, wb = grp * g.SmallCg * g.BigCg * g.Taps;
            ForEachTap(g, (bi, si, wi) => ys[yb + si] = Simd.Fma(ws[wb + wi], xs[xb + bi], ys[yb + si]));
        });
        if (!bias.IsEmpty)
            for (int i = 0; i < ys.Length; i++) ys[i] += bias[i / g.SmallPlane % g.SmallC];
        ys.CopyTo(y);
    }

    /// <summary>Input gradient (small → big, the transposed convolution without bias): y[n, c, o·s − p + t·d] += w[k, c, t]·z[n, k, o].</summary>
    public static void InputGrad<T>(ConvGeometry g, ReadOnlySpan<T> z, ReadOnlySpan<T> w, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (zs, ws, ys) = (z.ToArray(), w.ToArray(), new T[y.Length]);
        ForEachImageGroup(g, (n, grp) =>
        {
            int yb = (n * g.BigC + grp * g.BigCg) * g.BigPlane, zb = (n * g.SmallC + grp * g.SmallCg) * g.SmallPlane, wb = grp * g.SmallCg * g.BigCg * g.Taps;
            ForEachTap(g, (bi, si, wi) => ys[yb + bi] = Simd.Fma(ws[wb + wi], zs[zb + si], ys[yb + bi]));
        });
        ys.CopyTo(y);
    }

    /// <summary>Weight gradient: gw[k, c, t] = Σ_{n, o} gy[n, k, o]·x[n, c, o·s − p + t·d].</summary>
    public static void WeightGrad<T>(ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> gy, Span<T> gw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (xs, gs, ws) = (x.ToArray(), gy.ToArray(), new T[gw.Length]);
        ForEachImageGroup(g, (n, grp) =>
        {
            int xb = (n * g.BigC + grp * g.BigCg) * g.BigPlane, gb = (n * g.SmallC + grp * g.SmallCg) * g.SmallPlane, wb = grp * g.SmallCg * g.BigCg * g.Taps;
            ForEachTap(g, (bi, si, wi) => ws[wb + wi] = Simd.Fma(gs[gb + si], xs[xb + bi], ws[wb + wi]));
        });
        ws.CopyTo(gw);
    }

    private static void ForEachImageGroup(ConvGeometry g, Action<int, int> body)
    {
        for (int n = 0; n < g.N; n++)
            for (int grp = 0; grp < g.Groups; grp++) body(n, grp);
    }
}
