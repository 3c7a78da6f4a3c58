using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Kernels;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Kernels;

public class GemmTests
{
    /// <summary>One random GEMM problem: sizes, transposes, scalars, padded strides, kernel and blocks.</summary>
    internal sealed record Case(int M, int N, int K, bool TransA, bool TransB, double Alpha, double Beta,
                              int PadA, int PadB, int PadC, Gemm.Kernel Kernel, bool SmallBlocks, int Seed)
    {
        public Gemm.Blocking Blocking<T>() where T : unmanaged
        {
            var b = Gemm.Blocking.Of<T>(Kernel);
            // Tiny cache blocks make small problems cross every KC, MC and NC boundary.
            return SmallBlocks ? b with { KC = 5, MC = 2 * b.MR, NC = 2 * b.NR } : b;
        }
    }

    private static readonly Gen<Case> Cases =
        from m in Gen.OneOf(Gen.Choose(1, 4), Gen.Choose(1, 70))
        from n in Gen.OneOf(Gen.Choose(1, 4), Gen.Choose(1, 90))
        from k in Gen.OneOf(Gen.Choose(0, 3), Gen.Choose(1, 40))
        from transA in Gen.Elements(false, true)
        from transB in Gen.Elements(false, true)
        from alpha in Gen.Elements(1.0, -0.5, 2.0)
        from beta in Gen.Elements(0.0, 1.0, 0.75)
        from padA in Gen.Choose(0, 3)
        from padB in Gen.Choose(0, 3)
        from padC in Gen.Choose(0, 3)
        from kernel in Gen.Elements(Gemm.Kernel.Scalar, Gemm.Kernel.Vector256, Gemm.Kernel.Vector512)
        from small in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(m, n, k, transA, transB, alpha, beta, padA, padB, padC, kernel, small, seed);

    // Case holds the internal kernel enum, so it cannot be a public test method's parameter: the properties take it through ForAll.
    [Property(MaxTest = 300)]
    public Property Multiply_Float32_MatchesDoubleReference() => TensorGen.ForAll(Cases, AssertMatchesReference<float>);

    [Property(MaxTest = 300)]
    public Property Multiply_Float64_MatchesDoubleReference() => TensorGen.ForAll(Cases, AssertMatchesReference<double>);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Multiply_RealBlocks_CrossesKcAndMcBoundaries(bool transA, bool transB)
    {
        // The production block sizes: k spans three KC slices and m more than one MC block.
        var f = Gemm.Blocking.Of<float>(Gemm.Best);
        var d = Gemm.Blocking.Of<double>(Gemm.Best);
        AssertMatchesReference<float>(new Case(f.MC + 13, 37, 2 * f.KC + 7, transA, transB, 1.5, 0.5, 1, 2, 3, Gemm.Best, false, 11));
        AssertMatchesReference<double>(new Case(d.MC + 5, 21, 2 * d.KC + 3, transA, transB, 1.0, 0.0, 0, 1, 0, Gemm.Best, false, 12));
    }

    [Fact]
    public void Multiply_PublicSpanOverload_MatchesReference()
    {
        // The entry point other kernels call: widest kernel, production blocks, multi-threaded.
        var c = new Case(131, 157, 263, false, true, 1.0, 0.25, 2, 0, 1, Gemm.Best, false, 5);
        var (a, b, c0) = Operands<float>(c);
        var got = (float[])c0.Clone();
        Gemm.Multiply(c.TransA, c.TransB, c.M, c.N, c.K, 1f, a, Lda(c), b, Ldb(c), 0.25f, got, c.N + c.PadC);
        AssertClose(c, a, b, c0, got, 1.2e-7);
    }

    [Fact]
    public void Multiply_ResultsBitwiseIdentical_ForOneTwoAndThreeThreads()
    {
        // Both work splits (by rows when A is tall, by columns when it is short), several k slices.
        foreach (var c in new[]
        {
            new Case(301, 203, 97, false, false, 1.0, 0.5, 1, 0, 2, Gemm.Best, false, 1),
            new Case(19, 911, 123, true, true, 1.0, 0.0, 0, 3, 0, Gemm.Best, false, 2),
            new Case(150, 130, 60, false, true, -1.0, 1.0, 0, 0, 0, Gemm.Best, true, 3),
        })
        {
            var f = RunWithThreads<float>(c, 1);
            Assert.Equal(f, RunWithThreads<float>(c, 2));
            Assert.Equal(f, RunWithThreads<float>(c, 3));
            var d = RunWithThreads<double>(c, 1);
            Assert.Equal(d, RunWithThreads<double>(c, 2));
            Assert.Equal(d, RunWithThreads<double>(c, 3));
        }
    }

    [Fact]
    public void Multiply_ZeroBeta_IgnoresNaNInC_AndZeroK_ScalesC()
    {
        var c = new float[] { float.NaN, float.PositiveInfinity, 1, 2 };
        Gemm.Multiply(false, false, 2, 2, 3, 1f, new float[] { 1, 2, 3, 4, 5, 6 }, 3, new float[] { 1, 0, 0, 1, 1, 1 }, 2, 0f, c, 2);
        Assert.Equal(new float[] { 4, 5, 10, 11 }, c);
        Gemm.Multiply(false, false, 2, 2, 0, 1f, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, 0.5f, c, 2);
        Assert.Equal(new float[] { 2, 2.5f, 5, 5.5f }, c);
        c[0] = float.NaN;
        Gemm.Multiply(false, false, 2, 2, 0, 1f, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 2, 0f, c, 2);
        Assert.Equal(new float[] { 0, 0, 0, 0 }, c);
    }

    [Fact]
    public void Multiply_SpanTooShort_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, 2, 2, 3, 1f, new float[5], 3, new float[6], 2, 0f, new float[4], 2));
        Assert.Contains("a holds 5 elements, too few for a 2x3 matrix", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(false, false, 2, 2, 3, 1f, new float[6], 3, new float[6], 2, 0f, new float[4], 1));
    }

    [Property(MaxTest = 200)]
    public Property Multiply_BFromAPanelSource_IsBitwiseTheStoredB() => TensorGen.ForAll(Cases, c =>
    {
        // An implicit im2col writes GEMM's packed panels itself: over every blocking and kernel, the result
        // must be exactly that of the stored matrix with the same values (threads split only the output).
        var (a, b, c0) = Operands<float>(c);
        foreach (bool parallel in new[] { false, true })
        {
            var stored = Compute(c, a, b, c0, parallel);
            var fromSource = Compute(c, a, b, c0, parallel, new StoredPanels(b, Ldb(c), c.TransB));
            Assert.Equal(stored, fromSource);
        }
    });

    /// <summary>A panel source over a stored op(B): what GEMM's own packing would copy.</summary>
    private sealed unsafe class StoredPanels(float[] b, int ldb, bool transB) : IPanelSource<float>
    {
        public void Pack(int k0, int kc, int j0, int cols, int nr, float* dst)
        {
            for (int p = 0; p < kc; p++)
                for (int j = 0; j < nr; j++)
                    dst[p * nr + j] = j >= cols ? 0f : transB ? b[(j0 + j) * ldb + k0 + p] : b[(k0 + p) * ldb + j0 + j];
        }
    }

    private static int Lda(Case c) => (c.TransA ? c.M : c.K) + c.PadA;
    private static int Ldb(Case c) => (c.TransB ? c.K : c.N) + c.PadB;

    /// <summary>Random operands stored with their padded strides (the padding holds NaN, which must never be read).</summary>
    private static (T[] A, T[] B, T[] C) Operands<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(c.Seed);
        T[] Make(int rows, int cols, int ld)
        {
            var x = new T[Math.Max(0, (rows - 1) * ld + cols)];
            Array.Fill(x, T.NaN);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) x[i * ld + j] = T.CreateChecked(rng.NextDouble() * 2 - 1);
            return x;
        }
        var a = c.TransA ? Make(c.K, c.M, Lda(c)) : Make(c.M, c.K, Lda(c));
        var b = c.TransB ? Make(c.N, c.K, Ldb(c)) : Make(c.K, c.N, Ldb(c));
        var cc = Make(c.M, c.N, c.N + c.PadC);
        if (c.Beta == 0) for (int i = 0; i < c.M; i++) cc[i * (c.N + c.PadC)] = T.NaN; // β = 0 must not read C
        return (a, b, cc);
    }

    private static unsafe T[] Compute<T>(Case c, T[] a, T[] b, T[] c0, bool parallel = false, IPanelSource<T>? bSource = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var got = (T[])c0.Clone();
        fixed (T* pa = a, pb = b, pc = got)
            Gemm.Run(c.Blocking<T>(), parallel, c.TransA, c.TransB, c.M, c.N, c.K, T.CreateChecked(c.Alpha),
                     pa, Lda(c), bSource is null ? pb : null, Ldb(c), T.CreateChecked(c.Beta), pc, c.N + c.PadC, bSource);
        return got;
    }

    private static void AssertMatchesReference<T>(Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b, c0) = Operands<T>(c);
        var got = Compute(c, a, b, c0);
        AssertClose(c, a, b, c0, got, typeof(T) == typeof(float) ? 1.2e-7 : 2.3e-16);
    }

    /// <summary>
    /// Compares with a double-precision reference using the standard dot-product error bound
    /// |ĉ − c| ≤ (k + 2)·u·(|α|·Σ|a||b| + |β·c|) with u taken as machine epsilon (twice the unit
    /// roundoff, which also covers the double reference's own rounding), and checks that the padding
    /// between rows of C was left alone.
    /// </summary>
    private static void AssertClose<T>(Case c, T[] a, T[] b, T[] c0, T[] got, double u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lda = Lda(c), ldb = Ldb(c), ldc = c.N + c.PadC;
        for (int i = 0; i < c.M; i++)
            for (int j = 0; j < c.N; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < c.K; p++)
                {
                    double x = double.CreateChecked(c.TransA ? a[p * lda + i] : a[i * lda + p]);
                    double y = double.CreateChecked(c.TransB ? b[j * ldb + p] : b[p * ldb + j]);
                    sum += x * y;
                    abs += Math.Abs(x * y);
                }
                double old = double.CreateChecked(c0[i * ldc + j]);
                double want = c.Alpha * sum + (c.Beta == 0 ? 0 : c.Beta * old);
                double tol = (c.K + 2) * u * (Math.Abs(c.Alpha) * abs + (c.Beta == 0 ? 0 : Math.Abs(c.Beta * old))) + 1e-300;
                double have = double.CreateChecked(got[i * ldc + j]);
                if (!(Math.Abs(have - want) <= tol))
                    Assert.Fail($"{c} ({typeof(T).Name}): C[{i},{j}] = {have}, expected {want} ± {tol}");
            }
        for (int i = 0; i < c.M - 1; i++)
            for (int j = c.N; j < ldc; j++)
                Assert.True(T.IsNaN(got[i * ldc + j]), $"{c}: padding C[{i},{j}] was written");
    }

    private static T[] RunWithThreads<T>(Case c, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b, c0) = Operands<T>(c);
        int saved = Threading.NumThreads;
        Threading.NumThreads = threads;
        try { return Compute(c, a, b, c0, parallel: true); }
        finally { Threading.NumThreads = saved; }
    }
}
