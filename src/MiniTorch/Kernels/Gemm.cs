using System.Numerics;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: C = α·op(A)·op(B) + β·C, where op(A) is m×k and
/// op(B) is k×n. <c>lda</c>, <c>ldb</c>, <c>ldc</c> are row strides of the stored matrices.
/// </summary>
/// <remarks>
/// The classic Goto/BLIS structure: C is cut into NC-wide column blocks and k into KC-deep slices;
/// each kc×nc slice of op(B) is packed once into NR-wide panels (sized to stay in the last-level
/// cache), each mc×kc block of op(A) is packed into MR-high panels (sized for L2), and a register
/// micro-kernel multiplies one A panel by one B panel (the B panel, kc×NR, stays in L1).
/// Transposes only change how the packing reads, so no whole matrix is ever copied.
/// <para>
/// Threads split the output into blocks, never k: every element of C is accumulated over the same
/// k-slices in the same order whatever the thread count, so results are bitwise reproducible.
/// β = 0 never reads C (NaNs in it do not propagate), and k = 0 or α = 0 just scales C by β.
/// </para>
/// </remarks>
internal static partial class Gemm
{
    /// <summary>Below this many multiply-adds waking threads costs more than it saves.</summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>The micro-kernel flavour (tests select each one; production uses <see cref="Best"/>).</summary>
    internal enum Kernel { Scalar, Vector256, Vector512 }

    /// <summary>The widest micro-kernel this CPU accelerates.</summary>
    internal static readonly Kernel Best =
        Vector512.IsHardwareAccelerated ? Kernel.Vector512 : Vector256.IsHardwareAccelerated ? Kernel.Vector256 : Kernel.Scalar;

    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
                                   ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                   T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, parallel: true);

    /// <summary>As above; <paramref name="parallel"/> = false keeps the call on the calling thread.</summary>
    public static unsafe void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
                                          ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                          T beta, Span<T> c, int ldc, bool parallel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(nameof(a), a.Length, transA ? k : m, transA ? m : k, lda);
        Check(nameof(b), b.Length, transB ? n : k, transB ? k : n, ldb);
        Check(nameof(c), c.Length, m, n, ldc);
        fixed (T* pa = a, pb = b, pc = c)
            Run(Blocking.Of<T>(Best), parallel, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>
    /// Pointer form for callers that already hold pinned memory (e.g. convolution tiles). The
    /// matrices must not overlap C.
    /// </summary>
    public static unsafe void Multiply<T>(bool transA, bool transB, int m, int n, int k, T alpha,
                                          T* a, int lda, T* b, int ldb, T beta, T* c, int ldc,
                                          bool parallel = true) where T : unmanaged, IFloatingPointIeee754<T>
        => Run(Blocking.Of<T>(Best), parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// C = op(A)·B (α = 1, β = 0) with B given by <paramref name="b"/>, which writes its packed panels
    /// directly (an implicit im2col): the same blocking, k order and bits as a stored B with those values.
    /// </summary>
    public static unsafe void Multiply<T>(bool transA, int m, int n, int k, T* a, int lda, IPanelSource<T> b, T* c, int ldc,
                                          bool parallel) where T : unmanaged, IFloatingPointIeee754<T>
        => Run(Blocking.Of<T>(Best), parallel, transA, false, m, n, k, T.One, a, lda, null, 0, T.Zero, c, ldc, b);

    /// <summary>
    /// C = op(A)·B (α = 1, β = 0) with A given by <paramref name="a"/>, which writes its packed panels directly (an
    /// implicit im2col on the rows' side): the same blocking, k order and bits as a stored A with those values.
    /// </summary>
    public static unsafe void Multiply<T>(int m, int n, int k, IRowPanelSource<T> a, T* b, int ldb, T* c, int ldc, bool parallel)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(Blocking.Of<T>(Best), parallel, false, false, m, n, k, T.One, null, 0, b, ldb, T.Zero, c, ldc, aSource: a);

    /// <summary>Checks that a rows×cols matrix with row stride ld fits in a span of the given length.</summary>
    private static void Check(string name, int length, int rows, int cols, int ld)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(name, $"GEMM sizes must be non-negative, got {rows}x{cols}");
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentOutOfRangeException(name, $"leading dimension {ld} of {name} is smaller than its {cols} columns");
        if ((long)(rows - 1) * ld + cols > length)
            throw new ArgumentException($"{name} holds {length} elements, too few for a {rows}x{cols} matrix with leading dimension {ld}", name);
    }

    /// <summary>
    /// The driver, with the micro-kernel and block sizes chosen explicitly (tests run every kernel
    /// flavour and small blocks that make every block boundary cheap to cross).
    /// </summary>
    internal static unsafe void Run<T>(Blocking blocking, bool parallel, bool transA, bool transB, int m, int n, int k, T alpha,
                                       T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, IPanelSource<T>? bSource = null,
                                       IRowPanelSource<T>? aSource = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0 || alpha == T.Zero)
        {
            Scale(m, n, beta, c, ldc);
            return;
        }
        int threads = parallel && (long)m * n * k >= ParallelThreshold ? Threading.NumThreads : 1;
        GemmJob<T>.Run(blocking, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bSource, aSource);
    }

    /// <summary>C = β·C, with β = 0 writing zeros (BLAS semantics: C is then not read).</summary>
    private static unsafe void Scale<T>(int m, int n, T beta, T* c, nint ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>
    /// Register tile (MR×NR) and cache blocks (KC, MC, NC) for one element type and kernel.
    /// MC must be a multiple of MR and NC of NR; MR and NR are fixed by the kernel.
    /// </summary>
    internal readonly record struct Blocking(Kernel Kernel, int MR, int NR, int KC, int MC, int NC)
    {
        public static unsafe Blocking Of<T>(Kernel kernel) where T : unmanaged
        {
            int size = sizeof(T);
            var (mr, nr) = kernel switch
            {
                Kernel.Vector512 => (14, 2 * 64 / size),
                Kernel.Vector256 => (6, 2 * 32 / size),
                _ => (4, 4),
            };
            // A kc×NR panel of B is reused by every A panel of the block, which stream past it: the
            // B panel and one A panel (MR×kc) together take three quarters of L1.
            int kc = Math.Clamp(CacheInfo.L1 * 3 / 4 / ((mr + nr) * size), 64, 512) / 8 * 8;
            // The packed mc×kc block of A is reused for every B panel: half of L2.
            int mc = Math.Max(mr, CacheInfo.L2 / 2 / (kc * size) / mr * mr);
            // The packed kc×nc slice of B is shared by all cores: half of the last-level cache.
            int nc = Math.Max(nr, CacheInfo.L3 / 2 / (kc * size) / nr * nr);
            return new Blocking(kernel, mr, nr, kc, mc, nc);
        }
    }
}
