namespace MiniTorch.Tests.Nn;

/// <summary>
/// Slow, obviously-correct convolutions straight from the definitions, in float64 on flat
/// row-major arrays, to test the fast kernels against. Three views of transposed convolution:
/// the adjoint written as loops, zero insertion + padding d(k−1)−p + flipped kernel, and scatter.
/// </summary>
public static class ConvReference
{
    /// <summary>y[n,k,oh,ow] = b[k] + Σ w[k,c,i,j]·x[n, g·Cg+c, oh·s−pTop+i·d, ow·s−pLeft+j·d] (zero outside).</summary>
    public static double[] Conv2d(double[] x, int[] xs, double[] w, int[] ws, double[]? b, (int H, int W) s, (int T, int L) p, (int H, int W) d, int groups, int oh, int ow)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], k = ws[0], cg = ws[1], kh = ws[2], kw = ws[3], kg = k / groups;
        var y = new double[n * k * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int ko = 0; ko < k; ko++)
                for (int yh = 0; yh < oh; yh++)
                    for (int yw = 0; yw < ow; yw++)
                    {
                        double acc = b?[ko] ?? 0;
                        int grp = ko / kg;
                        for (int ci = 0; ci < cg; ci++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int ih = yh * s.H - p.T + i * d.H, iw = yw * s.W - p.L + j * d.W;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    acc += w[((ko * cg + ci) * kh + i) * kw + j] * x[((ni * c + grp * cg + ci) * h + ih) * wd + iw];
                                }
                        y[((ni * k + ko) * oh + yh) * ow + yw] = acc;
                    }
        return y;
    }

    /// <summary>
    /// Transposed convolution as zero insertion: put s−1 zeros between input elements, pad by
    /// d(k−1)−p on each side (plus outputPadding at the end), and run a stride-1 convolution with
    /// the spatially flipped kernel whose in/out channels are swapped.
    /// </summary>
    public static double[] ConvTransposeZeroInsertion(double[] z, int[] zs, double[] w, int[] ws, double[]? b, (int H, int W) s, (int H, int W) p, (int H, int W) a, (int H, int W) d, int groups)
    {
        int n = zs[0], k = zs[1], ih = zs[2], iw = zs[3], cg = ws[1], kh = ws[2], kw = ws[3], kg = k / groups, c = cg * groups;
        int uh = (ih - 1) * s.H + 1, uw = (iw - 1) * s.W + 1;             // zero-inserted size
        int qh = d.H * (kh - 1) - p.H, qw = d.W * (kw - 1) - p.W;        // padding (negative: crop)
        int oh = uh + 2 * qh + a.H - d.H * (kh - 1), ow = uw + 2 * qw + a.W - d.W * (kw - 1);
        double U(int ni, int ki, int hh, int ww)                          // the padded, zero-inserted input
        {
            int uh0 = hh - qh, uw0 = ww - qw;
            if (uh0 < 0 || uw0 < 0 || uh0 >= uh || uw0 >= uw || uh0 % s.H != 0 || uw0 % s.W != 0) return 0;
            return z[((ni * k + ki) * ih + uh0 / s.H) * iw + uw0 / s.W];
        }
        var y = new double[n * c * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int co = 0; co < c; co++)
                for (int yh = 0; yh < oh; yh++)
                    for (int yw = 0; yw < ow; yw++)
                    {
                        double acc = b?[co] ?? 0;
                        int grp = co / cg, cl = co % cg;
                        for (int kl = 0; kl < kg; kl++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                    acc += U(ni, grp * kg + kl, yh + i * d.H, yw + j * d.W)
                                         * w[(((grp * kg + kl) * cg + cl) * kh + (kh - 1 - i)) * kw + (kw - 1 - j)];
                        y[((ni * c + co) * oh + yh) * ow + yw] = acc;
                    }
        return y;
    }

    /// <summary>
    /// Transposed convolution as scatter: every input element scales the kernel, the copy is added
    /// at (oh·s, ow·s) with taps d apart, then p is cropped from the top/left and the output is cut
    /// (or extended with zeros) to <paramref name="outH"/> × <paramref name="outW"/>.
    /// </summary>
    public static double[] ConvTransposeScatter(double[] z, int[] zs, double[] w, int[] ws, double[]? b, (int H, int W) s, (int T, int L) crop, int outH, int outW, (int H, int W) d, int groups)
    {
        int n = zs[0], k = zs[1], ih = zs[2], iw = zs[3], cg = ws[1], kh = ws[2], kw = ws[3], kg = k / groups, c = cg * groups;
        var y = new double[n * c * outH * outW];
        for (int ni = 0; ni < n; ni++)
            for (int co = 0; co < c; co++)
                for (int yh = 0; yh < outH; yh++)
                    for (int yw = 0; yw < outW; yw++)
                        y[((ni * c + co) * outH + yh) * outW + yw] = b?[co] ?? 0;
        for (int ni = 0; ni < n; ni++)
            for (int ki = 0; ki < k; ki++)
                for (int zh = 0; zh < ih; zh++)
                    for (int zw = 0; zw < iw; zw++)
                    {
                        double v = z[((ni * k + ki) * ih + zh) * iw + zw];
                        int grp = ki / kg;
                        for (int cl = 0; cl < cg; cl++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int yh = zh * s.H + i * d.H - crop.T, yw = zw * s.W + j * d.W - crop.L;
                                    if (yh < 0 || yh >= outH || yw < 0 || yw >= outW) continue;
                                    y[((ni * c + grp * cg + cl) * outH + yh) * outW + yw] += v * w[((ki * cg + cl) * kh + i) * kw + j];
                                }
                    }
        return y;
    }

    /// <summary>F.pad from the definition: out index o of a padded dim reads o − before, resolved per mode.</summary>
    public static double[] Pad(double[] x, int[] shape, int[] pad, string mode, double value, out int[] outShape)
    {
        int rank = shape.Length, k = pad.Length / 2;
        outShape = (int[])shape.Clone();
        for (int j = 0; j < k; j++) outShape[rank - 1 - j] += pad[2 * j] + pad[2 * j + 1];
        var y = new double[outShape.Aggregate(1, (p, q) => p * q)];
        var idx = new int[rank];
        for (int o = 0; o < y.Length; o++)
        {
            int rem = o, src = 0, stride = 1;
            bool fill = false;
            for (int dim = rank - 1; dim >= 0; dim--) { idx[dim] = rem % outShape[dim]; rem /= outShape[dim]; }
            for (int dim = rank - 1; dim >= 0; dim--)
            {
                int j = rank - 1 - dim, i = idx[dim] - (j < k ? pad[2 * j] : 0), nd = shape[dim];
                if (mode == "circular" && j < k)
                {
                    // Wrap around the part that negative pads leave: [cropBefore, nd − cropAfter).
                    int cb = Math.Max(-pad[2 * j], 0), kept = nd - cb - Math.Max(-pad[2 * j + 1], 0);
                    i = cb + ((idx[dim] - Math.Max(pad[2 * j], 0)) % kept + kept) % kept;
                }
                else if (i < 0 || i >= nd)
                    switch (mode)
                    {
                        case "reflect": i = i < 0 ? -i : 2 * nd - 2 - i; break;
                        case "replicate": i = i < 0 ? 0 : nd - 1; break;
                        default: fill = true; break;
                    }
                src += i * stride;
                stride *= nd;
            }
            y[o] = fill ? value : x[src];
        }
        return y;
    }
}
