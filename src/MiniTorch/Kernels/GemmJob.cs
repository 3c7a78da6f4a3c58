using System.Numerics;
using System.Runtime.CompilerServices;

namespace MiniTorch.Kernels;

/// <summary>
/// One GEMM call in flight: walks the (nc, kc) blocks, packs B once per block, and hands out
/// output blocks (row panels × column panels) to <see cref="Threading.For(int, Action{int})"/>. An object rather than
/// locals because the parallel work items need the pointers (spans cannot be captured).
/// </summary>
internal sealed unsafe class GemmJob<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // One reusable job per calling thread: a GEMM never runs another GEMM on its own thread while
    // it is in flight, and reuse keeps steady-state calls (e.g. per convolution tile) allocation-free.
    [ThreadStatic] private static GemmJob<T>? _cached;

    private Gemm.Blocking _blk;
    private int _threads, _m, _n, _k;
    private bool _transA, _transB;
    private T _alpha, _beta;
    private T* _a, _b, _c;
    private nint _lda, _ldb, _ldc;
    private IPanelSource<T>? _bSource;
    private IRowPanelSource<T>? _aSource;
    private readonly Action<int> _packItem, _computeItem;

    // The current (jc, pc) block and its work split.
    private int _jc, _nc, _pc, _kc, _bPanels, _rowPanels, _mBlocks, _nBlocks, _packItems, _aItems;
    private T* _packedB;
    // With several column blocks, A's panels are packed once per (jc, pc) block into the calling thread's
    // A workspace and shared by every column block (null: each block packs its own rows of A).
    private T* _sharedA;

    private GemmJob()
    {
        _packItem = PackItem;
        _computeItem = ComputeItem;
    }

    public static void Run(Gemm.Blocking blk, int threads, bool transA, bool transB, int m, int n, int k, T alpha,
                           T* a, nint lda, T* b, nint ldb, T beta, T* c, nint ldc, IPanelSource<T>? bSource = null,
                           IRowPanelSource<T>? aSource = null)
    {
        var job = _cached ??= new GemmJob<T>();
        (job._blk, job._threads, job._transA, job._transB, job._m, job._n, job._k, job._alpha, job._beta) =
            (blk, threads, transA, transB, m, n, k, alpha, beta);
        job._a = a; job._b = b; job._c = c;
        (job._lda, job._ldb, job._ldc) = (lda, ldb, ldc);
        job._bSource = bSource;
        job._aSource = aSource;
        try { job.Run(); }
        finally { job._bSource = null; job._aSource = null; }
    }

    private void Run()
    {
        int mr = _blk.MR, nr = _blk.NR;
        _rowPanels = (_m + mr - 1) / mr;
        int maxPanels = (Math.Min(_blk.NC, _n) + nr - 1) / nr;
        _packedB = (T*)Workspace.PackedB.Get((nint)maxPanels * nr * Math.Min(_blk.KC, _k) * sizeof(T));
        for (_jc = 0; _jc < _n; _jc += _blk.NC)
        {
            _nc = Math.Min(_blk.NC, _n - _jc);
            _bPanels = (_nc + nr - 1) / nr;
            SplitWork();
            for (_pc = 0; _pc < _k; _pc += _blk.KC)
            {
                _kc = Math.Min(_blk.KC, _k - _pc);
                _sharedA = _aItems > 0 ? (T*)Workspace.PackedA.Get((nint)_rowPanels * mr * _kc * sizeof(T)) : null;
                Dispatch(_packItems + _aItems, _packItem);
                Dispatch(_mBlocks * _nBlocks, _computeItem);
            }
        }
    }

    private void Dispatch(int count, Action<int> body)
    {
        if (_threads > 1) Threading.For(count, body);
        else for (int i = 0; i < count; i++) body(i);
    }

    /// <summary>
    /// Chooses the output blocks. Row blocks hold at most MC rows; with several threads the rows are
    /// split further when there are plenty of row panels, otherwise the columns are split instead
    /// (A's panels are then packed once per k-slice, beside B, and shared by the column blocks).
    /// The split never changes any element's arithmetic, only who computes it.
    /// </summary>
    private void SplitWork()
    {
        int panelsPerBlock = _blk.MC / _blk.MR;
        _mBlocks = (_rowPanels + panelsPerBlock - 1) / panelsPerBlock;
        _nBlocks = 1;
        if (_threads > 1)
        {
            // About four blocks per thread, handed out dynamically, absorb uneven progress (another
            // process on a core); a block of at least four panels still reuses each B panel from L1.
            if (_rowPanels >= 8 * _threads) _mBlocks = Math.Max(_mBlocks, Math.Min(4 * _threads, _rowPanels / 4));
            else _nBlocks = Math.Min(_bPanels, 4 * _threads);
        }
        _packItems = Math.Min(_bPanels, _threads == 1 ? 1 : 4 * _threads);
        // Column blocks would each pack the same rows of A again: pack them once, beside B.
        _aItems = _nBlocks > 1 ? Math.Min(_rowPanels, 4 * _threads) : 0;
    }

    /// <summary>Pack items: the first <c>_packItems</c> pack B's panels, the next <c>_aItems</c> the shared A's panels.</summary>
    private void PackItem(int item)
    {
        if (item >= _packItems)
        {
            int i = item - _packItems;
            int r0 = (int)((long)i * _rowPanels / _aItems), r1 = (int)((long)(i + 1) * _rowPanels / _aItems);
            PackAPanels(r0, r1, _sharedA + (nint)r0 * _blk.MR * _kc);
            return;
        }
        int q0 = (int)((long)item * _bPanels / _packItems), q1 = (int)((long)(item + 1) * _bPanels / _packItems);
        for (int q = q0; q < q1; q++) PackBPanel(q);
    }

    /// <summary>Packs columns [q·NR, q·NR + NR) of the kc×nc slice of op(B), k-major, zero-padded.</summary>
    private void PackBPanel(int q)
    {
        int nr = _blk.NR, kc = _kc, j0 = _jc + q * nr, cols = Math.Min(nr, _jc + _nc - j0);
        T* dst = _packedB + (nint)q * nr * kc;
        if (_bSource is { } source)
        {
            // B is never stored: its source writes the panel (the same values packing would copy).
            source.Pack(_pc, kc, j0, cols, nr, dst);
            return;
        }
        if (!_transB)
        {
            // op(B)[p, j] = b[p·ldb + j]: each k-row of the panel is a contiguous run.
            T* src = _b + (_pc * _ldb) + j0;
            if (cols < nr) new Span<T>(dst, kc * nr).Clear();
            CopyRuns(src, _ldb, dst, nr, kc, cols);
        }
        else
        {
            // op(B)[p, j] = b[j·ldb + p]: each stored row becomes one column of the panel.
            // Chunked over k for the same reason as in PackAPanel.
            // A partial panel is cleared whole first (vector stores), then its valid columns are filled.
            const int chunk = 16;
            if (cols < nr) new Span<T>(dst, kc * nr).Clear();
            for (int p0 = 0; p0 < kc; p0 += chunk)
            {
                int pe = Math.Min(kc, p0 + chunk);
                for (int j = 0; j < cols; j++)
                {
                    T* src = _b + (j0 + j) * _ldb + _pc;
                    for (int p = p0; p < pe; p++) dst[p * nr + j] = src[p];
                }
            }
        }
    }

    /// <summary>
    /// Packs row panels [r0, r1) of the m×kc slice of op(A) side by side from <paramref name="dst"/>. A transposed A
    /// (op(A)[i, p] = a[p·lda + i]) is walked a few k at a time across all the panels: each panel's k-rows are short
    /// runs (MR values) of rows of a that lie lda apart, often a power of two (4 KB for m = 1024 in float32), so
    /// packing panel by panel over the whole kc fetched the same lines again for every panel after the L1 set holding
    /// them had been overrun (the TN m 1024 n 32 k 256 GEMM of the example's step packed A at a third of its time).
    /// Only the order of the copies changes.
    /// </summary>
    private void PackAPanels(int r0, int r1, T* dst)
    {
        int mr = _blk.MR, kc = _kc;
        if (_aSource is { } source)
        {
            // A is never stored: its source writes each panel (the same values packing would copy, zero past the rows).
            for (int r = r0; r < r1; r++) source.Pack(_pc, kc, r * mr, Math.Min(mr, _m - r * mr), mr, dst + (nint)(r - r0) * mr * kc);
            return;
        }
        if (!_transA)
        {
            for (int r = r0; r < r1; r++) PackAPanel(r * mr, dst + (nint)(r - r0) * mr * kc);
            return;
        }
        // Eight k-rows: their eight lines share one L1 set when lda is a multiple of 4 KB and stay there (8 ways).
        const int chunk = 8;
        for (int p0 = 0; p0 < kc; p0 += chunk)
        {
            int count = Math.Min(chunk, kc - p0);
            for (int r = r0; r < r1; r++)
            {
                int i0 = r * mr, rows = Math.Min(mr, _m - i0);
                T* d = dst + (nint)(r - r0) * mr * kc + (nint)p0 * mr;
                if (rows < mr) new Span<T>(d, count * mr).Clear();
                CopyRuns(_a + (_pc + p0) * _lda + i0, _lda, d, mr, count, rows);
            }
        }
    }

    /// <summary>Packs rows [i0, i0 + MR) of the m×kc slice of op(A) as one panel, k-major, zero-padded.</summary>
    private void PackAPanel(int i0, T* dst)
    {
        int mr = _blk.MR, kc = _kc, rows = Math.Min(mr, _m - i0);
        if (!_transA)
        {
            // op(A)[i, p] = a[i·lda + p]: each stored row becomes one column of the panel. Work in
            // chunks of one cache line of k so that each source line is read once while the chunk of
            // the panel being written stays in L1 (stepping p across MR rows directly would touch MR
            // lines a power-of-two stride apart, which collide in the same L1 set).
            const int chunk = 16;
            int start = 0;
            if (typeof(T) == typeof(float) && mr <= 16 && Transpose16.IsSupported)
            {
                // Whole chunks as 16×16 register transposes (rows past the panel's read as zeros). A chunk's rows run
                // 16 − MR values into the next chunk's place, which is written after it; the panel's last chunk goes
                // through a 16-wide scratch block so that nothing past the panel is touched.
                float* s = (float*)(_a + i0 * _lda + _pc), d = (float*)dst;
                float* block = stackalloc float[16 * 16];
                for (; start + chunk <= kc; start += chunk)
                {
                    if (start + chunk < kc || mr == 16) Transpose16.Block(s + start, _lda, rows, d + start * mr, mr);
                    else
                    {
                        Transpose16.Block(s + start, _lda, rows, block, 16);
                        for (int p = 0; p < chunk; p++) Unsafe.CopyBlockUnaligned(d + (start + p) * mr, block + p * 16, (uint)(mr * sizeof(float)));
                    }
                }
            }
            for (int p0 = start; p0 < kc; p0 += chunk)
            {
                int pe = Math.Min(kc, p0 + chunk);
                for (int r = 0; r < mr; r++)
                {
                    if (r < rows)
                    {
                        T* src = _a + (i0 + r) * _lda + _pc;
                        for (int p = p0; p < pe; p++) dst[p * mr + r] = src[p];
                    }
                    else for (int p = p0; p < pe; p++) dst[p * mr + r] = T.Zero;
                }
            }
        }
        else
        {
            // op(A)[i, p] = a[p·lda + i]: each k of the panel is a contiguous run.
            T* src = _a + _pc * _lda + i0;
            if (rows < mr) new Span<T>(dst, kc * mr).Clear();
            CopyRuns(src, _lda, dst, mr, kc, rows);
        }
    }

    /// <summary>
    /// dst[p·dstStride + i] = src[p·srcStride + i] for p &lt; count, i &lt; run: a panel's k-rows from contiguous runs.
    /// The panel widths' run lengths are copied with a constant size, which the JIT turns into a few vector
    /// moves (a variable size calls Memmove for each run: with <see cref="PackAPanels"/>' order, the 56-byte runs
    /// of a 14-row float32 A panel took TN m 1024 n 32 k 256 from 78 to 94 GFLOP per CPU-second, `quick-gemm-edge
    /// example`; either change alone gained nothing).
    /// </summary>
    private static void CopyRuns(T* src, nint srcStride, T* dst, nint dstStride, int count, int run)
    {
        switch (run * sizeof(T))
        {
            case 24: for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, 24); break;
            case 48: for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, 48); break;
            case 56: for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, 56); break;
            case 64: for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, 64); break;
            case 112: for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, 112); break;
            case 128: for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, 128); break;
            default:
                for (int p = 0; p < count; p++, src += srcStride, dst += dstStride) Unsafe.CopyBlockUnaligned(dst, src, (uint)(run * sizeof(T)));
                break;
        }
    }

    /// <summary>One output block: pack its rows of A (unless they are shared), then run the micro-kernel over its tiles.</summary>
    private void ComputeItem(int item)
    {
        int mi = item / _nBlocks, ni = item % _nBlocks;
        int r0 = (int)((long)mi * _rowPanels / _mBlocks), r1 = (int)((long)(mi + 1) * _rowPanels / _mBlocks);
        int q0 = (int)((long)ni * _bPanels / _nBlocks), q1 = (int)((long)(ni + 1) * _bPanels / _nBlocks);
        int mr = _blk.MR, nr = _blk.NR, kc = _kc;
        T* packedA;
        if (_sharedA != null) packedA = _sharedA + (nint)r0 * mr * kc;
        else
        {
            packedA = (T*)Workspace.PackedA.Get((nint)(r1 - r0) * mr * kc * sizeof(T));
            PackAPanels(r0, r1, packedA);
        }

        var mode = Gemm.SliceMode(_pc, _beta);
        T* tile = stackalloc T[mr * nr];
        for (int q = q0; q < q1; q++)
        {
            int j = _jc + q * nr, cols = Math.Min(nr, _n - j);
            T* bp = _packedB + (nint)q * nr * kc;
            for (int r = r0; r < r1; r++)
            {
                int i = r * mr, rows = Math.Min(mr, _m - i);
                T* ap = packedA + (nint)(r - r0) * mr * kc;
                Gemm.Tile(_blk.Kernel, mr, nr, kc, ap, bp, _c + i * _ldc + j, _ldc, rows, cols, _alpha, _beta, mode, tile);
            }
        }
    }
}

/// <summary>
/// A B operand that is never stored as a matrix (an implicit im2col): it writes panels of op(B) in
/// the packed layout directly, so the GEMM sees exactly the values packing a stored B would give.
/// </summary>
internal unsafe interface IPanelSource<T> where T : unmanaged
{
    /// <summary>
    /// Writes rows [k0, k0 + kc) of columns [j0, j0 + cols) of op(B) as one panel, k-major:
    /// dst[p·nr + j] = op(B)[k0 + p, j0 + j], and zero for cols ≤ j &lt; nr.
    /// </summary>
    void Pack(int k0, int kc, int j0, int cols, int nr, T* dst);
}

/// <summary>
/// An A operand that is never stored as a matrix (an implicit im2col on the rows' side): it writes MR-high panels of
/// op(A) in the packed layout directly, so the GEMM sees exactly the values packing a stored A would give.
/// </summary>
internal unsafe interface IRowPanelSource<T> where T : unmanaged
{
    /// <summary>
    /// Writes columns [k0, k0 + kc) of rows [i0, i0 + rows) of op(A) as one panel, k-major:
    /// dst[p·mr + i] = op(A)[i0 + i, k0 + p], and zero for rows ≤ i &lt; mr.
    /// </summary>
    void Pack(int k0, int kc, int i0, int rows, int mr, T* dst);
}

/// <summary>
/// Per-thread packing buffers, 64-byte aligned and kept between calls so that steady-state GEMMs
/// allocate nothing. Pinned arrays rather than native memory, so the GC frees them with the thread.
/// </summary>
internal sealed unsafe class Workspace
{
    [ThreadStatic] private static Workspace? _a, _b;
    private byte[]? _array;
    private byte* _aligned;
    private nint _capacity;

    public static Workspace PackedA => _a ??= new Workspace();
    public static Workspace PackedB => _b ??= new Workspace();

    /// <summary>A 64-byte aligned buffer of at least <paramref name="bytes"/> bytes (contents undefined).</summary>
    public byte* Get(nint bytes)
    {
        if (bytes > _capacity)
        {
            _array = GC.AllocateUninitializedArray<byte>(checked((int)bytes + 64), pinned: true);
            byte* p = (byte*)Unsafe.AsPointer(ref _array[0]);
            _aligned = (byte*)(((nint)p + 63) & ~(nint)63);
            _capacity = bytes;
        }
        return _aligned;
    }
}
