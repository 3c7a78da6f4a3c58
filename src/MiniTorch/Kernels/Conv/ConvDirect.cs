using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// Direct convolution, vectorised along output rows: Conv2d (strided ones read input rows split by
/// column phase, so their taps are unit-stride too) and every output phase of a ConvTranspose2d.
/// No im2col and no packing of the input: each work item copies its input rows once into a
/// zero-padded buffer, and the micro-kernel keeps an 8-channel × 3-vector block of outputs in 24
/// registers while it runs over all taps (c, i, j): per tap three shifted input vectors are loaded
/// and eight weights broadcast (4 channels × 6 vectors for a remainder of at most 4 channels).
/// </summary>
/// <remarks>
/// Effectively computes out[k, p] = b[k] + Σ_t w[t, k] · buf[base(p) + off(t)] for vectors of 16
/// (float) or 8 (double) consecutive output pixels p of one row, t over the taps in a fixed order,
/// one fused multiply-add per tap. Every output element is written by exactly one work item with
/// that order, so the result does not depend on the number of threads.
/// </remarks>
internal static unsafe partial class ConvDirect
{
    /// <summary>Output channels per micro-kernel (rows of the register block).</summary>
    public const int R = 8;
    /// <summary>Output vectors per micro-kernel (columns of the register block).</summary>
    public const int V = 3;

    /// <summary>Bytes of the padded input rows one work item copies: they stay in L2 while all output channels use them.</summary>
    private static int BufferBudget => Math.Max(64 << 10, CacheInfo.L2 / 4);

    /// <summary>
    /// One vector's worth of outputs along a row: its first input element in the padded buffer, its
    /// first output element (channel 0 of the block), and how many of the lanes are outputs.
    /// </summary>
    internal readonly record struct Segment(int In, long Out, int Len);

    /// <summary>
    /// out[k, seg] for k &lt; <paramref name="kCount"/> and every segment: the micro-kernel over groups of
    /// <see cref="V"/> segments and blocks of <see cref="R"/> channels. Full groups with all channels
    /// valid and unit output stride are stored straight to y; the others go through a register tile.
    /// </summary>
    /// <param name="x">The padded input buffer.</param>
    /// <param name="off">Per tap, its offset in <paramref name="x"/> relative to a segment's base.</param>
    /// <param name="taps">Number of taps.</param>
    /// <param name="wp">Weights as [taps, ldw]: tap t's weights for channels 0 … ldw−1 (zero past kCount).</param>
    /// <param name="ldw">Channels per tap row in <paramref name="wp"/>, a multiple of <see cref="R"/>.</param>
    /// <param name="kCount">Output channels to compute.</param>
    /// <param name="bias">Per channel (ldw of them), or null.</param>
    /// <param name="segs">The output segments.</param>
    /// <param name="y">Output channel 0; segment outputs are at <see cref="Segment.Out"/> + lane·<paramref name="colStride"/>.</param>
    /// <param name="ldy">Distance between output channels in y.</param>
    /// <param name="colStride">Distance between consecutive outputs of a segment in y.</param>
    internal static void Run<T>(T* x, int* off, int taps, T* wp, int ldw, int kCount, T* bias, ReadOnlySpan<Segment> segs,
                                T* y, nint ldy, int colStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector512<T>.Count;
        T* tile = stackalloc T[R * V * Vector512<T>.Count];
        // Channel blocks outermost: a block's weights stay in L1 for all segments, and the outputs
        // are written as R planes advancing together rather than all planes at once (large outputs
        // go to memory, which streams few planes better than many).
        for (int k0 = 0; k0 < kCount; k0 += R)
        {
            T* b = bias == null ? null : bias + k0;
            int kn = Math.Min(R, kCount - k0);
            if (kn <= R / 2)
            {
                // A remainder of at most 4 channels (12 = 8 + 4, or 3 channels in all): the 4×6 kernel
                // fills its registers with more segments instead of computing empty channels.
                RunNarrow(x, off, taps, wp + k0, ldw, kn, b, segs, y + k0 * ldy, ldy, colStride, tile);
                continue;
            }
            for (int s = 0; s < segs.Length; s += V)
            {
                int cnt = Math.Min(V, segs.Length - s);
                // Missing segments of the last group repeat the first one into the tile (discarded).
                Segment s0 = segs[s], s1 = cnt > 1 ? segs[s + 1] : s0, s2 = cnt > 2 ? segs[s + 2] : s0;
                if (colStride == 1 && kn == R && cnt == V && s0.Len == lanes && s1.Len == lanes && s2.Len == lanes)
                {
                    T* yk = y + k0 * ldy;
                    Kernel(taps, off, wp + k0, ldw, x + s0.In, x + s1.In, x + s2.In, b, yk + s0.Out, yk + s1.Out, yk + s2.Out, ldy);
                    continue;
                }
                Kernel(taps, off, wp + k0, ldw, x + s0.In, x + s1.In, x + s2.In, b, tile, tile + lanes, tile + 2 * lanes, V * lanes);
                for (int v = 0; v < cnt; v++)
                {
                    var sv = segs[s + v];
                    for (int r = 0; r < kn; r++)
                    {
                        T* src = tile + r * V * lanes + v * lanes, dst = y + (k0 + r) * ldy + sv.Out;
                        if (colStride == 1) new ReadOnlySpan<T>(src, sv.Len).CopyTo(new Span<T>(dst, sv.Len));
                        else for (int q = 0; q < sv.Len; q++) dst[q * colStride] = src[q];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The 8×3-vector micro-kernel: acc[r, v] = Σ_t w[t, r] · x_v[off[t] … + lanes), one FMA per tap in
    /// increasing t, then (+ bias[r]) stored to o_v + r·ldo.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<T>(int taps, int* off, T* w, nint ldw, T* x0, T* x1, T* x2, T* bias, T* o0, T* o1, T* o2, nint ldo)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector512<T> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        Vector512<T> a40 = default, a41 = default, a42 = default, a50 = default, a51 = default, a52 = default;
        Vector512<T> a60 = default, a61 = default, a62 = default, a70 = default, a71 = default, a72 = default;
        for (int t = 0; t < taps; t++, w += ldw)
        {
            nint o = off[t];
            var v0 = Vector512.Load(x0 + o);
            var v1 = Vector512.Load(x1 + o);
            var v2 = Vector512.Load(x2 + o);
            { var b = Vector512.Create(w[0]); a00 = Simd.Fma(b, v0, a00); a01 = Simd.Fma(b, v1, a01); a02 = Simd.Fma(b, v2, a02); }
            { var b = Vector512.Create(w[1]); a10 = Simd.Fma(b, v0, a10); a11 = Simd.Fma(b, v1, a11); a12 = Simd.Fma(b, v2, a12); }
            { var b = Vector512.Create(w[2]); a20 = Simd.Fma(b, v0, a20); a21 = Simd.Fma(b, v1, a21); a22 = Simd.Fma(b, v2, a22); }
            { var b = Vector512.Create(w[3]); a30 = Simd.Fma(b, v0, a30); a31 = Simd.Fma(b, v1, a31); a32 = Simd.Fma(b, v2, a32); }
            { var b = Vector512.Create(w[4]); a40 = Simd.Fma(b, v0, a40); a41 = Simd.Fma(b, v1, a41); a42 = Simd.Fma(b, v2, a42); }
            { var b = Vector512.Create(w[5]); a50 = Simd.Fma(b, v0, a50); a51 = Simd.Fma(b, v1, a51); a52 = Simd.Fma(b, v2, a52); }
            { var b = Vector512.Create(w[6]); a60 = Simd.Fma(b, v0, a60); a61 = Simd.Fma(b, v1, a61); a62 = Simd.Fma(b, v2, a62); }
            { var b = Vector512.Create(w[7]); a70 = Simd.Fma(b, v0, a70); a71 = Simd.Fma(b, v1, a71); a72 = Simd.Fma(b, v2, a72); }
        }
        Put(o0, o1, o2, 0 * ldo, bias, 0, a00, a01, a02);
        Put(o0, o1, o2, 1 * ldo, bias, 1, a10, a11, a12);
        Put(o0, o1, o2, 2 * ldo, bias, 2, a20, a21, a22);
        Put(o0, o1, o2, 3 * ldo, bias, 3, a30, a31, a32);
        Put(o0, o1, o2, 4 * ldo, bias, 4, a40, a41, a42);
        Put(o0, o1, o2, 5 * ldo, bias, 5, a50, a51, a52);
        Put(o0, o1, o2, 6 * ldo, bias, 6, a60, a61, a62);
        Put(o0, o1, o2, 7 * ldo, bias, 7, a70, a71, a72);
    }

    /// <summary><see cref="Run"/> for one block of at most <see cref="R"/>/2 channels, with the 4×6-vector kernel.</summary>
    private static void RunNarrow<T>(T* x, int* off, int taps, T* wp, int ldw, int kn, T* bias, ReadOnlySpan<Segment> segs,
                                     T* y, nint ldy, int colStride, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int v6 = 2 * V;
        int lanes = Vector512<T>.Count;
        Span<int> at = stackalloc int[v6];
        Span<Segment> tileSegs = stackalloc Segment[v6];
        for (int v = 0; v < v6; v++) tileSegs[v] = new Segment(0, v * lanes, lanes);
        for (int s = 0; s < segs.Length; s += v6)
        {
            int cnt = Math.Min(v6, segs.Length - s);
            bool full = colStride == 1 && kn == R / 2 && cnt == v6;
            for (int v = 0; v < v6; v++)
            {
                var sv = segs[s + (v < cnt ? v : 0)];
                at[v] = sv.In;
                full &= sv.Len == lanes;
            }
            if (full)
            {
                Kernel4x6(taps, off, wp, ldw, x, at, bias, y, segs.Slice(s, v6), ldy);
                continue;
            }
            Kernel4x6(taps, off, wp, ldw, x, at, bias, tile, tileSegs, v6 * lanes);
            for (int v = 0; v < cnt; v++)
            {
                var sv = segs[s + v];
                for (int r = 0; r < kn; r++)
                {
                    T* src = tile + r * v6 * lanes + v * lanes, dst = y + r * ldy + sv.Out;
                    if (colStride == 1) new ReadOnlySpan<T>(src, sv.Len).CopyTo(new Span<T>(dst, sv.Len));
                    else for (int q = 0; q < sv.Len; q++) dst[q * colStride] = src[q];
                }
            }
        }
    }

    /// <summary>
    /// The 4×6-vector micro-kernel: acc[r, v] = Σ_t w[t, r] · x[at[v] + off[t] … + lanes), one FMA per tap
    /// in increasing t, then (+ bias[r]) stored to o + outs[v].Out + r·ldo.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x6<T>(int taps, int* off, T* w, nint ldw, T* x, ReadOnlySpan<int> at, T* bias, T* o, ReadOnlySpan<Segment> outs, nint ldo)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x0 = x + at[0], x1 = x + at[1], x2 = x + at[2], x3 = x + at[3], x4 = x + at[4], x5 = x + at[5];
        Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default, a05 = default;
        Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default, a25 = default;
        Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default, a35 = default;
        for (int t = 0; t < taps; t++, w += ldw)
        {
            nint d = off[t];
            var v0 = Vector512.Load(x0 + d);
            var v1 = Vector512.Load(x1 + d);
            var v2 = Vector512.Load(x2 + d);
            var v3 = Vector512.Load(x3 + d);
            var v4 = Vector512.Load(x4 + d);
            var v5 = Vector512.Load(x5 + d);
            { var b = Vector512.Create(w[0]); a00 = Simd.Fma(b, v0, a00); a01 = Simd.Fma(b, v1, a01); a02 = Simd.Fma(b, v2, a02); a03 = Simd.Fma(b, v3, a03); a04 = Simd.Fma(b, v4, a04); a05 = Simd.Fma(b, v5, a05); }
            { var b = Vector512.Create(w[1]); a10 = Simd.Fma(b, v0, a10); a11 = Simd.Fma(b, v1, a11); a12 = Simd.Fma(b, v2, a12); a13 = Simd.Fma(b, v3, a13); a14 = Simd.Fma(b, v4, a14); a15 = Simd.Fma(b, v5, a15); }
            { var b = Vector512.Create(w[2]); a20 = Simd.Fma(b, v0, a20); a21 = Simd.Fma(b, v1, a21); a22 = Simd.Fma(b, v2, a22); a23 = Simd.Fma(b, v3, a23); a24 = Simd.Fma(b, v4, a24); a25 = Simd.Fma(b, v5, a25); }
            { var b = Vector512.Create(w[3]); a30 = Simd.Fma(b, v0, a30); a31 = Simd.Fma(b, v1, a31); a32 = Simd.Fma(b, v2, a32); a33 = Simd.Fma(b, v3, a33); a34 = Simd.Fma(b, v4, a34); a35 = Simd.Fma(b, v5, a35); }
        }
        T* o0 = o + outs[0].Out, o1 = o + outs[1].Out, o2 = o + outs[2].Out, o3 = o + outs[3].Out, o4 = o + outs[4].Out, o5 = o + outs[5].Out;
        Put(o0, o1, o2, 0 * ldo, bias, 0, a00, a01, a02); Put(o3, o4, o5, 0 * ldo, bias, 0, a03, a04, a05);
        Put(o0, o1, o2, 1 * ldo, bias, 1, a10, a11, a12); Put(o3, o4, o5, 1 * ldo, bias, 1, a13, a14, a15);
        Put(o0, o1, o2, 2 * ldo, bias, 2, a20, a21, a22); Put(o3, o4, o5, 2 * ldo, bias, 2, a23, a24, a25);
        Put(o0, o1, o2, 3 * ldo, bias, 3, a30, a31, a32); Put(o3, o4, o5, 3 * ldo, bias, 3, a33, a34, a35);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T>(T* o0, T* o1, T* o2, nint at, T* bias, int r, Vector512<T> c0, Vector512<T> c1, Vector512<T> c2)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (bias != null)
        {
            var b = Vector512.Create(bias[r]);
            c0 += b; c1 += b; c2 += b;
        }
        c0.Store(o0 + at);
        c1.Store(o1 + at);
        c2.Store(o2 + at);
    }


    /// <summary>
    /// Copies input columns into one padded buffer row: dst[u] = src[u + shift] where that is inside
    /// [0, src.Length), zero elsewhere.
    /// </summary>
    internal static void PadRow<T>(ReadOnlySpan<T> src, int shift, Span<T> dst) where T : unmanaged
    {
        int lo = Math.Clamp(-shift, 0, dst.Length), hi = Math.Clamp(src.Length - shift, lo, dst.Length);
        dst[..lo].Clear();
        // A shift beyond the row (a tap that reaches past the image for every output) copies nothing.
        if (hi > lo) src.Slice(lo + shift, hi - lo).CopyTo(dst.Slice(lo));
        dst[hi..].Clear();
    }

    internal static int RoundUp(int a, int m) => (a + m - 1) / m * m;
}
