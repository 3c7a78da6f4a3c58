using System.Diagnostics;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-dcgan [seconds] [noscope]`: the training step of <see cref="DcganStepBenchmarks"/> back to back for a
/// while (no FMA probe first, so `perf record` sees only the step): best and median time per step,
/// garbage per step, GC counts and pauses. The spread of step times shows on a busy machine.
/// <c>noscope</c> runs the step without its memory scope, as before the caching allocator.
/// </summary>
internal static class QuickDcgan
{
    public static void Run(double seconds, bool inScope = true)
    {
        var step = new DcganStepBenchmarks { InScope = inScope };
        step.Setup();
        for (int i = 0; i < 3; i++) step.Step();
        int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
        long a0 = GC.GetTotalAllocatedBytes(true);
        var pause0 = GC.GetTotalPauseDuration();
        var times = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        var regions0 = Kernels.Threading.Counters;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            process.Refresh();
            var c0 = process.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            step.Step();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - c0).TotalMilliseconds);
        }
        int n = times.Count;
        var regions1 = Kernels.Threading.Counters;
        long allocated = GC.GetTotalAllocatedBytes(true) - a0;
        times.Sort();
        cpu.Sort();
        Console.WriteLine($"threads {Kernels.Threading.NumThreads}, {(inScope ? "in a memory scope" : "no memory scope")}: {n} steps, best {times[0]:F1} ms, median {times[n / 2]:F1} ms, mean {sw.Elapsed.TotalMilliseconds / n:F1} ms; " +
                          $"{allocated / 1e6 / n:F1} MB allocated per step; GCs gen0 {GC.CollectionCount(0) - gc0}, gen1 {GC.CollectionCount(1) - gc1}, " +
                          $"gen2 {GC.CollectionCount(2) - gc2}, pauses {(GC.GetTotalPauseDuration() - pause0).TotalMilliseconds / n:F1} ms per step");
        // CPU time (all threads) holds on a busy machine: conv FLOPs per CPU-second, against one core's FMA rate.
        Console.WriteLine($"  CPU per step: best {cpu[0]:F1} ms, median {cpu[n / 2]:F1} ms = {DcganStepBenchmarks.Flops / cpu[n / 2] / 1e6:F1} GFLOP (conv) per CPU-second");
        Console.WriteLine($"  parallel regions per step {(regions1.Regions - regions0.Regions) / (double)n:F1}; the calling thread waited for a worker's items after its own in " +
                          $"{(regions1.CallerWaits - regions0.CallerWaits) / (double)n:F1} of them, {(regions1.CallerWaitTicks - regions0.CallerWaitTicks) * 1e3 / Stopwatch.Frequency / n:F2} ms per step");
    }
}
