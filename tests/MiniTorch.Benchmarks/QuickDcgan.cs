using System.Diagnostics;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-dcgan [seconds]`: the training step of <see cref="DcganStepBenchmarks"/> back to back for a
/// while (no FMA probe first, so `perf record` sees only the step): best and median time per step,
/// garbage per step, GC counts and pauses. The spread of step times shows on a busy machine.
/// </summary>
internal static class QuickDcgan
{
    public static void Run(double seconds)
    {
        var step = new DcganStepBenchmarks();
        step.Setup();
        for (int i = 0; i < 3; i++) step.Step();
        int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
        long a0 = GC.GetTotalAllocatedBytes(true);
        var pause0 = GC.GetTotalPauseDuration();
        var times = new List<double>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            long t0 = Stopwatch.GetTimestamp();
            step.Step();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        int n = times.Count;
        long allocated = GC.GetTotalAllocatedBytes(true) - a0;
        times.Sort();
        Console.WriteLine($"threads {Kernels.Threading.NumThreads}: {n} steps, best {times[0]:F1} ms, median {times[n / 2]:F1} ms, mean {sw.Elapsed.TotalMilliseconds / n:F1} ms; " +
                          $"{allocated / 1e6 / n:F1} MB allocated per step; GCs gen0 {GC.CollectionCount(0) - gc0}, gen1 {GC.CollectionCount(1) - gc1}, " +
                          $"gen2 {GC.CollectionCount(2) - gc2}, pauses {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds / n:F1} ms per step");
    }
}
