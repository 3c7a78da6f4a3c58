using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using MiniTorch.Benchmarks;

// Usage (see docs/performance.md):
//   dotnet run -c Release --project tests/MiniTorch.Benchmarks -- --filter '*Gemm*' --job short
//   dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick [size]   (stopwatch check)
//   dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick-gemm-edge [float|double]   (GEMMs with edge tiles, one thread)
//   dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick-dcgan [seconds] [timeline] [example] [gc]   (the DCGAN step back to back, for perf; timeline: per-region timeline of a step; example: the example's old default config; gc: collections with their reasons, allocations by type)
//   dotnet run -c Release --project tests/MiniTorch.Benchmarks -- quick-infer [rounds]    (generator inference vs ONNX Runtime, interleaved)
// The FMA-peak probe is always added to the filter and all classes are joined into one summary,
// so every GFLOP/s figure is also shown as a fraction of a peak measured in the same run.
if (args.Length > 0 && args[0] == "quick")
{
    Quick.Run(args.Length > 1 ? int.Parse(args[1]) : 1024);
    return;
}
if (args.Length > 1 && args[0] == "quick-gemm-edge" && args[1] == "example") { QuickGemmEdge.Example(); return; } // the example step's GEMM shapes, one thread
if (args.Length > 0 && args[0] == "quick-gemm-edge") { QuickGemmEdge.Run(args.Length > 1 && args[1] == "double"); return; } // ragged-m GEMMs, one thread
if (args.Length > 0 && args[0] == "quick-sr") { QuickSr.Run(args[1..]); return; } // the whole FSRCNN upscale of a frame
if (args.Length > 0 && args[0] == "quick-conv")
{
    QuickConv.Run(args.Length > 1 ? args[1] : "all");
    return;
}
if (args.Length > 0 && args[0] == "quick-dcgan") { QuickDcgan.Run(args.Length > 1 ? double.Parse(args[1]) : 10, !args.Contains("noscope"), args.Contains("timeline"), args.Contains("example"), args.Contains("gc")); return; } // the DCGAN step back to back
if (args.Length > 0 && args[0] == "quick-infer") { DcganInferenceBenchmarks.Quick(args.Length > 1 ? int.Parse(args[1]) : 20); return; } // G inference vs ONNX Runtime, interleaved
if (args.Length > 0 && args[0] == "repeat")
{
    // repeat <float|double> <size> <count> [parallel]: GEMMs only, for `perf stat` / `perf record`.
    Quick.Repeat(args[1] == "double", int.Parse(args[2]), int.Parse(args[3]), args.Length > 4 && args[4] == "parallel");
    return;
}

var argList = args.ToList();
int filter = argList.IndexOf("--filter");
if (filter >= 0) argList.Insert(filter + 1, "*FmaPeak*");
if (!argList.Contains("--join")) argList.Add("--join");

var config = ManualConfig.Create(DefaultConfig.Instance)
    // The generated project copies ONNX Runtime's native libraries for every platform: more than the default 2 minutes on a busy machine.
    .WithBuildTimeout(TimeSpan.FromMinutes(10))
    .AddColumn(FlopColumn.Gflops, FlopColumn.PercentOfPeak)
    .AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(FmaPeak).Assembly).Run([.. argList], config);
