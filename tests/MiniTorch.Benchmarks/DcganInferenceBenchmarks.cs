using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Dcgan.Models;

namespace MiniTorch.Benchmarks;

/// <summary>
/// Generator inference: examples/Dcgan's generator at the DCGAN paper's sizes (nz 100, ngf 64, 3
/// channels, 32×32) in eval mode, a batch of 64 latent vectors, in MiniTorch (no grad, in a memory
/// scope) and in ONNX Runtime on the same network exported by MiniTorch (in process, same run).
/// </summary>
[MemoryDiagnoser]
public class DcganInferenceBenchmarks
{
    private const int Batch = 64, Nz = 100;

    /// <summary>The generator's convolution FLOPs (2 per multiply-add; batch norm and activations not counted).</summary>
    public static readonly double Flops = 2.0 * Batch * (100.0 * 256 * 16 + 256.0 * 128 * 16 * 16 + 128.0 * 64 * 16 * 64 + 64.0 * 3 * 16 * 256);

    private DcganGenerator _g = null!;
    private Tensor _z = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Generator(1);
        _g = new DcganGenerator(new ModelConfig(Nz, 64, 64, 3), UpsampleMode.Transposed, rng);
        _g.Eval();
        _z = Torch.Randn([Batch, Nz, 1, 1], rng);
        _ort = new OrtCall(_g.Main, [Batch, Nz, 1, 1]); // the exporter takes the Sequential the generator runs
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Description = "MiniTorch: DCGAN generator inference, batch 64, 100 -> 3x32x32, float32"), Flops(nameof(Flops))]
    public int MiniTorch()
    {
        using var scope = Torch.MemoryScope();
        using var noGrad = Torch.NoGrad();
        return _g.Forward(_z).Numel;
    }

    [Benchmark(Description = "ONNX Runtime: DCGAN generator inference, batch 64, 100 -> 3x32x32, float32"), Flops(nameof(Flops))]
    public void OnnxRuntime() => _ort.Run();

    /// <summary>
    /// `quick-infer [rounds]`: both sides interleaved (MiniTorch, ONNX Runtime, MiniTorch, …), best
    /// wall time and best process CPU time of each (the CPU time holds on a busy machine; with
    /// MINITORCH_NUM_THREADS=1 both sides run on the calling thread), plus MiniTorch's garbage per call.
    /// </summary>
    internal static void Quick(int rounds)
    {
        var b = new DcganInferenceBenchmarks();
        b.Setup();
        for (int i = 0; i < 3; i++) { b.MiniTorch(); b.OnnxRuntime(); }
        var (mt, ort) = (new Best(), new Best());
        long a0 = GC.GetTotalAllocatedBytes(true);
        var c0 = Kernels.Threading.Counters;
        for (int i = 0; i < rounds; i++)
        {
            mt.Time(() => b.MiniTorch());
            ort.Time(b.OnnxRuntime);
        }
        var c1 = Kernels.Threading.Counters;
        double mb = (GC.GetTotalAllocatedBytes(true) - a0) / 1e6 / rounds;
        Console.WriteLine($"threads {Kernels.Threading.NumThreads}: DCGAN generator inference, batch 64 ({Flops / 1e9:F2} GFLOP):");
        Console.WriteLine($"  MiniTorch     best {mt.Wall:F2} ms wall ({Flops / mt.Wall / 1e6:F1} GFLOP/s), {mt.Cpu:F2} ms CPU ({Flops / mt.Cpu / 1e6:F1} GFLOP per CPU-second)");
        Console.WriteLine($"  ONNX Runtime  best {ort.Wall:F2} ms wall ({Flops / ort.Wall / 1e6:F1} GFLOP/s), {ort.Cpu:F2} ms CPU ({Flops / ort.Cpu / 1e6:F1} GFLOP per CPU-second)");
        Console.WriteLine($"  ONNX Runtime / MiniTorch: {ort.Wall / mt.Wall:F2} by wall time, {ort.Cpu / mt.Cpu:F2} by CPU time; {mb:F2} MB allocated per round (both sides)");
        Console.WriteLine($"  MiniTorch's parallel regions per inference {(c1.Regions - c0.Regions) / (double)rounds:F1}; the calling thread waited for a worker's items after its own in "
            + $"{(c1.CallerWaits - c0.CallerWaits) / (double)rounds:F1} of them, {(c1.CallerWaitTicks - c0.CallerWaitTicks) * 1e3 / Stopwatch.Frequency / rounds:F2} ms per inference");
        b.Layers(rounds);
        b.Cleanup();
    }

    /// <summary>
    /// Where MiniTorch's time goes: each module of the generator's Sequential on its real input (batch
    /// norm and ReLU as the one fused op the Sequential runs), best wall and CPU time of each.
    /// </summary>
    private void Layers(int rounds)
    {
        var modules = _g.Main.ToList();
        var steps = new List<(string Name, Func<Tensor, Tensor> Run)>();
        for (int i = 0; i < modules.Count; i++)
        {
            var m = modules[i];
            if (m is Nn.BatchNorm2d && i + 1 < modules.Count && modules[i + 1] is Nn.ReLU)
            {
                var pair = new Nn.Sequential(m, modules[i + 1]);
                steps.Add(($"{i}: BatchNorm2d + ReLU (fused)", pair.Forward));
                i++;
            }
            else steps.Add(($"{i}: {m}", m.Forward));
        }
        using var noGrad = Torch.NoGrad();
        var inputs = new List<Tensor> { _z };
        foreach (var (_, run) in steps) inputs.Add(run(inputs[^1]));
        for (int s = 0; s < steps.Count; s++)
        {
            var (name, run) = steps[s];
            var best = new Best();
            for (int i = 0; i < rounds; i++) best.Time(() => run(inputs[s]));
            Console.WriteLine($"    {name.Split('\n')[0],-60} {best.Wall,7:F2} ms wall {best.Cpu,7:F2} ms CPU");
        }
    }

    /// <summary>The best wall and process CPU time of repeated calls, in ms.</summary>
    private sealed class Best
    {
        public double Wall = double.MaxValue, Cpu = double.MaxValue;

        public void Time(Action call)
        {
            var process = Process.GetCurrentProcess();
            var cpu0 = process.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            call();
            Wall = Math.Min(Wall, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            process.Refresh();
            Cpu = Math.Min(Cpu, (process.TotalProcessorTime - cpu0).TotalMilliseconds);
        }
    }
}
