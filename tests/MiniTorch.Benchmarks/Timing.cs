using System.Diagnostics;

namespace MiniTorch.Benchmarks;

/// <summary>The stopwatch measurements shared by the quick modes (no BenchmarkDotNet).</summary>
internal static class Timing
{
    /// <summary>
    /// GFLOP per second of process CPU time: on a shared machine this ignores time spent
    /// descheduled. Runs for at least <paramref name="minMilliseconds"/> and <paramref name="minReps"/> calls.
    /// </summary>
    public static double PerCpuSecond(Action run, double flops, int minMilliseconds, int minReps, bool warmUp)
    {
        if (warmUp) run();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var t0 = process.TotalProcessorTime;
        int reps = 0;
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < minMilliseconds || reps < minReps) { run(); reps++; }
        process.Refresh();
        return reps * flops / (process.TotalProcessorTime - t0).TotalSeconds / 1e9;
    }

    /// <summary>
    /// GFLOP/s of the fastest of up to <paramref name="maxReps"/> wall-clock calls after one warm-up,
    /// stopping once <paramref name="budgetMilliseconds"/> have passed and at least <paramref name="minReps"/> ran.
    /// </summary>
    public static double Best(Action run, double flops, int maxReps, int minReps, int budgetMilliseconds)
    {
        run();
        double best = double.MaxValue;
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < maxReps && (i < minReps || sw.ElapsedMilliseconds < budgetMilliseconds); i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return flops / best / 1e9;
    }
}
