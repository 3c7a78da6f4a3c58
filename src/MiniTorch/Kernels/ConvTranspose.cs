using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Transposed convolution (small → big side of a <see cref="ConvGeometry"/>), decomposed by output
/// phase (sub-pixel convolution): big rows h with the same (h + PH) mod SH receive exactly the taps i
/// with i·DH ≡ h + PH (mod SH), from small rows oh = (h + PH − i·DH)/SH. So each of the SH·SW phases
/// is a small dense convolution of the input with a sub-kernel, run as GEMM over bounded tiles,
/// and no product with an inserted zero is ever formed.
/// </summary>
internal static class ConvTranspose
{
    /// <summary>One phase: the first big row/column, how many there are, and the taps with their small-side offsets.</summary>
    private sealed record Phase(int H0, int NH, int W0, int NW, int[] TapsH, int[] BaseH, int[] TapsW, int[] BaseW);

    /// <summary>y[n, c, h, w] = b[c] + Σ_{k, oh, ow, i, j : oh·SH − PH + i·DH = h, ow·SW − PW + j·DW = w} z[n, k, oh, ow] · w[k, c, i, j].</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int big = g.H * g.W, small = g.OH * g.OW;
        if (g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PH == 0 && g.PW == 0 && g.H == g.OH && g.W == g.OW)
        {
            // 1×1 fast path: y_g = w_gᵀ · z_g, a plain GEMM per image, group and tile of pixels.
            int tile1 = Conv.TileLength(g.Kg, small), tiles1 = (small + tile1 - 1) / tile1;
            Conv.For(g.N * g.Groups * tiles1, 2L * g.N * g.K * small * g.Cg, item =>
            {
                int t = item % tiles1, grp = item / tiles1 % g.Groups, n = item / tiles1 / g.Groups;
                int p0 = t * tile1, len = Math.Min(tile1, small - p0);
                Gemm.Multiply(true, false, g.Cg, len, g.Kg, T.One, w.Span.Slice(grp * g.Kg * g.Cg, g.Kg * g.Cg), g.Cg,
                              z.Span.Slice((n * g.K + grp * g.Kg) * small + p0), small, T.Zero,
                              y.Span.Slice((n * g.C + grp * g.Cg) * big + p0), big);
            });
        }
        else
        {
            var phases = Phases(g);
            // Sub-kernels packed per (group, phase) as [Cg, Kg·|taps|] so each phase is one GEMM.
            var packed = new T[g.Groups * phases.Count][];
            for (int grp = 0; grp < g.Groups; grp++)
                for (int ph = 0; ph < phases.Count; ph++) packed[grp * phases.Count + ph] = Pack(g, w.Span, grp, phases[ph]);
            var items = new List<(int Phase, int P0, int Len)>();
            for (int ph = 0; ph < phases.Count; ph++)
            {
                var p = phases[ph];
                int pixels = p.NH * p.NW, rows = g.Kg * p.TapsH.Length * p.TapsW.Length;
                if (pixels == 0 || rows == 0) continue; // no taps: these outputs stay zero (plus bias)
                int tile = Conv.TileLength(Math.Max(rows, g.Cg), pixels);
                for (int p0 = 0; p0 < pixels; p0 += tile) items.Add((ph, p0, Math.Min(tile, pixels - p0)));
            }
            Conv.For(g.N * g.Groups * items.Count, 2L * g.N * g.K * small * g.Cg * g.KH * g.KW, item =>
            {
                var (ph, p0, len) = items[item % items.Count];
                int grp = item / items.Count % g.Groups, n = item / items.Count / g.Groups;
                var p = phases[ph];
                int rows = g.Kg * p.TapsH.Length * p.TapsW.Length;
                var col = ArrayPool<T>.Shared.Rent(rows * len);
                var outTile = ArrayPool<T>.Shared.Rent(g.Cg * len);
                PhaseCols(g, p, z.Span.Slice((n * g.K + grp * g.Kg) * small, g.Kg * small), p0, len, col.AsSpan(0, rows * len));
                Conv.Multiply(false, g.Cg, len, rows, packed[grp * phases.Count + ph], rows,
                              col.AsSpan(0, rows * len), len, false, outTile.AsSpan(0, g.Cg * len), len);
                Scatter(g, p, outTile.AsSpan(0, g.Cg * len), p0, len, y.Span.Slice((n * g.C + grp * g.Cg) * big, g.Cg * big));
                ArrayPool<T>.Shared.Return(col);
                ArrayPool<T>.Shared.Return(outTile);
            });
        }
        if (!bias.IsEmpty)
            Conv.For(g.N * g.C, (long)g.N * g.C * big, nc =>
            {
                var plane = y.Span.Slice(nc * big, big);
                TensorPrimitives.Add(plane, bias.Span[nc % g.C], plane);
            });
    }

    private static List<Phase> Phases(in ConvGeometry g)
    {
        var list = new List<Phase>();
        for (int h0 = 0; h0 < Math.Min(g.SH, g.H); h0++)
        {
            var (tapsH, baseH) = Taps(h0, g.PH, g.SH, g.DH, g.KH);
            int nh = (g.H - h0 + g.SH - 1) / g.SH;
            for (int w0 = 0; w0 < Math.Min(g.SW, g.W); w0++)
            {
                var (tapsW, baseW) = Taps(w0, g.PW, g.SW, g.DW, g.KW);
                list.Add(new Phase(h0, nh, w0, (g.W - w0 + g.SW - 1) / g.SW, tapsH, baseH, tapsW, baseW));
            }
        }
        return list;
    }

    /// <summary>Taps i with i·d ≡ start + pad (mod s), and the small index of the phase's first output for each.</summary>
    private static (int[] Taps, int[] Base) Taps(int start, int pad, int stride, int dilation, int kernel)
    {
        var taps = new List<int>();
        var bases = new List<int>();
        for (int i = 0; i < kernel; i++)
        {
            int num = start + pad - i * dilation;
            if (Conv.FloorDiv(num, stride) * stride != num) continue;
            taps.Add(i);
            bases.Add(num / stride);
        }
        return ([.. taps], [.. bases]);
    }

    private static T[] Pack<T>(in ConvGeometry g, ReadOnlySpan<T> w, int grp, Phase p) where T : unmanaged
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length, rows = g.Kg * th * tw;
        var packed = new T[g.Cg * rows];
        for (int c = 0; c < g.Cg; c++)
            for (int k = 0; k < g.Kg; k++)
                for (int a = 0; a < th; a++)
                    for (int b = 0; b < tw; b++)
                        packed[c * rows + (k * th + a) * tw + b] = w[(((grp * g.Kg + k) * g.Cg + c) * g.KH + p.TapsH[a]) * g.KW + p.TapsW[b]];
        return packed;
    }

    /// <summary>col[(k, a, b), q] = z[k, BaseH[a] + qh, BaseW[b] + qw] for phase pixels q = (qh, qw), zero outside the input.</summary>
    private static void PhaseCols<T>(in ConvGeometry g, Phase p, ReadOnlySpan<T> zImg, int p0, int len, Span<T> col) where T : unmanaged
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        for (int k = 0; k < g.Kg; k++)
            for (int a = 0; a < th; a++)
                for (int b = 0; b < tw; b++)
                {
                    var dst = col.Slice(((k * th + a) * tw + b) * len, len);
                    int bw = p.BaseW[b];
                    int qwLo = Math.Max(0, -bw), qwHi = Math.Min(p.NW, g.OW - bw);
                    for (int pos = 0, pix = p0; pos < len;)
                    {
                        int qh = pix / p.NW, qw0 = pix - qh * p.NW, cnt = Math.Min(p.NW - qw0, len - pos);
                        var seg = dst.Slice(pos, cnt);
                        int oh = p.BaseH[a] + qh;
                        int lo = Math.Max(qw0, qwLo), hi = Math.Min(qw0 + cnt, qwHi);
                        if (oh < 0 || oh >= g.OH || hi <= lo) seg.Clear();
                        else
                        {
                            seg[..(lo - qw0)].Clear();
                            seg[(hi - qw0)..].Clear();
                            zImg.Slice((k * g.OH + oh) * g.OW + lo + bw, hi - lo).CopyTo(seg.Slice(lo - qw0));
                        }
                        pos += cnt; pix += cnt;
                    }
                }
    }

    /// <summary>Writes a phase tile [Cg, len] to its big positions (H0 + SH·qh, W0 + SW·qw), one phase row segment at a time.</summary>
    private static void Scatter<T>(in ConvGeometry g, Phase p, ReadOnlySpan<T> tile, int p0, int len, Span<T> yImg) where T : unmanaged
    {
        for (int c = 0; c < g.Cg; c++)
        {
            var src = tile.Slice(c * len, len);
            for (int pos = 0, pix = p0; pos < len;)
            {
                int qh = pix / p.NW, qw0 = pix - qh * p.NW, cnt = Math.Min(p.NW - qw0, len - pos);
                var seg = src.Slice(pos, cnt);
                var yRow = yImg.Slice((c * g.H + p.H0 + g.SH * qh) * g.W, g.W);
                if (g.SW == 1) seg.CopyTo(yRow.Slice(p.W0 + qw0, cnt));
                else for (int q = 0, at = p.W0 + g.SW * qw0; q < cnt; q++, at += g.SW) yRow[at] = seg[q];
                pos += cnt; pix += cnt;
            }
        }
    }
}
