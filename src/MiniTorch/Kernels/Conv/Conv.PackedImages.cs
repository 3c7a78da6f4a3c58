using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MiniTorch.Kernels;

/// <summary>Where a whole-image im2col puts row k of the column matrix (one image's output pixels, row-major).</summary>
internal interface IColumnSink<T>
{
    /// <summary>
    /// Row <paramref name="k"/>, columns [0, rows·cols): the rows×cols window at <paramref name="src"/>, its
    /// rows <paramref name="stride"/> apart.
    /// </summary>
    void PutWindow(int k, ref T src, int stride, int rows, int cols);
}

/// <summary>A plain column matrix: row k at k·ld.</summary>
internal readonly ref struct RowSink<T>(Span<T> col, int ld) : IColumnSink<T> where T : unmanaged
{
    private readonly Span<T> _col = col;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PutWindow(int k, ref T src, int stride, int rows, int cols)
    {
        ref T dst = ref _col[k * ld];
        for (int r = 0; r < rows; r++) Conv.CopyRun(ref Unsafe.Add(ref src, r * stride), ref Unsafe.Add(ref dst, r * cols), cols);
    }
}

/// <summary>
/// The column matrix written straight in GEMM's packed-B layout (kc-deep slices of NR-wide, k-major,
/// zero-padded panels) of <c>height</c> rows, for one image whose columns start at column <c>first</c> of the tile.
/// </summary>
internal readonly unsafe struct PackedSink<T>(T* packed, int height, int kc, int nr, int panels, int first) : IColumnSink<T> where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PutWindow(int k, ref T src, int stride, int rows, int cols)
    {
        int s = k / kc, p = k - s * kc, kcs = Math.Min(kc, height - s * kc);
        // Row p of slice s: panel q's run at q·NR·kcs + p·NR.
        T* row = packed + (nint)s * kc * panels * nr + p * nr;
        int q = first / nr, j = first - q * nr;
        if (j + rows * cols <= nr)
        {
            // The image's pixels lie in one panel (DCGAN's 4×4 outputs, two images per 32-wide panel).
            T* d = row + (nint)q * nr * kcs + j;
            for (int r = 0; r < rows; r++) Conv.CopyRun(ref Unsafe.Add(ref src, r * stride), ref *(d + r * cols), cols);
            return;
        }
        if (nr % cols == 0 && j % cols == 0)
        {
            // Whole output rows per panel (DCGAN's 8-wide rows, four to a 32-wide panel): no row straddles two panels.
            T* d = row + (nint)q * nr * kcs + j;
            for (int r = 0; r < rows; r++)
            {
                Conv.CopyRun(ref Unsafe.Add(ref src, r * stride), ref *d, cols);
                d += cols;
                if ((j += cols) == nr)
                {
                    j = 0;
                    d += (nint)nr * (kcs - 1);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            ref T from = ref Unsafe.Add(ref src, r * stride);
            for (int left = cols; left > 0;)
            {
                int n = Math.Min(left, nr - j);
                Conv.CopyRun(ref from, ref *(row + (nint)q * nr * kcs + j), n);
                from = ref Unsafe.Add(ref from, n);
                left -= n;
                j += n;
                if (j == nr) { j = 0; q++; }
            }
        }
    }
}

internal static partial class Conv
{
    /// <summary>
    /// Whether <see cref="ForwardImagesPacked{T}"/> runs the <see cref="ConvRoute.Im2colImages"/> route: 2-d
    /// images whose columns the phase-plane im2col gathers, and more than one output channel per group
    /// (one channel takes <see cref="Multiply{T}"/>'s dot products, not GEMM).
    /// </summary>
    internal static bool PackedImagesApply(in ConvGeometry g) => PhasePlanesApply(g) && g.SmallCg > 1;

    /// <summary>Tiles per thread that <see cref="ForwardImagesPacked{T}"/> makes at least, when the batch has enough images.</summary>
    internal const int ItemsPerThread = 2;

    /// <summary>
    /// Route <see cref="ConvRoute.Im2colImages"/> on 2-d images, with GEMM's packing done once: the weights
    /// are packed into GEMM's MR-high A panels once per call (not once per tile), and each tile's im2col
    /// writes straight into GEMM's packed B panels (no column buffer to pack again); then the same
    /// micro-kernel runs over the same kc-slices in the same order as <see cref="Gemm"/> would (first slice
    /// overwrites, later ones accumulate; edge tiles through a scratch tile), so every output is bitwise
    /// the one the GEMM call gave.
    /// </summary>
    private static unsafe void ForwardImagesPacked<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y, int perTile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var blk = Gemm.Blocking.Of<T>(Gemm.Best);
        int mr = blk.MR, nr = blk.NR, kc = blk.KC;
        int m = g.SmallCg, rows = g.BigCg * g.Taps, pixels = g.SmallPlane, plane = g.BigPlane;
        int mPanels = (m + mr - 1) / mr, slices = (rows + kc - 1) / kc, aSize = mPanels * mr * rows;
        var packedA = ArrayPool<T>.Shared.Rent(g.Groups * aSize);
        try
        {
            // A[i, p] = w[grp, i, p] as slices of MR-high panels: panel r of slice s at s·kc·mPanels·MR + r·MR·kcs, element (p, i) at p·MR + i.
            Threading.For(g.Groups * mPanels, (long)g.SmallC * rows * 16, item =>
            {
                int grp = item / mPanels, r = item % mPanels, i0 = r * mr, valid = Math.Min(mr, m - i0);
                var ws = w.Span.Slice(grp * m * rows, m * rows);
                var pa = packedA.AsSpan(grp * aSize);
                for (int s = 0; s < slices; s++)
                {
                    int pc = s * kc, kcs = Math.Min(kc, rows - pc);
                    var dst = pa.Slice(s * kc * mPanels * mr + r * mr * kcs, mr * kcs);
                    if (valid < mr) dst.Clear();
                    for (int i = 0; i < valid; i++)
                    {
                        var src = ws.Slice((i0 + i) * rows + pc, kcs);
                        for (int p = 0; p < kcs; p++) dst[p * mr + i] = src[p];
                    }
                }
            });
            // At least ItemsPerThread tiles per thread, so that a late or busy thread leaves a tile to the others (the
            // example's 32→64 layer had two tiles of 32 images). Which tile holds a column changes no output's sum.
            perTile = Math.Max(1, Math.Min(perTile, (g.N + ItemsPerThread * Threading.NumThreads - 1) / (ItemsPerThread * Threading.NumThreads)));
            int tiles = (g.N + perTile - 1) / perTile;
            // Small float planes with AVX-512: windows permuted straight from the input plane into the panels.
            var permute = PermuteWindows.Plan<T>(g, nr);
            Threading.For(g.Groups * tiles, 2L * g.N * g.SmallC * pixels * rows, item =>
            {
                int t = item % tiles, grp = item / tiles;
                int n0 = t * perTile, count = Math.Min(perTile, g.N - n0), len = count * pixels, panels = (len + nr - 1) / nr;
                var packedB = ArrayPool<T>.Shared.Rent(rows * panels * nr + 64 / Unsafe.SizeOf<T>());
                var outTile = ArrayPool<T>.Shared.Rent(m * len);
                fixed (T* pbRaw = packedB, pa0 = packedA, pc0 = outTile)
                {
                    // 64-byte aligned, as GEMM's own packing buffers are.
                    T* pb = (T*)(((nint)pbRaw + 63) & ~(nint)63);
                    if (len < panels * nr)
                        // The last panel's columns past the tile: zero, as GEMM pads them.
                        for (int s = 0; s < slices; s++)
                        {
                            int kcs = Math.Min(kc, rows - s * kc);
                            T* last = pb + (nint)s * kc * panels * nr + (nint)(panels - 1) * nr * kcs;
                            for (int p = 0; p < kcs; p++)
                                new Span<T>(last + p * nr, nr)[(len - (panels - 1) * nr)..].Clear();
                        }
                    for (int i = 0; i < count; i++)
                    {
                        var image = x.Span.Slice(((n0 + i) * g.BigC + grp * g.BigCg) * plane, g.BigCg * plane);
                        if (permute is not null)
                            permute.Gather(MemoryMarshal.Cast<T, float>(image), g.BigCg, (float*)pb, rows, kc, nr, panels, i * pixels);
                        else
                        {
                            var sink = new PackedSink<T>(pb, rows, kc, nr, panels, i * pixels);
                            Im2ColPhases(g, image, ref sink, 0, g.BigCg);
                        }
                    }
                    PackedMultiply(blk, m, len, rows, pa0 + (nint)grp * aSize, pb, pc0, len, T.Zero);
                }
                for (int i = 0; i < count; i++)
                    for (int k = 0; k < m; k++)
                    {
                        var src = outTile.AsSpan(k * len + i * pixels, pixels);
                        var dst = y.Span.Slice(((n0 + i) * g.SmallC + grp * m + k) * pixels, pixels);
                        if (bias.IsEmpty) src.CopyTo(dst);
                        else TensorPrimitives.Add(src, bias.Span[grp * m + k], dst);
                    }
                ArrayPool<T>.Shared.Return(packedB);
                ArrayPool<T>.Shared.Return(outTile);
            });
        }
        finally { ArrayPool<T>.Shared.Return(packedA); }
    }

    /// <summary>
    /// C (m×n, rows <paramref name="ldc"/> apart) = A·B + β·C from operands already in GEMM's packed layouts
    /// (A: kc-slices of MR-high panels, panel r of slice s at s·KC·mPanels·MR + r·MR·kcs, element (p, i) at
    /// p·MR + i; B likewise with NR-wide panels), running the micro-kernel over the same slices, modes and
    /// edge tiles as <see cref="GemmJob{T}"/> does, so C is bitwise what <see cref="Gemm.Multiply{T}(bool, bool, int, int, int, T, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, T, Span{T}, int)"/>
    /// gives for the same operands (β is 0 or 1 here).
    /// </summary>
    internal static unsafe void PackedMultiply<T>(Gemm.Blocking blk, int m, int n, int k, T* pa, T* pb, T* c, nint ldc, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = blk.MR, nr = blk.NR, kc = blk.KC, mPanels = (m + mr - 1) / mr, nPanels = (n + nr - 1) / nr;
        T* tile = stackalloc T[mr * nr];
        for (int pc = 0; pc < k; pc += kc)
        {
            int kcs = Math.Min(kc, k - pc);
            var mode = Gemm.SliceMode(pc, beta);
            for (int q = 0; q < nPanels; q++)
            {
                int j = q * nr, cols = Math.Min(nr, n - j);
                T* bp = pb + (nint)pc * nPanels * nr + (nint)q * nr * kcs;
                for (int r = 0; r < mPanels; r++)
                {
                    int i = r * mr, valid = Math.Min(mr, m - i);
                    T* ap = pa + (nint)pc * mPanels * mr + (nint)r * mr * kcs;
                    Gemm.Tile(blk.Kernel, mr, nr, kcs, ap, bp, c + i * ldc + j, ldc, valid, cols, T.One, beta, mode, tile);
                }
            }
        }
    }
}
