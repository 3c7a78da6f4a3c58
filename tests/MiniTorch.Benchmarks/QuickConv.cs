using System.Diagnostics;
using System.Numerics;
using MiniTorch.Kernels;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick-conv [rows]`: a stopwatch check
/// of the convolution rows (best of a few runs) against the FMA peak, and the FSRCNN layer's memory.
/// For iterating on kernels; BenchmarkDotNet is the record.
/// </summary>
internal static class QuickConv
{
    public static void Run(string which)
    {
        int threads = Threading.NumThreads;
        double peak = Best(() => FmaPeak.Probe(threads), FmaPeak.Flops(threads));
        _cpuPeak = PerCpuSecond(() => FmaPeak.Probe(1), FmaPeak.Flops(1));
        Console.WriteLine($"threads {threads}, FMA peak {peak:F0} GFLOP/s; 1 thread per CPU-second {_cpuPeak:F0}");
        if (which is "all" or "conv") Conv3x3<float>(peak);
        if (which is "all" or "conv64") Conv3x3<double>(peak);
        if (which is "all" or "tconv")
        {
            var t = ConvShapes.Transposed4x4<float>();
            Report("ConvT 4x4 s2 64->32 float32 forward", t.ConvolveTransposed, t.Flops, peak);
            Report("ConvT 4x4 s2 64->32 float32 input grad", t.Convolve, t.Flops, peak);
            Report("ConvT 4x4 s2 64->32 float32 weight grad", t.WeightGradient, t.Flops, peak);
        }
        if (which is "all" or "fsrcnn") Fsrcnn(peak);
        if (which is "all" || which.StartsWith("nd"))
        {
            // nd: all three shapes; nd-conv3d, nd-tconv3d or nd-conv1d: one of them; a suffix :forward, :input or :weight: one pass.
            string shape = which.Split(':')[0], only = which.Contains(':') ? which.Split(':')[1] : "";
            foreach (var (key, name, make, transposed) in new (string, string, Func<ConvCase<float>>, bool)[]
                     {
                         ("conv3d", "Conv3d 3x3x3 32->32 4x32x32^3", ConvShapes.Conv3d<float>, false),
                         ("tconv3d", "ConvT3d 4x4x4 s2 64->32 4x64x8^3", ConvShapes.ConvTranspose3d<float>, true),
                         ("conv1d", "Conv1d k9 64->64 16x64x4096", ConvShapes.Conv1d<float>, false),
                     })
            {
                if (shape.StartsWith("nd-") && shape != "nd-" + key) continue;
                var c = make();
                var passes = transposed ? new[] { ConvPass.InputGrad, ConvPass.Forward, ConvPass.WeightGrad } : new[] { ConvPass.Forward, ConvPass.InputGrad, ConvPass.WeightGrad };
                foreach (var (pass, label) in passes.Zip(new[] { "forward", "input grad", "weight grad" }).Where(p => p.Second.StartsWith(only)))
                {
                    Console.WriteLine("  " + c.Describe(pass));
                    Report($"{name} {label}", pass switch { ConvPass.Forward => c.Convolve, ConvPass.InputGrad => c.ConvolveTransposed, _ => c.WeightGradient }, c.Flops, peak);
                }
            }
        }
        if (which is "all" or "dcgan")
        {
            var step = new DcganStepBenchmarks();
            step.Setup();
            long a0 = GC.GetTotalAllocatedBytes(true);
            step.Step();
            Console.WriteLine($"DCGAN step allocated {(GC.GetTotalAllocatedBytes(true) - a0) / 1e6:F1} MB");
            Report("DCGAN training step (conv FLOPs only)", () => step.Step(), DcganStepBenchmarks.Flops, peak);
        }
        if (which is "layers" or "layers-fsrcnn" or "layers-parallel" or "routes-g" || which.StartsWith("layers-dcgan")) QuickConvLayers.Run(which, peak, Report);
        if (which == "fsrcnn-scales")
            foreach (var (name, run, flops) in FsrcnnScales.Rows()) Report(name, run, flops, peak);
        if (which == "fsrcnn-small")
        {
            foreach (var (h, w) in new[] { (64, 256), (8, 128), (8, 1024) })
            {
                var c = ConvCase<float>.ConvTranspose2d(1, 56, h, w, 1, 9, 2, 4, 1);
                Report($"FSRCNN layer on {h}x{w}", c.ConvolveTransposed, c.Flops, peak);
            }
        }
    }

    private static void Conv3x3<T>(double peak) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = ConvShapes.Conv3x3<T>();
        string name = $"Conv2d 3x3 64->64 {typeof(T).Name}";
        Report($"{name} forward", c.Convolve, c.Flops, peak);
        Report($"{name} input grad", c.ConvolveTransposed, c.Flops, peak);
        Report($"{name} weight grad", c.WeightGradient, c.Flops, peak);
    }

    /// <summary>
    /// Time, and memory beyond input + output + weights: managed bytes allocated by one call, and the
    /// process's peak working set growth over the call (measured first, before anything else ran).
    /// </summary>
    private static void Fsrcnn(double peak)
    {
        var c = ConvShapes.Fsrcnn<float>();
        long tensors = ((long)c.Big.Length + c.Small.Length + c.Weight.Length) * sizeof(float);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        long ws0 = process.WorkingSet64, alloc0 = GC.GetTotalAllocatedBytes(true);
        c.ConvolveTransposed();
        long alloc = GC.GetTotalAllocatedBytes(true) - alloc0;
        process.Refresh();
        long peakGrowth = process.PeakWorkingSet64 - ws0;
        Console.WriteLine($"FSRCNN tensors {tensors / 1e6:F1} MB; first call allocated {alloc / 1e6:F2} MB ({100.0 * alloc / tensors:F2} %), " +
                          $"peak working set above the tensors' {peakGrowth / 1e6:F1} MB ({100.0 * peakGrowth / tensors:F1} %)");
        Report("FSRCNN last layer float32", c.ConvolveTransposed, c.Flops, peak);
    }

    internal static void Report(string name, Action run, double flops, double peak)
    {
        double g = Best(run, flops), cpu = PerCpuSecond(run, flops);
        Console.WriteLine($"{name,-44} {flops / g / 1e6,8:F1} ms {g,7:F1} GFLOP/s {100 * g / peak,5:F1} % of peak; per CPU-second {cpu:F0} = {100 * cpu / _cpuPeak:F0} % of a core's FMA");
    }

    private static double _cpuPeak;

    private static double PerCpuSecond(Action run, double flops) => Timing.PerCpuSecond(run, flops, 1000, 2, warmUp: false);

    private static double Best(Action run, double flops) => Timing.Best(run, flops, 20, 3, 2000);
}
