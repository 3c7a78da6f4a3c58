using System.Diagnostics;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-dcgan [seconds] [noscope] [timeline] [example] [gc]`: the training step of <see cref="DcganStepBenchmarks"/> back to back for a
/// while (no FMA probe first, so `perf record` sees only the step): best and median time per step,
/// garbage per step, GC counts and pauses. The spread of step times shows on a busy machine.
/// <c>noscope</c> runs the step without its memory scope, as before the caching allocator; <c>gc</c> also prints every
/// collection's generation and reason and what the steps allocate (<see cref="GcEvents"/>).
/// </summary>
internal static class QuickDcgan
{
    public static void Run(double seconds, bool inScope = true, bool timeline = false, bool example = false, bool gc = false)
    {
        var step = new DcganStepBenchmarks { InScope = inScope, Example = example };
        double flops = example ? DcganStepBenchmarks.ExampleFlops : DcganStepBenchmarks.Flops;
        if (example) Console.WriteLine($"the example's old default configuration (nz 64, ngf 32, ndf 16, 1x32x32, batch 64): {flops / 1e9:F2} GFLOP of convolutions per step");
        step.Setup();
        for (int i = 0; i < 3; i++) step.Step();
        using var gcEvents = gc ? new GcEvents() : null;
        Thread.Sleep(gc ? 1500 : 0);
        gcEvents?.Start();
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
        Console.WriteLine($"  CPU per step: best {cpu[0]:F1} ms, median {cpu[n / 2]:F1} ms = {flops / cpu[n / 2] / 1e6:F1} GFLOP (conv) per CPU-second");
        Console.WriteLine($"  parallel regions per step {(regions1.Regions - regions0.Regions) / (double)n:F1}; the calling thread waited for a worker's items after its own in " +
                          $"{(regions1.CallerWaits - regions0.CallerWaits) / (double)n:F1} of them, {(regions1.CallerWaitTicks - regions0.CallerWaitTicks) * 1e3 / Stopwatch.Frequency / n:F2} ms per step");
        gcEvents?.Report(n);
        if (timeline) Timeline(step);
    }

    /// <summary>
    /// `quick-dcgan [seconds] timeline`: the per-region timeline of the fastest of 5 traced steps: every top-level
    /// region (P parallel, S serial), the serial stretch before it (the second thread idles there), its time, the
    /// caller's wait for a worker's items, and the totals by kernel.
    /// </summary>
    private static void Timeline(DcganStepBenchmarks step)
    {
        Kernels.Threading.TraceEntry[] best = [];
        long bestStart = 0, bestEnd = long.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            Kernels.Threading.StartTrace(4096);
            long t0 = Stopwatch.GetTimestamp();
            step.Step();
            long t1 = Stopwatch.GetTimestamp();
            var trace = Kernels.Threading.StopTrace();
            if (t1 - t0 < bestEnd - bestStart) (best, bestStart, bestEnd) = (trace, t0, t1);
        }
        double Ms(long ticks) => ticks * 1e3 / Stopwatch.Frequency;
        Console.WriteLine($"Timeline of one step ({Ms(bestEnd - bestStart):F1} ms, {best.Length} top-level regions): start, serial gap before, P/S, time, caller wait, items, body");
        long previous = bestStart;
        double gaps = 0, serialRegions = 0, waits = 0, parallel = 0;
        var byBody = new Dictionary<string, (int N, double Time, double Wait, double GapBefore)>();
        foreach (var e in best)
        {
            double gap = Ms(e.Start - previous), time = Ms(e.End - e.Start), wait = e.Parallel ? Ms(e.End - e.CallerDone) : 0;
            string name = Name(e.Body);
            Console.WriteLine($"  {Ms(e.Start - bestStart),7:F2} {gap,6:F2} {(e.Parallel ? 'P' : 'S')} {time,7:F3} {wait,6:F3} {e.Count,5} {name}");
            gaps += gap;
            if (e.Parallel) { parallel += time; waits += wait; } else serialRegions += time;
            var s = byBody.GetValueOrDefault(name);
            byBody[name] = (s.N + 1, s.Time + time, s.Wait + wait, s.GapBefore + gap);
            previous = e.End;
        }
        gaps += Ms(bestEnd - previous);
        Console.WriteLine($"Totals: parallel regions {parallel:F1} ms (caller waits {waits:F1} ms), serial regions {serialRegions:F1} ms, serial code between regions {gaps:F1} ms");
        Console.WriteLine("By body (n, time, wait, serial gap before):");
        foreach (var (name, s) in byBody.OrderByDescending(kv => kv.Value.Time + kv.Value.GapBefore))
            Console.WriteLine($"  {s.N,4} {s.Time,8:F2} {s.Wait,6:F2} {s.GapBefore,6:F2}  {name}");
    }

    private static string Name(System.Reflection.MethodInfo method)
    {
        var type = method.DeclaringType;
        while (type is { DeclaringType: not null } && type.Name.StartsWith('<')) type = type.DeclaringType;
        return $"{type?.Name}.{method.Name}";
    }
}
