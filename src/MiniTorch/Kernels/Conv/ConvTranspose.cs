using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    internal sealed record Phase(int H0, int NH, int W0, int NW, int[] TapsH, int[] BaseH, int[] TapsW, int[] BaseW);

    /// <summary>
    /// Route <see cref="ConvRoute.PointwiseTransposedGemm"/> (1×1, any rank): y_g = w_gᵀ · z_g, a plain
    /// GEMM per image, group and tile of pixels.
    /// </summary>
    public static void PointwiseGemm<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int big = g.BigPlane, small = g.SmallPlane;
        int tile1 = Conv.TileLength(g.SmallCg, small), tiles1 = (small + tile1 - 1) / tile1;
        Threading.For(g.N * g.Groups * tiles1, 2L * g.N * g.SmallC * small * g.BigCg, item =>
        {
            int t = item % tiles1, grp = item / tiles1 % g.Groups, n = item / tiles1 / g.Groups;
            int p0 = t * tile1, len = Math.Min(tile1, small - p0);
            Gemm.Multiply(true, false, g.BigCg, len, g.SmallCg, T.One, w.Span.Slice(grp * g.SmallCg * g.BigCg, g.SmallCg * g.BigCg), g.BigCg,
                          z.Span.Slice((n * g.SmallC + grp * g.SmallCg) * small + p0), small, T.Zero,
                          y.Span.Slice((n * g.BigC + grp * g.BigCg) * big + p0), big, parallel: false);
        });
    }

    /// <summary>
    /// Route <see cref="ConvRoute.OnePixelGemm"/>: one input pixel whose kernel copy exactly fills the
    /// output (a generator's first layer, z [N, K, 1…] → [N, C, k…]): y[n, (c, t)] = Σ_k z[n, k]·w[k, (c, t)],
    /// one GEMM. The phase routes would gather one valid tap per output pixel and multiply zeros for the rest.
    /// </summary>
    public static void OnePixelGemm<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cols = g.BigC * g.Taps;
        Gemm.Multiply(false, false, g.N, cols, g.SmallC, T.One, z.Span, g.SmallC, w.Span, cols, T.Zero, y.Span, cols);
    }

    /// <summary>Whether one input pixel's kernel copy is exactly the output (<see cref="OnePixelGemm"/>).</summary>
    internal static bool IsOnePixel(in ConvGeometry g) =>
        g.SmallPlane == 1 && g.BigD == g.KD && g.BigH == g.KH && g.BigW == g.KW && g.PD == 0 && g.PH == 0 && g.PW == 0 && g.Groups == 1;

    /// <summary>
    /// Route <see cref="ConvRoute.PhaseGemm"/> (2-d): every output phase is a small dense convolution
    /// with its sub-kernel, run as GEMM over bounded tiles (or small images side by side); phases
    /// without taps stay zero.
    /// </summary>
    public static void PhaseGemm<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int big = g.BigH * g.BigW, small = g.SmallH * g.SmallW;
        var phases = Phases(g);
        // Sub-kernels packed per (group, phase) as [Kg·|taps|, Cg] so each phase is one GEMM.
        // Pooled: together they are as large as the weight, and a training step calls this per layer.
        // Few big-side channels (8 … 32, e.g. a generator's 64→32 layer): the GEMM runs pixel-major,
        // outᵀ[q, c] = colᵀ·Wᵀ, so the many pixels fill the micro-kernel's rows and the channels
        // exactly its columns, instead of C_g rows padding a 14-row register tile.
        bool pixelMajor = g.BigCg >= 8 && g.BigCg <= 32;
        var packed = new T[g.Groups * phases.Count][];
        // One item per (group, phase) sub-kernel, on all cores (each writes its own array).
        Threading.For(packed.Length, (long)g.SmallC * g.BigCg * g.KH * g.KW * 64, item =>
            packed[item] = Pack(g, w.Span, item / phases.Count, phases[item % phases.Count]));
        try
        {
            // Items: (phase, first pixel, length) within one image, or, for small images, (phase,
            // first image, image count) with whole images side by side in one tile, so the packed
            // sub-kernel is multiplied by many columns per GEMM (DCGAN's small early layers).
            var items = new List<(int Phase, int P0, int Len, int Images)>();
            bool batched = g.N > 1;
            foreach (var p in phases)
                batched &= p.NH * p.NW * 2 <= Conv.TileCapacity(Math.Max(g.SmallCg * p.TapsH.Length * p.TapsW.Length, g.BigCg));
            for (int ph = 0; ph < phases.Count; ph++)
            {
                var p = phases[ph];
                int pixels = p.NH * p.NW, rows = g.SmallCg * p.TapsH.Length * p.TapsW.Length;
                if (pixels == 0 || rows == 0) continue; // no taps: these outputs stay zero (plus bias)
                int tile = Conv.TileLength(Math.Max(rows, g.BigCg), pixels);
                int perTile = batched ? Conv.TileCapacity(Math.Max(rows, g.BigCg)) / pixels : 0;
                if (perTile > 0)
                    for (int n0 = 0; n0 < g.N; n0 += perTile) items.Add((ph, n0, Math.Min(perTile, g.N - n0) * pixels, Math.Min(perTile, g.N - n0)));
                else
                    for (int p0 = 0; p0 < pixels; p0 += tile) items.Add((ph, p0, Math.Min(tile, pixels - p0), 0));
            }
            int imagesOuter = batched ? 1 : g.N;
            Threading.For(imagesOuter * g.Groups * items.Count, 2L * g.N * g.SmallC * small * g.BigCg * g.KH * g.KW, item =>
            {
                var (ph, p0, len, images) = items[item % items.Count];
                int grp = item / items.Count % g.Groups, n = item / items.Count / g.Groups;
                var p = phases[ph];
                int rows = g.SmallCg * p.TapsH.Length * p.TapsW.Length, pixels = p.NH * p.NW;
                var outTile = ArrayPool<T>.Shared.Rent(g.BigCg * len);
                var tile = outTile.AsSpan(0, g.BigCg * len);
                var kernel = packed[grp * phases.Count + ph];
                // Element (c, q) of the output tile: c·len + q, or q·Cg + c when pixel-major.
                int ldC = pixelMajor ? 1 : len, ldP = pixelMajor ? g.BigCg : 1;
                if (images > 0)
                {
                    // Whole images side by side: the column matrix (pixel-major: its transpose) goes straight into
                    // GEMM's packed panels.
                    var zs = z.Span[((p0 * g.SmallC + grp * g.SmallCg) * small)..];
                    if (pixelMajor) PhaseRowPanels<T>.Multiply(g, p, zs, rows, len, g.BigCg, kernel, tile);
                    else PhasePanels<T>.Multiply(g, p, zs, rows, len, kernel, tile);
                    for (int i = 0; i < images; i++)
                        Scatter(g, p, outTile.AsSpan(i * pixels * ldP), 0, pixels, ldC, ldP, y.Span.Slice(((p0 + i) * g.BigC + grp * g.BigCg) * big, g.BigCg * big));
                }
                else
                {
                    var col = ArrayPool<T>.Shared.Rent(rows * len);
                    PhaseCols(g, p, z.Span.Slice((n * g.SmallC + grp * g.SmallCg) * small, g.SmallCg * small), p0, len, col, len);
                    if (pixelMajor)
                        Gemm.Multiply(true, false, len, g.BigCg, rows, T.One, col.AsSpan(0, rows * len), len, kernel, g.BigCg, T.Zero, tile, g.BigCg, parallel: false);
                    else
                        // The sub-kernel is stored [rows, Cg], so GEMM packs it with contiguous copies (transA).
                        Gemm.Multiply(true, false, g.BigCg, len, rows, T.One, kernel, g.BigCg, col.AsSpan(0, rows * len), len, T.Zero, tile, len, parallel: false);
                    Scatter(g, p, outTile, p0, len, ldC, ldP, y.Span.Slice((n * g.BigC + grp * g.BigCg) * big, g.BigCg * big));
                    ArrayPool<T>.Shared.Return(col);
                }
                ArrayPool<T>.Shared.Return(outTile);
            });
        }
        finally
        {
            foreach (var a in packed) ArrayPool<T>.Shared.Return(a);
        }
    }

    /// <summary>Adds the bias to every big-side plane (the transposed routes leave it out; phases without taps get it too).</summary>
    public static void AddBias<T>(in ConvGeometry g, ReadOnlyMemory<T> bias, Memory<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias.IsEmpty) return;
        // In chunks, so that one big plane (C_out = 1: FSRCNN's 33 MB output) is shared by all threads.
        const int chunk = 1 << 16;
        int big = g.BigPlane, chunks = (big + chunk - 1) / chunk, channels = g.BigC;
        Threading.For(g.N * channels * chunks, (long)g.N * channels * big, item =>
        {
            int nc = item / chunks, p0 = item % chunks * chunk;
            var part = y.Span.Slice(nc * big + p0, Math.Min(chunk, big - p0));
            TensorPrimitives.Add(part, bias.Span[nc % channels], part);
        });
    }

    internal static List<Phase> Phases(in ConvGeometry g)
    {
        var list = new List<Phase>();
        for (int h0 = 0; h0 < Math.Min(g.SH, g.BigH); h0++)
        {
            var (tapsH, baseH) = Taps(h0, g.PH, g.SH, g.DH, g.KH);
            int nh = (g.BigH - h0 + g.SH - 1) / g.SH;
            for (int w0 = 0; w0 < Math.Min(g.SW, g.BigW); w0++)
            {
                var (tapsW, baseW) = Taps(w0, g.PW, g.SW, g.DW, g.KW);
                list.Add(new Phase(h0, nh, w0, (g.BigW - w0 + g.SW - 1) / g.SW, tapsH, baseH, tapsW, baseW));
            }
        }
        return list;
    }

    /// <summary>
    /// Per tap (a, b) of phase <paramref name="p"/> and phase pixel q = (qh, qw): the offset in the input plane of the element the
    /// phase column matrix holds, z[BaseH[a] + qh, BaseW[b] + qw], or −1 outside the input (the panel sources' gather table).
    /// </summary>
    internal static int[] PhaseOffsets(in ConvGeometry g, Phase p)
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        var offsets = new int[th * tw * p.NH * p.NW];
        for (int a = 0; a < th; a++)
            for (int b = 0; b < tw; b++)
                for (int qh = 0; qh < p.NH; qh++)
                    for (int qw = 0; qw < p.NW; qw++)
                    {
                        int h = p.BaseH[a] + qh, w = p.BaseW[b] + qw;
                        offsets[((a * tw + b) * p.NH + qh) * p.NW + qw] = h >= 0 && h < g.SmallH && w >= 0 && w < g.SmallW ? h * g.SmallW + w : -1;
                    }
        return offsets;
    }

    /// <summary>Taps i with i·d ≡ start + pad (mod s), and the small index of the phase's first output for each.</summary>
    internal static (int[] Taps, int[] Base) Taps(int start, int pad, int stride, int dilation, int kernel)
    {
        var taps = new List<int>();
        var bases = new List<int>();
        for (int i = 0; i < kernel; i++)
        {
            int num = start + pad - i * dilation;
            if (Shape.FloorDiv(num, stride) * stride != num) continue;
            taps.Add(i);
            bases.Add(num / stride);
        }
        return ([.. taps], [.. bases]);
    }

    /// <summary>The phase's sub-kernel as [rows, Cg] (rows = (k, a, b)): GEMM reads it as op(A) = its transpose, or as B when pixel-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static unsafe T[] Pack<T>(in ConvGeometry g, ReadOnlySpan<T> w, int grp, Phase p) where T : unmanaged
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length, taps = th * tw, rows = g.SmallCg * taps, cg = g.BigCg;
        var packed = ArrayPool<T>.Shared.Rent(cg * rows);
        int kk = g.KH * g.KW;
        Span<int> tap = stackalloc int[taps];
        for (int a = 0; a < th; a++)
            for (int b = 0; b < tw; b++) tap[a * tw + b] = p.TapsH[a] * g.KW + p.TapsW[b];
        if ((long)(grp + 1) * g.SmallCg * cg * kk > w.Length) throw new ArgumentException("weight too short for the geometry", nameof(w));
        // k outermost: the reads (w[k, c, ·, ·] over c) and the writes (rows of k) stay within a few kilobytes.
        fixed (T* pw = w, pp = packed)
        fixed (int* pt = tap)
            for (int k = 0; k < g.SmallCg; k++)
            {
                T* dst = pp + (nint)k * taps * cg;
                T* src = pw + (nint)(grp * g.SmallCg + k) * cg * kk;
                for (int c = 0; c < cg; c++, src += kk)
                    for (int t = 0; t < taps; t++) dst[(nint)t * cg + c] = src[pt[t]];
            }
        return packed;
    }

    /// <summary>col[(k, a, b), q] = z[k, BaseH[a] + qh, BaseW[b] + qw] for phase pixels q = (qh, qw), zero outside the input; rows ld apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    internal static void PhaseCols<T>(in ConvGeometry g, Phase p, ReadOnlySpan<T> zImg, int p0, int len, Span<T> col, int ld) where T : unmanaged, INumberBase<T>
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        if (p0 == 0 && len == p.NH * p.NW && th > 0 && tw > 0)
        {
            PhaseWindows(g, p, zImg, col, ld);
            return;
        }
        for (int k = 0; k < g.SmallCg; k++)
            for (int a = 0; a < th; a++)
                for (int b = 0; b < tw; b++)
                {
                    var dst = col.Slice(((k * th + a) * tw + b) * ld, len);
                    int bw = p.BaseW[b];
                    int qwLo = Math.Max(0, -bw), qwHi = Math.Min(p.NW, g.SmallW - bw);
                    for (int pos = 0, pix = p0; pos < len;)
                    {
                        int qh = pix / p.NW, qw0 = pix - qh * p.NW, cnt = Math.Min(p.NW - qw0, len - pos);
                        var seg = dst.Slice(pos, cnt);
                        int oh = p.BaseH[a] + qh;
                        int lo = Math.Max(qw0, qwLo), hi = Math.Min(qw0 + cnt, qwHi);
                        if (oh < 0 || oh >= g.SmallH || hi <= lo) seg.Clear();
                        else
                        {
                            seg[..(lo - qw0)].Clear();
                            seg[(hi - qw0)..].Clear();
                            zImg.Slice((k * g.SmallH + oh) * g.SmallW + lo + bw, hi - lo).CopyTo(seg.Slice(lo - qw0));
                        }
                        pos += cnt; pix += cnt;
                    }
                }
    }

    /// <summary>
    /// <see cref="PhaseCols{T}"/> for a whole image (small images, batched): per channel, the input plane once
    /// into a zero-bordered copy covering every tap's window (rows BaseH[0] … BaseH[^1] + NH − 1, columns
    /// likewise), then each row (k, a, b) of col is the NH×NW window at (BaseH[a], BaseW[b]) copied as whole
    /// rows. Gathering every tap row separately with its own bounds and clears cost more than the copying
    /// (DCGAN's 4×4 planes: four 4-float rows per tap). The values are the same elements of z (or zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void PhaseWindows<T>(in ConvGeometry g, Phase p, ReadOnlySpan<T> zImg, Span<T> col, int ld) where T : unmanaged, INumberBase<T>
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length, sh = g.SmallH, sw = g.SmallW, small = sh * sw;
        if (typeof(T) == typeof(float) && Avx512F.IsSupported && small == 16 && p.NH * p.NW == 16)
        {
            PhaseWindows16(g, p, MemoryMarshal.Cast<T, float>(zImg), MemoryMarshal.Cast<T, float>(col), ld);
            return;
        }
        // Taps are increasing, so their bases decrease: the first tap has the largest base.
        int hLo = p.BaseH[th - 1], wLo = p.BaseW[tw - 1];
        int ph = p.BaseH[0] - hLo + p.NH, pw = p.BaseW[0] - wLo + p.NW, size = ph * pw;
        // Columns of the bordered plane that hold input columns: 0 ≤ wLo + v < SmallW.
        int vLo = Math.Clamp(-wLo, 0, pw), vHi = Math.Clamp(sw - wLo, vLo, pw);
        T[]? rented = size > 4096 ? ArrayPool<T>.Shared.Rent(size) : null;
        Span<T> plane = rented is null ? stackalloc T[size] : rented.AsSpan(0, size);
        var sink = new RowSink<T>(col, ld);
        for (int k = 0; k < g.SmallCg; k++)
        {
            var z = zImg.Slice(k * small, small);
            for (int u = 0; u < ph; u++)
            {
                var row = plane.Slice(u * pw, pw);
                int h = hLo + u;
                if (h < 0 || h >= sh || vHi <= vLo)
                {
                    row.Clear();
                    continue;
                }
                for (int v = 0; v < vLo; v++) row[v] = T.Zero;
                for (int v = vHi; v < pw; v++) row[v] = T.Zero;
                Conv.CopyRun(ref Unsafe.AsRef(in z[h * sw + wLo + vLo]), ref row[vLo], vHi - vLo);
            }
            for (int a = 0; a < th; a++)
                for (int b = 0; b < tw; b++)
                    sink.PutWindow((k * th + a) * tw + b, ref plane[(p.BaseH[a] - hLo) * pw + p.BaseW[b] - wLo], pw, p.NH, p.NW);
        }
        if (rented is not null) ArrayPool<T>.Shared.Return(rented);
    }

    /// <summary>
    /// <see cref="PhaseWindows{T}"/> for 16-float input planes and 16-pixel phases with AVX-512 (DCGAN's 4×4 → 8×8
    /// layers, and the input gradient of their 8×8 → 4×4 convolutions): each row (k, a, b) of col is one permute of
    /// channel k's plane by the tap's element offsets, lanes outside the input masked to +0, stored as one vector
    /// (the lanes of <see cref="PhasePanels{T}"/>). The same elements of z (or +0) as the bordered-plane copy.
    /// </summary>
    private static void PhaseWindows16(in ConvGeometry g, Phase p, ReadOnlySpan<float> zImg, Span<float> col, int ld)
    {
        int th = p.TapsH.Length, tw = p.TapsW.Length, taps = th * tw;
        Span<Vector512<int>> index = stackalloc Vector512<int>[taps];
        Span<Vector512<float>> mask = stackalloc Vector512<float>[taps];
        Span<int> lanes = stackalloc int[16];
        for (int a = 0; a < th; a++)
            for (int b = 0; b < tw; b++)
            {
                for (int qh = 0; qh < p.NH; qh++)
                    for (int qw = 0; qw < p.NW; qw++)
                    {
                        int h = p.BaseH[a] + qh, w = p.BaseW[b] + qw;
                        lanes[qh * p.NW + qw] = h >= 0 && h < g.SmallH && w >= 0 && w < g.SmallW ? h * g.SmallW + w : -1;
                    }
                var v = Vector512.Create((ReadOnlySpan<int>)lanes);
                index[a * tw + b] = Vector512.Max(v, Vector512<int>.Zero);
                mask[a * tw + b] = (~Vector512.LessThan(v, Vector512<int>.Zero)).AsSingle(); // all ones where the offset is inside
            }
        if ((long)(g.SmallCg * taps - 1) * ld + 16 > col.Length || g.SmallCg * 16 > zImg.Length)
            throw new ArgumentException("column buffer or image too short for the phase");
        ref float z = ref MemoryMarshal.GetReference(zImg);
        ref float c = ref MemoryMarshal.GetReference(col);
        for (int k = 0; k < g.SmallCg; k++)
        {
            var plane = Vector512.LoadUnsafe(ref z, (nuint)(k * 16));
            for (int t = 0; t < taps; t++)
                (Avx512F.PermuteVar16x32(plane, index[t]) & mask[t]).StoreUnsafe(ref c, (nuint)((long)(k * taps + t) * ld));
        }
    }

    /// <summary>Writes a phase tile (element (c, q) at c·ldC + q·ldP) to its big positions (H0 + SH·qh, W0 + SW·qw), one phase row segment at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void Scatter<T>(in ConvGeometry g, Phase p, ReadOnlySpan<T> tile, int p0, int len, int ldC, int ldP, Span<T> yImg) where T : unmanaged
    {
        if (p0 == 0 && len == p.NH * p.NW)
        {
            // A whole image (small images, batched): one strided plane placement per channel.
            for (int c = 0; c < g.BigCg; c++)
                PlaneGather.Place(tile[(c * ldC)..], p.NW * ldP, ldP, p.NH, p.NW, yImg.Slice(c * g.BigH * g.BigW, g.BigH * g.BigW), g.BigW, p.H0, g.SH, p.W0, g.SW);
            return;
        }
        for (int c = 0; c < g.BigCg; c++)
        {
            var src = tile[(c * ldC)..];
            for (int pos = 0, pix = p0; pos < len;)
            {
                int qh = pix / p.NW, qw0 = pix - qh * p.NW, cnt = Math.Min(p.NW - qw0, len - pos);
                var yRow = yImg.Slice((c * g.BigH + p.H0 + g.SH * qh) * g.BigW, g.BigW);
                if (g.SW == 1 && ldP == 1) src.Slice(pos, cnt).CopyTo(yRow.Slice(p.W0 + qw0, cnt));
                else for (int q = 0, at = p.W0 + g.SW * qw0; q < cnt; q++, at += g.SW) yRow[at] = src[(pos + q) * ldP];
                pos += cnt; pix += cnt;
            }
        }
    }
}
