using System.Numerics;
using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Kernels;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// Edge tiles (fewer valid rows or columns than the register tile) run row- and vector-specialised
/// kernels straight into C. They must give every element exactly the bits of the full kernel through
/// a scratch tile: the same FMA chain over k (increasing, from zero, per KC slice) and the same rounding
/// of α, β and the earlier slices.
/// </summary>
public class GemmEdgeTests
{
    private static readonly Gemm.Kernel[] VectorKernels = [Gemm.Kernel.Vector256, Gemm.Kernel.Vector512];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Tile_EveryEdge_IsBitwiseTheFullKernelThroughScratch(bool isDouble)
    {
        if (isDouble) AllEdges<double>(); else AllEdges<float>();
    }

    private static unsafe void AllEdges<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(17);
        foreach (var kernel in VectorKernels)
        {
            var blk = Gemm.Blocking.Of<T>(kernel);
            int mr = blk.MR, nr = blk.NR, w = kernel == Gemm.Kernel.Vector512 ? Vector512<T>.Count : Vector256<T>.Count;
            const int kc = 37, pad = 5;
            int ldc = nr + pad;
            var a = Random<T>(rng, mr * kc);
            var b = Random<T>(rng, kc * nr);
            var c0 = Random<T>(rng, (mr + 1) * ldc);
            var scratch = new T[mr * nr];
            var tileScratch = new T[mr * nr];
            foreach (var mode in Enum.GetValues<Gemm.Update>())
                foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.75, 1.0), (1.5, 0.3) })
                    for (int rows = 1; rows <= mr; rows++)
                        foreach (int cols in new[] { 1, w - 1, w, w + 1, nr - 1, nr }.Distinct())
                        {
                            T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
                            var want = (T[])c0.Clone();
                            var got = (T[])c0.Clone();
                            fixed (T* pa = a, pb = b, pw = want, pg = got, ps = scratch, tile = tileScratch)
                            {
                                // The path edge tiles took before: all MR×NR through the full kernel, then the valid part combined.
                                Gemm.MicroKernel(kernel, kc, pa, pb, ps, nr, al, be, Gemm.Update.Raw);
                                for (int i = 0; i < rows; i++)
                                    for (int j = 0; j < cols; j++)
                                        pw[i * ldc + j] = Gemm.Combine(ps[i * nr + j], al, be, pw[i * ldc + j], mode);
                                Gemm.Tile(kernel, mr, nr, kc, pa, pb, pg, ldc, rows, cols, al, be, mode, tile);
                            }
                            AssertBitwise(want, got, $"{kernel} {typeof(T).Name} {rows}x{cols} {mode} α {alpha} β {beta}");
                        }
        }
    }

    /// <summary>Ragged GEMMs over every kernel and blocking: bitwise the scalar FMA chain per KC slice.</summary>
    [Property(MaxTest = 300)]
    public Property Multiply_RaggedShapes_AreBitwiseTheFmaChain() => TensorGen.ForAll(
        from m in Gen.Choose(1, 60)
        from n in Gen.Choose(1, 80)
        from k in Gen.OneOf(Gen.Choose(0, 3), Gen.Choose(1, 40))
        from transA in Gen.Elements(false, true)
        from transB in Gen.Elements(false, true)
        from alpha in Gen.Elements(1.0, -0.5, 2.0)
        from beta in Gen.Elements(0.0, 1.0, 0.75)
        from kernel in Gen.Elements(Gemm.Kernel.Scalar, Gemm.Kernel.Vector256, Gemm.Kernel.Vector512)
        from small in Gen.Elements(false, true)
        from isDouble in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select (m, n, k, transA, transB, alpha, beta, kernel, small, isDouble, seed),
        t =>
        {
            if (t.isDouble) AssertFmaChain<double>(t.m, t.n, t.k, t.transA, t.transB, t.alpha, t.beta, t.kernel, t.small, t.seed);
            else AssertFmaChain<float>(t.m, t.n, t.k, t.transA, t.transB, t.alpha, t.beta, t.kernel, t.small, t.seed);
        });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multiply_EveryRowCount_ProductionBlocks_IsBitwiseTheFmaChain(bool parallel)
    {
        // Every edge row count of both vector kernels, k over three KC slices, the DCGAN pixel counts' ragged
        // column panels (16 of 32, 1 of 32) and a ragged one; β = 1 blends the first slice, later ones accumulate.
        foreach (var kernel in VectorKernels)
        {
            var f = Gemm.Blocking.Of<float>(kernel);
            foreach (int m in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 20, 32, 64 })
                foreach (int n in new[] { 16, 33, 45 })
                {
                    AssertFmaChain<float>(m, n, 2 * f.KC + 7, false, false, 1.0, m % 2 == 0 ? 1.0 : 0.0, kernel, false, m * 100 + n, parallel);
                    AssertFmaChain<double>(m, n, 2 * Gemm.Blocking.Of<double>(kernel).KC + 3, true, true, -0.5, 0.75, kernel, false, m * 100 + n + 1, parallel);
                }
        }
    }

    [Fact]
    public void Multiply_ShortA_ColumnSplitSharingPackedA_IsBitwiseTheFmaChain()
    {
        // Short A on several threads: the columns are split and A's panels are packed once per k-slice and
        // shared by the column blocks (transposed or not, over three KC slices, edge rows included).
        int saved = Threading.NumThreads;
        try
        {
            foreach (int threads in new[] { 2, 3 })
            {
                Threading.NumThreads = threads;
                var f = Gemm.Blocking.Of<float>(Gemm.Best);
                foreach (int m in new[] { 1, 16, 30, 64, 100, 200 })
                    foreach (bool transA in new[] { false, true })
                    {
                        AssertFmaChain<float>(m, 700, 2 * f.KC + 5, transA, false, 1.0, 0.5, Gemm.Best, false, m + threads, parallel: true);
                        AssertFmaChain<double>(m, 333, 2 * Gemm.Blocking.Of<double>(Gemm.Best).KC + 5, transA, true, -1.0, 0.0, Gemm.Best, false, m * threads, parallel: true);
                    }
            }
        }
        finally { Threading.NumThreads = saved; }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Multiply_TransposedA_PackedAcrossPanels_IsBitwiseTheFmaChain(bool parallel)
    {
        // A transposed A is packed a few k-rows at a time across all of a block's panels: tall A (the example's
        // TN m 1024 n 32, lda a multiple of 4 KB), ragged last panels, k-slices whose depth is no multiple of the
        // chunk, one and several column panels, float32 and float64 (other run lengths), every kernel flavour.
        foreach (var kernel in new[] { Gemm.Kernel.Scalar, Gemm.Kernel.Vector256, Gemm.Kernel.Vector512 })
        {
            var f = Gemm.Blocking.Of<float>(kernel);
            var d = Gemm.Blocking.Of<double>(kernel);
            foreach (var (m, n) in new[] { (1024, 32), (1027, 33), (3 * f.MR + 5, 70), (f.MR, 1) })
            {
                AssertFmaChain<float>(m, n, 2 * f.KC + 5, true, false, 1.0, 0.0, kernel, false, m + n, parallel);
                AssertFmaChain<double>(m, n, d.KC + 3, true, m % 2 == 0, -0.5, 1.0, kernel, false, m * n, parallel);
            }
        }
    }

    private static unsafe void AssertFmaChain<T>(int m, int n, int k, bool transA, bool transB, double alpha, double beta,
                                                 Gemm.Kernel kernel, bool small, int seed, bool parallel = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var blk = Gemm.Blocking.Of<T>(kernel);
        if (small) blk = blk with { KC = 5, MC = 2 * blk.MR, NC = 2 * blk.NR };
        var rng = new Random(seed);
        int lda = transA ? m : k, ldb = transB ? k : n, ldc = n + 3;
        var a = Random<T>(rng, m * k);
        var b = Random<T>(rng, k * n);
        var c0 = Random<T>(rng, m * ldc);
        T al = T.CreateChecked(alpha), be = T.CreateChecked(beta);
        var got = (T[])c0.Clone();
        fixed (T* pa = a, pb = b, pc = got)
            Gemm.Run(blk, parallel, transA, transB, m, n, k, al, pa, lda, pb, ldb, be, pc, ldc);

        // The reference: per element and per KC slice, one FMA per k in increasing k from zero, the slice
        // written as the kernels' Put does; k = 0 or α = 0 only scales C by β (β = 0 writes zeros).
        var want = (T[])c0.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                ref T cij = ref want[i * ldc + j];
                if (k == 0 || al == T.Zero)
                {
                    cij = be == T.Zero ? T.Zero : be == T.One ? cij : cij * be;
                    continue;
                }
                for (int pc = 0; pc < k; pc += blk.KC)
                {
                    T acc = T.Zero;
                    for (int p = pc; p < Math.Min(k, pc + blk.KC); p++)
                        acc = T.FusedMultiplyAdd(transA ? a[p * lda + i] : a[i * lda + p], transB ? b[j * ldb + p] : b[p * ldb + j], acc);
                    cij = Gemm.Combine(acc, al, be, cij, Gemm.SliceMode(pc, be));
                }
            }
        AssertBitwise(want, got, $"{kernel} {typeof(T).Name} m {m} n {n} k {k} transA {transA} transB {transB} α {alpha} β {beta} small {small} seed {seed}");
    }

    private static T[] Random<T>(Random rng, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new T[count];
        for (int i = 0; i < count; i++) x[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>Bit-for-bit equality (also of the untouched elements around the tile).</summary>
    private static void AssertBitwise<T>(T[] want, T[] got, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < want.Length; i++)
        {
            bool same = typeof(T) == typeof(float)
                ? BitConverter.SingleToInt32Bits((float)(object)want[i]) == BitConverter.SingleToInt32Bits((float)(object)got[i])
                : BitConverter.DoubleToInt64Bits((double)(object)want[i]) == BitConverter.DoubleToInt64Bits((double)(object)got[i]);
            if (!same) Assert.Fail($"{what}: element {i} is {got[i]}, expected {want[i]} bit for bit");
        }
    }
}
