using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// The weight gradient shared by Conv2d and ConvTranspose2d: the bilinear map (x, gy) ↦ ∂⟨conv(x; w), gy⟩/∂w,
/// as GEMM of gy tiles against im2col tiles of x. The sum over the batch and pixels is split into a
/// fixed number of chunks that depends only on the problem size; each chunk sums in order into its
/// own partial, then the partials are added in chunk order, so the result is bitwise the same for
/// any number of threads.
/// </summary>
internal static class ConvWeightGrad
{
    private const int MaxChunks = 16, MaxChannelBlocks = 2;

    /// <summary>Elements of all per-chunk partial gradients together (beyond one weight's worth).</summary>
    private const int PartialBudget = 1 << 22;

    /// <summary>
    /// Routes <see cref="ConvRoute.WeightGradIm2col"/> and <see cref="ConvRoute.WeightGradPointwise"/>, any rank:
    /// gw[k, c, t] = Σ_{n, o} gy[n, k, o] · x[n, g·Cg + c, o·s − p + t·d].
    /// </summary>
    /// <remarks>
    /// Work items are (group, block of input channels, chunk of the batch·pixel sum). Channel
    /// blocks own disjoint columns of gw, so they need no reduction; chunks each own a partial
    /// that is added in chunk order at the end. Both splits depend only on the problem size.
    /// With <paramref name="pointwise"/> (1×1 geometries only) x itself is read as the columns.
    /// </remarks>
    public static void Compute<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw, bool pointwise)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pixels = g.SmallPlane, kk = g.Taps, rows = g.BigCg * kk, plane = g.BigPlane, size = g.SmallCg * rows;
        bool direct = pointwise;
        int blocks = Math.Max(1, Math.Min(g.BigCg, MaxChannelBlocks)), blockC = (g.BigCg + blocks - 1) / blocks;
        blocks = Math.Max(1, (g.BigCg + blockC - 1) / blockC);
        int tile = Conv.TileLength(Math.Max(blockC * kk, g.SmallCg), pixels), tiles = (pixels + tile - 1) / tile;
        int units = g.N * tiles;
        int chunks = Math.Min(units, Math.Clamp(PartialBudget / Math.Max(g.Groups * size, 1), 1, MaxChunks));
        gw.Span.Clear();
        if (chunks == 0 || size == 0) return;
        // Few columns (a one-channel side's taps: DCGAN's 1→16 and 32→1 layers): one vector of taps per
        // output channel in registers instead of GEMM's packing of both transposed operands.
        bool lanes = !direct && LanesApply<T>(g.SmallCg, blockC * kk);
        int kc = Gemm.Blocking.Of<T>(Gemm.Best).KC;
        // Pooled: a training step calls this for every layer, and the partials can be megabytes.
        var partial = chunks == 1 ? null : ArrayPool<T>.Shared.Rent(g.Groups * chunks * size);
        partial?.AsSpan(0, g.Groups * chunks * size).Clear();
        Threading.For(g.Groups * blocks * chunks, 2L * g.N * g.SmallC * pixels * rows, item =>
        {
            int ch = item % chunks, blk = item / chunks % blocks, grp = item / chunks / blocks;
            int c0 = blk * blockC, cb = Math.Min(blockC, g.BigCg - c0);
            if (cb <= 0) return;
            var acc = (partial is null ? gw.Span.Slice(grp * size, size) : partial.AsSpan((grp * chunks + ch) * size, size)).Slice(c0 * kk);
            var col = direct ? null : ArrayPool<T>.Shared.Rent(cb * kk * tile);
            T[]? colT = null;
            for (long u = (long)units * ch / chunks; u < (long)units * (ch + 1) / chunks; u++)
            {
                int n = (int)(u / tiles), t = (int)(u % tiles);
                int p0 = t * tile, len = Math.Min(tile, pixels - p0);
                var xImg = x.Span.Slice((n * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                var gyTile = gy.Span.Slice((n * g.SmallC + grp * g.SmallCg) * pixels + p0);
                if (direct)
                    Conv.Multiply(true, g.SmallCg, cb, len, gyTile, pixels, xImg.Slice(c0 * plane + p0), pixels, true, acc, rows);
                else
                {
                    var c = col.AsSpan(0, cb * kk * len);
                    Conv.Im2Col(g, xImg, p0, len, c, c0, cb);
                    if (lanes)
                        AccumulateLanes(g.SmallCg, cb * kk, len, gyTile, pixels, c, acc, rows, kc, (colT ??= ArrayPool<T>.Shared.Rent(tile * Vector512<T>.Count)));
                    else
                        Conv.Multiply(true, g.SmallCg, cb * kk, len, gyTile, pixels, c, len, true, acc, rows);
                }
            }
            if (col is not null) ArrayPool<T>.Shared.Return(col);
            if (colT is not null) ArrayPool<T>.Shared.Return(colT);
        });
        if (partial is null) return;
        for (int grp = 0; grp < g.Groups; grp++)
        {
            var dst = gw.Span.Slice(grp * size, size);
            for (int ch = 0; ch < chunks; ch++) TensorPrimitives.Add(dst, partial.AsSpan((grp * chunks + ch) * size, size), dst);
        }
        ArrayPool<T>.Shared.Return(partial);
    }

    /// <summary>
    /// Whether <see cref="AccumulateLanes{T}"/> replaces the GEMM call: the Vector512 GEMM kernel (whose KC
    /// slicing it follows), at least two rows (one row takes <see cref="Conv.Multiply{T}"/>'s dot products,
    /// a different order) and at most one Vector512 of columns.
    /// </summary>
    internal static bool LanesApply<T>(int m, int n) where T : unmanaged =>
        Gemm.Best == Gemm.Kernel.Vector512 && Vector512.IsHardwareAccelerated && m > 1 && n >= 1 && n <= Vector512<T>.Count;

    /// <summary>
    /// c[i, j] += Σ_p a[i, p]·b[j, p] for i &lt; m, j &lt; n ≤ one Vector512, bitwise as
    /// <see cref="Conv.Multiply{T}"/>'s GEMM computes it (transposed B, accumulating): per KC-deep slice of p
    /// from 0, one fused multiply-add chain from zero in increasing p for each element, then
    /// c = fma(chain, 1, c) (GEMM's <c>Combine</c> with α = β = 1). The lanes of a register are the n columns
    /// (b transposed once into <paramref name="bT"/>, a row per p, so no operand is packed), the registers
    /// eight rows of a at a time, each a[i, p] broadcast.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void AccumulateLanes<T>(int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, Span<T> c, int ldc, int kc, Span<T> bT)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        if (k <= 0) return;
        if ((long)(m - 1) * lda + k > a.Length || (long)n * k > b.Length || (long)(m - 1) * ldc + n > c.Length || (long)k * w > bT.Length)
            throw new ArgumentException("operands too short for the weight-gradient tile");
        // bT[p, j] = b[j, p], lanes j ≥ n zero (their sums are never stored).
        if (n < w) bT[..(k * w)].Clear();
        for (int j = 0; j < n; j++)
        {
            var row = b.Slice(j * k, k);
            for (int p = 0; p < k; p++) bT[p * w + j] = row[p];
        }
        fixed (T* pa = a, pbT = bT, pc = c)
            for (int p0 = 0; p0 < k; p0 += kc)
            {
                int count = Math.Min(kc, k - p0);
                int i = 0;
                for (; i + 8 <= m; i += 8) Rows8(count, pa + (nint)i * lda + p0, lda, pbT + (nint)p0 * w, pc + (nint)i * ldc, ldc, n);
                for (; i < m; i++)
                {
                    T* ar = pa + (nint)i * lda + p0;
                    T* bp = pbT + (nint)p0 * w;
                    var acc = Vector512<T>.Zero;
                    for (int p = 0; p < count; p++, bp += w) acc = Simd.Fma(Vector512.Create(ar[p]), Vector512.Load(bp), acc);
                    Put(pc + (nint)i * ldc, acc, n);
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Rows8<T>(int count, T* a, nint lda, T* bp, T* c, nint ldc, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> c0 = Vector512<T>.Zero, c1 = Vector512<T>.Zero, c2 = Vector512<T>.Zero, c3 = Vector512<T>.Zero;
        Vector512<T> c4 = Vector512<T>.Zero, c5 = Vector512<T>.Zero, c6 = Vector512<T>.Zero, c7 = Vector512<T>.Zero;
        int w = Vector512<T>.Count;
        for (int p = 0; p < count; p++, bp += w)
        {
            var bv = Vector512.Load(bp);
            c0 = Simd.Fma(Vector512.Create(a[p]), bv, c0);
            c1 = Simd.Fma(Vector512.Create(a[lda + p]), bv, c1);
            c2 = Simd.Fma(Vector512.Create(a[2 * lda + p]), bv, c2);
            c3 = Simd.Fma(Vector512.Create(a[3 * lda + p]), bv, c3);
            c4 = Simd.Fma(Vector512.Create(a[4 * lda + p]), bv, c4);
            c5 = Simd.Fma(Vector512.Create(a[5 * lda + p]), bv, c5);
            c6 = Simd.Fma(Vector512.Create(a[6 * lda + p]), bv, c6);
            c7 = Simd.Fma(Vector512.Create(a[7 * lda + p]), bv, c7);
        }
        Put(c, c0, n); Put(c + ldc, c1, n); Put(c + 2 * ldc, c2, n); Put(c + 3 * ldc, c3, n);
        Put(c + 4 * ldc, c4, n); Put(c + 5 * ldc, c5, n); Put(c + 6 * ldc, c6, n); Put(c + 7 * ldc, c7, n);
    }

    /// <summary>c[j] = fma(acc[j], 1, c[j]) for j &lt; n: GEMM's accumulating <c>Combine</c> (α = β = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<T>(T* c, Vector512<T> acc, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n == Vector512<T>.Count)
            Simd.Fma(acc, Vector512<T>.One, Vector512.Load(c)).Store(c);
        else
            for (int j = 0; j < n; j++) c[j] = Simd.Fma(acc.GetElement(j), T.One, c[j]);
    }
}
