using System.Numerics;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-gemm-edge [float|double]`: one-thread GEMMs whose row count is not a multiple of the micro-kernel's MR
/// (the DCGAN channel counts 16…256, and MR ± 1) or whose column count leaves a partial last panel, in GFLOP per
/// CPU-second against a core's FMA rate measured in the same run. The edge tiles' cost shows as the gap to the
/// full-tile rows (m = MR·q). For iterating on kernels; <see cref="GemmEdgeBenchmarks"/> is the record.
/// </summary>
internal static class QuickGemmEdge
{
    public static void Run(bool isDouble)
    {
        double peak = Timing.PerCpuSecond(() => FmaPeak.Probe(1), FmaPeak.Flops(1), 1500, 3, warmUp: true);
        Console.WriteLine($"1 thread, FMA per CPU-second {peak:F0} GFLOP/s; C = A·B (m×{K}) · ({K}×n), {(isDouble ? "float64" : "float32")}");
        // A first pass brings every kernel instantiation the rows use to its optimised tier before any is timed.
        foreach (bool print in new[] { false, true })
        {
            foreach (int m in new[] { 1, 2, 4, 8, 13, 14, 15, 16, 28, 32, 64, 70, 128, 256 })
                if (isDouble) Row<double>(m, 4096, peak, print); else Row<float>(m, 4096, peak, print);
            foreach (int n in new[] { 4096 + 16, 4096 + 1, 16 * 65 })
                if (isDouble) Row<double>(64, n, peak, print); else Row<float>(64, n, peak, print);
        }
        // The DCGAN examples' short-A GEMM shapes on all threads (columns split between them), per CPU-second.
        Console.WriteLine($"{Kernels.Threading.NumThreads} threads:");
        foreach (bool print in new[] { false, true })
            foreach (var (m, n, k) in new[] { (64, 512, 512), (128, 1024, 256), (32, 256, 1024), (64, 2048, 64), (100, 4096, 64) })
                if (isDouble) Row<double>(m, n, peak, print, k, parallel: true); else Row<float>(m, n, peak, print, k, parallel: true);
    }

    private const int K = 512;

    /// <summary>
    /// `quick-gemm-edge example`: the GEMM calls of the example's step (`--recipe dcgan`, batch 64) with their
    /// transposes, one thread, per CPU-second; calls per step in brackets (from a traced run of the example).
    /// </summary>
    public static void Example()
    {
        double peak = Timing.PerCpuSecond(() => FmaPeak.Probe(1), FmaPeak.Flops(1), 1500, 3, warmUp: true);
        Console.WriteLine($"1 thread, FMA per CPU-second {peak:F0} GFLOP/s; the example's GEMM shapes (float32)");
        var shapes = new (bool ta, bool tb, int m, int n, int k, string what)[]
        {
            (false, false, 64, 512, 512, "w-grad D 32->64, G 64->32 [12/step]"),
            (true, false, 64, 512, 512, "transposed phases G 128->64 fwd [8/step]"),
            (false, false, 128, 1024, 256, "w-grad G 128->64 [4/step]"),
            (true, false, 1024, 32, 256, "transposed phases D 32->64 in-grad [12/step]"),
            (false, false, 32, 256, 1024, "w-grad D 16->32 [8/step]"),
            (false, false, 64, 2048, 64, "G 64->128 1x1 fwd [2/step]"),
            (false, true, 64, 1, 1024, "D 64->1 fwd [3/step]"),
            (true, false, 64, 1024, 512, "conv fwd D 32->64 as stored-B GEMM"),
            (true, false, 32, 1024, 256, "conv fwd D 16->32 as stored-B GEMM"),
        };
        foreach (bool print in new[] { false, true })
            foreach (var s in shapes) Shape<float>(s.ta, s.tb, s.m, s.n, s.k, s.what, peak, print);
    }

    private static void Shape<T>(bool ta, bool tb, int m, int n, int k, string what, double peak, bool print) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(1);
        var a = new T[m * k]; var b = new T[k * n]; var c = new T[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateChecked(rng.NextDouble() - 0.5);
        for (int i = 0; i < b.Length; i++) b[i] = T.CreateChecked(rng.NextDouble() - 0.5);
        double flops = 2.0 * m * n * k;
        double g = Timing.PerCpuSecond(() => Kernels.Gemm.Multiply(ta, tb, m, n, k, T.One, a, ta ? m : k, b, tb ? k : n, T.Zero, c, n, false), flops, print ? 600 : 150, 3, warmUp: true);
        if (!print) return;
        Console.WriteLine($"GEMM {(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')} m {m,4} n {n,4} k {k,4}: {g,5:F1} GFLOP per CPU-second = {100 * g / peak,3:F0} % of a core's FMA  {what}");
    }

    private static void Row<T>(int m, int n, double peak, bool print, int k = K, bool parallel = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(1);
        var a = new T[m * k]; var b = new T[k * n]; var c = new T[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateChecked(rng.NextDouble() - 0.5);
        for (int i = 0; i < b.Length; i++) b[i] = T.CreateChecked(rng.NextDouble() - 0.5);
        double flops = 2.0 * m * n * k;
        double g = Timing.PerCpuSecond(() => Kernels.Gemm.Multiply(false, false, m, n, k, T.One, a, k, b, n, T.Zero, c, n, parallel), flops, print ? 600 : 150, 3, warmUp: true);
        if (!print) return;
        Console.WriteLine($"GEMM m {m,3} n {n,4} k {k,4}: {g,5:F0} GFLOP per CPU-second = {100 * g / peak,3:F0} % of a core's FMA");
    }
}
