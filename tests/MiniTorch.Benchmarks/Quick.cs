using MiniTorch.Kernels;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick [size]`: a few-second
/// stopwatch check of the FMA peak and GEMM, for iterating on kernels (BenchmarkDotNet is the record).
/// </summary>
internal static class Quick
{
    public static void Run(int size)
    {
        int threads = Threading.NumThreads;
        Console.WriteLine($"threads {threads}, L1 {CacheInfo.L1 >> 10} KiB, L2 {CacheInfo.L2 >> 10} KiB, L3 {CacheInfo.L3 >> 10} KiB");
        double peak1 = Best(() => FmaPeak.Probe(1), FmaPeak.Flops(1));
        double peakN = Best(() => FmaPeak.Probe(threads), FmaPeak.Flops(threads));
        Console.WriteLine($"FMA peak: 1 thread {peak1:F0} GFLOP/s, {threads} threads {peakN:F0} GFLOP/s");
        Gemm<float>(size, peakN);
        Gemm<double>(size, peakN);
    }

    public static void Repeat(bool isDouble, int n, int count, bool parallel)
    {
        if (isDouble) Repeat<double>(n, count, parallel); else Repeat<float>(n, count, parallel);
    }

    private static void Repeat<T>(int n, int count, bool parallel) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var a = new T[n * n]; var b = new T[n * n]; var c = new T[n * n];
        a.AsSpan().Fill(T.One); b.AsSpan().Fill(T.One);
        for (int i = 0; i < count; i++) Kernels.Gemm.Multiply(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n, parallel);
    }

    private static void Gemm<T>(int n, double peak) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(1);
        var a = new T[n * n]; var b = new T[n * n]; var c = new T[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = T.CreateChecked(rng.NextDouble() - 0.5); b[i] = T.CreateChecked(rng.NextDouble() - 0.5); }
        double flops = 2.0 * n * n * n;
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            double g = Best(() => Kernels.Gemm.Multiply(ta, tb, n, n, n, T.One, a, n, b, n, T.Zero, c, n), flops);
            Console.WriteLine($"GEMM {typeof(T).Name} {n}³ transA={ta} transB={tb}: {g:F0} GFLOP/s = {100 * g / peak:F0} % of peak");
        }
        double g1 = Best(() => Kernels.Gemm.Multiply(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n, parallel: false), flops);
        double cpu1 = PerCpuSecond(() => Kernels.Gemm.Multiply(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n, parallel: false), flops);
        double peakCpu = PerCpuSecond(() => FmaPeak.Probe(1), FmaPeak.Flops(1));
        Console.WriteLine($"GEMM {typeof(T).Name} {n}³ 1 thread: {g1:F0} GFLOP/s wall; per CPU-second {cpu1:F0} vs FMA {peakCpu:F0} = {100 * cpu1 / peakCpu:F0} %");
        // All threads per CPU-second (spin-waiting counts): close to the 1-thread figure means the
        // parallel split costs little beyond what the cores actually compute.
        double cpuN = PerCpuSecond(() => Kernels.Gemm.Multiply(false, false, n, n, n, T.One, a, n, b, n, T.Zero, c, n), flops);
        Console.WriteLine($"GEMM {typeof(T).Name} {n}³ {Threading.NumThreads} threads: per CPU-second {cpuN:F0} = {100 * cpuN / cpu1:F0} % of the 1-thread figure");
    }

    private static double PerCpuSecond(Action run, double flops) => Timing.PerCpuSecond(run, flops, 1500, 3, warmUp: true);

    private static double Best(Action run, double flops) => Timing.Best(run, flops, 50, 0, 1500);
}
