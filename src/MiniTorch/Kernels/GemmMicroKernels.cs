using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

// The micro-kernels: each multiplies one packed MR×kc panel of A by one packed kc×NR panel of B,
// keeping the MR×NR block of C in registers for the whole k loop, and writes it once at the end.
internal static partial class Gemm
{
    /// <summary>How a micro-kernel writes its accumulated block <c>acc</c> into C.</summary>
    internal enum Update
    {
        /// <summary>c = acc (into a scratch tile, for edge tiles).</summary>
        Raw,
        /// <summary>c = α·acc (first k-block, β = 0: C is never read, so NaNs in it do not leak).</summary>
        Overwrite,
        /// <summary>c = α·acc + β·c (first k-block).</summary>
        Blend,
        /// <summary>c = α·acc + c (later k-blocks).</summary>
        Accumulate,
    }

    /// <summary>Multiplies one packed MR×kc A panel by one packed kc×NR B panel into C.</summary>
    internal static unsafe void MicroKernel<T>(Kernel kernel, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, Update mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kernel)
        {
            case Kernel.Vector512: Kernel512<T, N14, N2>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case Kernel.Vector256: Kernel256<T, N6, N2>(kc, a, b, c, ldc, alpha, beta, mode); break;
            default: KernelScalar(kc, a, b, c, ldc, alpha, beta, mode); break;
        }
    }

    /// <summary>How the k-slice starting at <paramref name="pc"/> writes C: the first overwrites (β = 0) or blends, later ones accumulate.</summary>
    internal static Update SliceMode<T>(int pc, T beta) where T : unmanaged, IFloatingPointIeee754<T> =>
        pc > 0 ? Update.Accumulate : beta == T.Zero ? Update.Overwrite : Update.Blend;

    /// <summary>
    /// One register tile of C (<paramref name="rows"/> × <paramref name="cols"/> valid of MR × NR). The
    /// vector kernels compute only the valid rows and the vectors that hold valid columns: straight into C
    /// when those vectors are whole (a full tile, or an edge tile whose valid columns fill one vector), else
    /// into <paramref name="tile"/> (MR·NR scratch) with the valid part combined into C with the same
    /// rounding. Every computed element gets the same FMA chain as in the full kernel, so the bits match.
    /// </summary>
    internal static unsafe void Tile<T>(Kernel kernel, int mr, int nr, int kc, T* a, T* b, T* c, nint ldc, int rows, int cols,
                                        T alpha, T beta, Update mode, T* tile) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == mr && cols == nr)
        {
            MicroKernel(kernel, kc, a, b, c, ldc, alpha, beta, mode);
            return;
        }
        if (kernel == Kernel.Scalar)
        {
            KernelScalar(kc, a, b, tile, nr, alpha, beta, Update.Raw);
            CombineTile(tile, nr, c, ldc, rows, cols, alpha, beta, mode);
            return;
        }
        if (cols == 1 && kernel == Kernel.Vector512 && typeof(T) == typeof(float) && mr <= 16 && Avx512F.IsSupported)
        {
            // One column (a matrix-vector product, e.g. a discriminator's last layer): the rows as lanes.
            Column512((float*)a, mr, (float*)b, nr, kc, (float*)tile);
            for (int ii = 0; ii < rows; ii++) c[ii * ldc] = Combine(tile[ii], alpha, beta, c[ii * ldc], mode);
            return;
        }
        int w = kernel == Kernel.Vector512 ? Vector512<T>.Count : Vector256<T>.Count;
        int vectors = (cols + w - 1) / w;
        if (cols == vectors * w)
        {
            EdgeKernel(kernel, rows, vectors, kc, a, b, c, ldc, alpha, beta, mode);
            return;
        }
        EdgeKernel(kernel, rows, vectors, kc, a, b, tile, nr, alpha, beta, Update.Raw);
        CombineTile(tile, nr, c, ldc, rows, cols, alpha, beta, mode);
    }

    /// <summary>
    /// tile[i] = Σ_p a[p·mr + i]·b[p·nr] for the panel's mr rows (column 0 of the B panel only): the MR rows are the
    /// lanes of one vector (a masked load keeps the reads inside the panel), one FMA per k in increasing k from zero
    /// with A's value as the first factor, as the full kernel computes column 0, so the raw sums are its bits;
    /// the 14×2v kernel would spend 28 broadcasts and FMAs per k on one useful value per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Column512(float* a, int mr, float* b, int nr, int kc, float* tile)
    {
        var lanes = Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(mr)).AsSingle();
        var acc = Vector512<float>.Zero;
        for (int p = 0; p < kc; p++, a += mr, b += nr)
            acc = Simd.Fma(Avx512F.MaskLoad(a, lanes, Vector512<float>.Zero), Vector512.Create(*b), acc);
        acc.Store(tile);
    }

    /// <summary>C's valid rows × cols = the raw accumulators of a scratch tile (row stride nr), combined by <see cref="Combine"/>.</summary>
    private static unsafe void CombineTile<T>(T* tile, int nr, T* c, nint ldc, int rows, int cols, T alpha, T beta, Update mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ii = 0; ii < rows; ii++)
            for (int jj = 0; jj < cols; jj++)
                c[ii * ldc + jj] = Combine(tile[ii * nr + jj], alpha, beta, c[ii * ldc + jj], mode);
    }

    /// <summary>
    /// The vector micro-kernel restricted to its first <paramref name="rows"/> rows (of MR) and first
    /// <paramref name="vectors"/> vectors (of 2): A and B stay in their full-panel packed layouts.
    /// </summary>
    internal static unsafe void EdgeKernel<T>(Kernel kernel, int rows, int vectors, int kc, T* a, T* b, T* c, nint ldc,
                                              T alpha, T beta, Update mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kernel == Kernel.Vector512)
        {
            if (vectors == 2) Rows512<T, N2>(rows, kc, a, b, c, ldc, alpha, beta, mode);
            else Rows512<T, N1>(rows, kc, a, b, c, ldc, alpha, beta, mode);
        }
        else
        {
            if (vectors == 2) Rows256<T, N2>(rows, kc, a, b, c, ldc, alpha, beta, mode);
            else Rows256<T, N1>(rows, kc, a, b, c, ldc, alpha, beta, mode);
        }
    }

    private static unsafe void Rows512<T, V>(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, Update mode)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct, IConstant
    {
        switch (rows)
        {
            case 1: Kernel512<T, N1, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 2: Kernel512<T, N2, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 3: Kernel512<T, N3, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 4: Kernel512<T, N4, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 5: Kernel512<T, N5, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 6: Kernel512<T, N6, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 7: Kernel512<T, N7, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 8: Kernel512<T, N8, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 9: Kernel512<T, N9, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 10: Kernel512<T, N10, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 11: Kernel512<T, N11, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 12: Kernel512<T, N12, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 13: Kernel512<T, N13, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 14: Kernel512<T, N14, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), $"an edge tile has 1 to 14 rows, got {rows}");
        }
    }

    private static unsafe void Rows256<T, V>(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, Update mode)
        where T : unmanaged, IFloatingPointIeee754<T> where V : struct, IConstant
    {
        switch (rows)
        {
            case 1: Kernel256<T, N1, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 2: Kernel256<T, N2, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 3: Kernel256<T, N3, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 4: Kernel256<T, N4, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 5: Kernel256<T, N5, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            case 6: Kernel256<T, N6, V>(kc, a, b, c, ldc, alpha, beta, mode); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), $"an edge tile has 1 to 6 rows, got {rows}");
        }
    }

    /// <summary>An integer fixed at JIT time: a struct type argument specialises a kernel for it, so branches on it fold away.</summary>
    internal interface IConstant { static abstract int Value { get; } }
    internal readonly struct N1 : IConstant { public static int Value => 1; }
    internal readonly struct N2 : IConstant { public static int Value => 2; }
    internal readonly struct N3 : IConstant { public static int Value => 3; }
    internal readonly struct N4 : IConstant { public static int Value => 4; }
    internal readonly struct N5 : IConstant { public static int Value => 5; }
    internal readonly struct N6 : IConstant { public static int Value => 6; }
    internal readonly struct N7 : IConstant { public static int Value => 7; }
    internal readonly struct N8 : IConstant { public static int Value => 8; }
    internal readonly struct N9 : IConstant { public static int Value => 9; }
    internal readonly struct N10 : IConstant { public static int Value => 10; }
    internal readonly struct N11 : IConstant { public static int Value => 11; }
    internal readonly struct N12 : IConstant { public static int Value => 12; }
    internal readonly struct N13 : IConstant { public static int Value => 13; }
    internal readonly struct N14 : IConstant { public static int Value => 14; }

    /// <summary>
    /// The readable reference micro-kernel (4×4, scalar). The vector kernels compute exactly this,
    /// lane by lane: acc += a·b with one fused multiply-add per k, in increasing k.
    /// </summary>
    private static unsafe void KernelScalar<T>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, Update mode) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int mr = 4, nr = 4;
        T* acc = stackalloc T[mr * nr];
        for (int i = 0; i < mr * nr; i++) acc[i] = T.Zero;
        for (int p = 0; p < kc; p++, a += mr, b += nr)
            for (int r = 0; r < mr; r++)
                for (int j = 0; j < nr; j++)
                    acc[r * nr + j] = Simd.Fma(a[r], b[j], acc[r * nr + j]);
        for (int r = 0; r < mr; r++)
            for (int j = 0; j < nr; j++)
                c[r * ldc + j] = Combine(acc[r * nr + j], alpha, beta, c[r * ldc + j], mode);
    }

    /// <summary>The scalar form of <see cref="Update"/>; the vector <c>Put</c>s round identically.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Combine<T>(T acc, T alpha, T beta, T c, Update mode) where T : unmanaged, IFloatingPointIeee754<T> => mode switch
    {
        Update.Raw => acc,
        Update.Overwrite => acc * alpha,
        Update.Blend => Simd.Fma(acc, alpha, beta * c),
        _ => Simd.Fma(acc, alpha, c),
    };

    /// <summary>
    /// The 14×2v Vector512 micro-kernel: 28 accumulators, two loads of B and 14 broadcasts of A per k.
    /// Only its first <typeparamref name="R"/> rows and <typeparamref name="V"/> vectors are computed (an edge
    /// tile; the other accumulators and their branches fold away at JIT time, so dead rows cost nothing); the
    /// packed panels keep their full MR × NR layout. Every computed element has the same FMA chain and Put.
    /// Compiled fully optimised at once: each of the up to 28 instantiations would otherwise run its first
    /// calls as unoptimised tier-0 code with out-of-line calls to Fma and Put.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512<T, R, V>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, Update mode)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IConstant where V : struct, IConstant
    {
        int w = Vector512<T>.Count;
        Prefetch(c, ldc, R.Value, V.Value * w);
        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
        Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
        Vector512<T> c40 = Vector512<T>.Zero, c41 = Vector512<T>.Zero, c50 = Vector512<T>.Zero, c51 = Vector512<T>.Zero;
        Vector512<T> c60 = Vector512<T>.Zero, c61 = Vector512<T>.Zero, c70 = Vector512<T>.Zero, c71 = Vector512<T>.Zero;
        Vector512<T> c80 = Vector512<T>.Zero, c81 = Vector512<T>.Zero, c90 = Vector512<T>.Zero, c91 = Vector512<T>.Zero;
        Vector512<T> c100 = Vector512<T>.Zero, c101 = Vector512<T>.Zero, c110 = Vector512<T>.Zero, c111 = Vector512<T>.Zero;
        Vector512<T> c120 = Vector512<T>.Zero, c121 = Vector512<T>.Zero, c130 = Vector512<T>.Zero, c131 = Vector512<T>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = V.Value > 1 ? Vector512.Load(b + w) : default;
            { var ar = Vector512.Create(a[0]); c00 = Simd.Fma(ar, b0, c00); if (V.Value > 1) c01 = Simd.Fma(ar, b1, c01); }
            if (R.Value > 1) { var ar = Vector512.Create(a[1]); c10 = Simd.Fma(ar, b0, c10); if (V.Value > 1) c11 = Simd.Fma(ar, b1, c11); }
            if (R.Value > 2) { var ar = Vector512.Create(a[2]); c20 = Simd.Fma(ar, b0, c20); if (V.Value > 1) c21 = Simd.Fma(ar, b1, c21); }
            if (R.Value > 3) { var ar = Vector512.Create(a[3]); c30 = Simd.Fma(ar, b0, c30); if (V.Value > 1) c31 = Simd.Fma(ar, b1, c31); }
            if (R.Value > 4) { var ar = Vector512.Create(a[4]); c40 = Simd.Fma(ar, b0, c40); if (V.Value > 1) c41 = Simd.Fma(ar, b1, c41); }
            if (R.Value > 5) { var ar = Vector512.Create(a[5]); c50 = Simd.Fma(ar, b0, c50); if (V.Value > 1) c51 = Simd.Fma(ar, b1, c51); }
            if (R.Value > 6) { var ar = Vector512.Create(a[6]); c60 = Simd.Fma(ar, b0, c60); if (V.Value > 1) c61 = Simd.Fma(ar, b1, c61); }
            if (R.Value > 7) { var ar = Vector512.Create(a[7]); c70 = Simd.Fma(ar, b0, c70); if (V.Value > 1) c71 = Simd.Fma(ar, b1, c71); }
            if (R.Value > 8) { var ar = Vector512.Create(a[8]); c80 = Simd.Fma(ar, b0, c80); if (V.Value > 1) c81 = Simd.Fma(ar, b1, c81); }
            if (R.Value > 9) { var ar = Vector512.Create(a[9]); c90 = Simd.Fma(ar, b0, c90); if (V.Value > 1) c91 = Simd.Fma(ar, b1, c91); }
            if (R.Value > 10) { var ar = Vector512.Create(a[10]); c100 = Simd.Fma(ar, b0, c100); if (V.Value > 1) c101 = Simd.Fma(ar, b1, c101); }
            if (R.Value > 11) { var ar = Vector512.Create(a[11]); c110 = Simd.Fma(ar, b0, c110); if (V.Value > 1) c111 = Simd.Fma(ar, b1, c111); }
            if (R.Value > 12) { var ar = Vector512.Create(a[12]); c120 = Simd.Fma(ar, b0, c120); if (V.Value > 1) c121 = Simd.Fma(ar, b1, c121); }
            if (R.Value > 13) { var ar = Vector512.Create(a[13]); c130 = Simd.Fma(ar, b0, c130); if (V.Value > 1) c131 = Simd.Fma(ar, b1, c131); }
            a += 14;
            b += 2 * w;
        }
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        { Put(c + 0 * ldc, c00, va, vb, mode); if (V.Value > 1) Put(c + 0 * ldc + w, c01, va, vb, mode); }
        if (R.Value > 1) { Put(c + 1 * ldc, c10, va, vb, mode); if (V.Value > 1) Put(c + 1 * ldc + w, c11, va, vb, mode); }
        if (R.Value > 2) { Put(c + 2 * ldc, c20, va, vb, mode); if (V.Value > 1) Put(c + 2 * ldc + w, c21, va, vb, mode); }
        if (R.Value > 3) { Put(c + 3 * ldc, c30, va, vb, mode); if (V.Value > 1) Put(c + 3 * ldc + w, c31, va, vb, mode); }
        if (R.Value > 4) { Put(c + 4 * ldc, c40, va, vb, mode); if (V.Value > 1) Put(c + 4 * ldc + w, c41, va, vb, mode); }
        if (R.Value > 5) { Put(c + 5 * ldc, c50, va, vb, mode); if (V.Value > 1) Put(c + 5 * ldc + w, c51, va, vb, mode); }
        if (R.Value > 6) { Put(c + 6 * ldc, c60, va, vb, mode); if (V.Value > 1) Put(c + 6 * ldc + w, c61, va, vb, mode); }
        if (R.Value > 7) { Put(c + 7 * ldc, c70, va, vb, mode); if (V.Value > 1) Put(c + 7 * ldc + w, c71, va, vb, mode); }
        if (R.Value > 8) { Put(c + 8 * ldc, c80, va, vb, mode); if (V.Value > 1) Put(c + 8 * ldc + w, c81, va, vb, mode); }
        if (R.Value > 9) { Put(c + 9 * ldc, c90, va, vb, mode); if (V.Value > 1) Put(c + 9 * ldc + w, c91, va, vb, mode); }
        if (R.Value > 10) { Put(c + 10 * ldc, c100, va, vb, mode); if (V.Value > 1) Put(c + 10 * ldc + w, c101, va, vb, mode); }
        if (R.Value > 11) { Put(c + 11 * ldc, c110, va, vb, mode); if (V.Value > 1) Put(c + 11 * ldc + w, c111, va, vb, mode); }
        if (R.Value > 12) { Put(c + 12 * ldc, c120, va, vb, mode); if (V.Value > 1) Put(c + 12 * ldc + w, c121, va, vb, mode); }
        if (R.Value > 13) { Put(c + 13 * ldc, c130, va, vb, mode); if (V.Value > 1) Put(c + 13 * ldc + w, c131, va, vb, mode); }
    }

    /// <summary>
    /// The 6×2v Vector256 micro-kernel: 12 of the 16 ymm registers hold accumulators. Restricted to
    /// <typeparamref name="R"/> rows and <typeparamref name="V"/> vectors as <see cref="Kernel512{T, R, V}"/> is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256<T, R, V>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, Update mode)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IConstant where V : struct, IConstant
    {
        int w = Vector256<T>.Count;
        Prefetch(c, ldc, R.Value, V.Value * w);
        Vector256<T> c00 = Vector256<T>.Zero, c01 = Vector256<T>.Zero, c10 = Vector256<T>.Zero, c11 = Vector256<T>.Zero;
        Vector256<T> c20 = Vector256<T>.Zero, c21 = Vector256<T>.Zero, c30 = Vector256<T>.Zero, c31 = Vector256<T>.Zero;
        Vector256<T> c40 = Vector256<T>.Zero, c41 = Vector256<T>.Zero, c50 = Vector256<T>.Zero, c51 = Vector256<T>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = V.Value > 1 ? Vector256.Load(b + w) : default;
            { var ar = Vector256.Create(a[0]); c00 = Simd.Fma(ar, b0, c00); if (V.Value > 1) c01 = Simd.Fma(ar, b1, c01); }
            if (R.Value > 1) { var ar = Vector256.Create(a[1]); c10 = Simd.Fma(ar, b0, c10); if (V.Value > 1) c11 = Simd.Fma(ar, b1, c11); }
            if (R.Value > 2) { var ar = Vector256.Create(a[2]); c20 = Simd.Fma(ar, b0, c20); if (V.Value > 1) c21 = Simd.Fma(ar, b1, c21); }
            if (R.Value > 3) { var ar = Vector256.Create(a[3]); c30 = Simd.Fma(ar, b0, c30); if (V.Value > 1) c31 = Simd.Fma(ar, b1, c31); }
            if (R.Value > 4) { var ar = Vector256.Create(a[4]); c40 = Simd.Fma(ar, b0, c40); if (V.Value > 1) c41 = Simd.Fma(ar, b1, c41); }
            if (R.Value > 5) { var ar = Vector256.Create(a[5]); c50 = Simd.Fma(ar, b0, c50); if (V.Value > 1) c51 = Simd.Fma(ar, b1, c51); }
            a += 6;
            b += 2 * w;
        }
        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        { Put(c + 0 * ldc, c00, va, vb, mode); if (V.Value > 1) Put(c + 0 * ldc + w, c01, va, vb, mode); }
        if (R.Value > 1) { Put(c + 1 * ldc, c10, va, vb, mode); if (V.Value > 1) Put(c + 1 * ldc + w, c11, va, vb, mode); }
        if (R.Value > 2) { Put(c + 2 * ldc, c20, va, vb, mode); if (V.Value > 1) Put(c + 2 * ldc + w, c21, va, vb, mode); }
        if (R.Value > 3) { Put(c + 3 * ldc, c30, va, vb, mode); if (V.Value > 1) Put(c + 3 * ldc + w, c31, va, vb, mode); }
        if (R.Value > 4) { Put(c + 4 * ldc, c40, va, vb, mode); if (V.Value > 1) Put(c + 4 * ldc + w, c41, va, vb, mode); }
        if (R.Value > 5) { Put(c + 5 * ldc, c50, va, vb, mode); if (V.Value > 1) Put(c + 5 * ldc + w, c51, va, vb, mode); }
    }

    /// <summary>
    /// Starts loading the C tile into L1 before the k loop, so that the final read-modify-write does
    /// not stall on up to 2·MR cache misses at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch<T>(T* c, nint ldc, int rows, int cols) where T : unmanaged
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + cols - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<T>(T* c, Vector512<T> acc, Vector512<T> alpha, Vector512<T> beta, Update mode) where T : unmanaged
    {
        var r = mode switch
        {
            Update.Raw => acc,
            Update.Overwrite => acc * alpha,
            Update.Blend => Simd.Fma(acc, alpha, beta * Vector512.Load(c)),
            _ => Simd.Fma(acc, alpha, Vector512.Load(c)),
        };
        r.Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<T>(T* c, Vector256<T> acc, Vector256<T> alpha, Vector256<T> beta, Update mode) where T : unmanaged
    {
        var r = mode switch
        {
            Update.Raw => acc,
            Update.Overwrite => acc * alpha,
            Update.Blend => Simd.Fma(acc, alpha, beta * Vector256.Load(c)),
            _ => Simd.Fma(acc, alpha, Vector256.Load(c)),
        };
        r.Store(c);
    }
}
