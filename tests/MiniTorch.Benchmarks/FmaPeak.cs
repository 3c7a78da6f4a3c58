using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using MiniTorch.Kernels;

namespace MiniTorch.Benchmarks;

/// <summary>
/// The machine's float32 FMA peak: a tight loop of independent Vector512 (else Vector256) fused
/// multiply-adds per thread, no memory traffic. Every other rate is reported as a fraction of it.
/// </summary>
public class FmaPeak
{
    private const int Iterations = 1 << 20;
    // Twelve independent chains hide the FMA latency (4 cycles) on two FMA pipes with room to spare.
    private const int Chains = 12;

    /// <summary>Floating-point operations done by <see cref="Probe"/> on the given number of threads.</summary>
    public static double Flops(int threads) =>
        2.0 * threads * Iterations * Chains * (Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count);

    public static readonly double FlopsOneThread = Flops(1), FlopsAllThreads = Flops(Environment.ProcessorCount);

    [Benchmark(Description = "FMA peak, 1 thread"), Flops(nameof(FlopsOneThread))]
    public float OneThread() => Probe(1);

    [Benchmark(Description = "FMA peak, all threads"), Flops(nameof(FlopsAllThreads))]
    public float AllThreads() => Probe(Environment.ProcessorCount);

    /// <summary>Runs the FMA loop on <paramref name="threads"/> threads at once.</summary>
    public static float Probe(int threads)
    {
        var sums = new float[threads];
        int saved = Threading.NumThreads;
        Threading.NumThreads = threads;
        try { Threading.For(threads, t => sums[t] = Vector512.IsHardwareAccelerated ? Loop512(Iterations) : Loop256(Iterations)); }
        finally { Threading.NumThreads = saved; }
        return sums.Sum();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop512(int iterations)
    {
        var x = Vector512.Create(0.999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop256(int iterations)
    {
        var x = Vector256.Create(0.999f);
        var y = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
