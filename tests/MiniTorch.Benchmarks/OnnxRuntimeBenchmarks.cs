using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using MiniTorch.IO;
using MiniTorch.Nn;
using SuperResolution;

namespace MiniTorch.Benchmarks;

/// <summary>
/// ONNX Runtime's rows beside MiniTorch's, in the same BenchmarkDotNet run (so the same FMA probe):
/// the same layers, exported by MiniTorch's own exporter (bias off, as in the kernel rows), run by
/// Microsoft.ML.OnnxRuntime in process: CPU execution provider, graph optimisations on, intra-op
/// threads = MiniTorch's thread count (<c>MINITORCH_NUM_THREADS</c>, default all cores). One call is
/// one <c>Run</c> on input and output buffers allocated once, so the row is the session's compute
/// plus its per-call overhead; MiniTorch's kernel rows call the kernels on preallocated arrays.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeBenchmarks
{
    /// <summary>The same FLOP counts as MiniTorch's rows.</summary>
    public static readonly double Conv3x3Flops = Conv3x3Benchmarks.Flops, Transposed4x4Flops = ConvTranspose4x4Benchmarks.Flops,
                                  FsrcnnLayerFlops = FsrcnnBenchmarks.Flops;

    private OrtCall _conv = null!, _transposed = null!, _fsrcnnLayer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(7);
        _conv = new OrtCall(new Conv2d(64, 64, 3, padding: 1, bias: false, generator: g), [8, 64, 64, 64]);
        _transposed = new OrtCall(new ConvTranspose2d(64, 32, 4, stride: 2, padding: 1, bias: false, generator: g), [8, 64, 32, 32]);
        _fsrcnnLayer = new OrtCall(new ConvTranspose2d(56, 1, 9, stride: 2, padding: 4, outputPadding: 1, bias: false, generator: g), [1, 56, 1080, 1920]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _conv.Dispose();
        _transposed.Dispose();
        _fsrcnnLayer.Dispose();
    }

    [Benchmark(Description = "ONNX Runtime: Conv2d 3x3 64->64 8x64x64x64 float32 forward"), Flops(nameof(Conv3x3Flops))]
    public void Conv3x3Forward() => _conv.Run();

    [Benchmark(Description = "ONNX Runtime: ConvTranspose2d 4x4 s2 64->32 8x64x32x32 float32 forward"), Flops(nameof(Transposed4x4Flops))]
    public void ConvTranspose4x4Forward() => _transposed.Run();

    [Benchmark(Description = "ONNX Runtime: FSRCNN last layer ConvTranspose2d(56,1,9,s2,p4,op1) 1x56x1080x1920 float32"), Flops(nameof(FsrcnnLayerFlops))]
    public void FsrcnnLastLayer() => _fsrcnnLayer.Run();
}

/// <summary>
/// The whole FSRCNN ×2 (d 56, s 12, m 4) on the luma of a 1920×1080 frame: MiniTorch as the example's
/// <c>upscale</c> runs the network (<see cref="Upscaler.UpscaleLuma"/>: stripes per thread, bands of
/// rows), with random weights and with the example's shipped ×2 weights, and ONNX Runtime on the same
/// network exported by MiniTorch, in one pass over the frame.
/// </summary>
[MemoryDiagnoser]
public class FsrcnnNetworkBenchmarks
{
    /// <summary>51.7 GFLOP: (5·5·56 + 56·12 + 4·9·12·12 + 12·56 + 56·81) multiply-adds per input pixel.</summary>
    public static readonly double Flops = 2.0 * (5 * 5 * 56 + 56 * 12 + 4 * 9 * 12 * 12 + 12 * 56 + 56 * 81) * 1080 * 1920;

    private FSRCNN _model = null!, _shipped = null!;
    private Tensor _luma = null!;
    private OrtCall _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = new FSRCNN(2, generator: new Generator(0));
        _shipped = SuperResolution.Program.LoadModel(SuperResolution.Program.ShippedWeights, 2, 56, 12, 4);
        _luma = Torch.Rand([1, 1, 1080, 1920], new Generator(2));
        _ort = new OrtCall(_model, [1, 1, 1080, 1920]);
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Description = "MiniTorch: FSRCNN x2 whole network (UpscaleLuma) 1x1x1080x1920 float32"), Flops(nameof(Flops))]
    public Tensor MiniTorch() => Upscaler.UpscaleLuma(_model, _luma, Upscaler.DefaultBand);

    [Benchmark(Description = "MiniTorch: FSRCNN x2 whole network (UpscaleLuma), the example's shipped weights, 1x1x1080x1920 float32"), Flops(nameof(Flops))]
    public Tensor MiniTorchShippedWeights() => Upscaler.UpscaleLuma(_shipped, _luma, Upscaler.DefaultBand);

    [Benchmark(Description = "ONNX Runtime: FSRCNN x2 whole network 1x1x1080x1920 float32"), Flops(nameof(Flops))]
    public void OnnxRuntime() => _ort.Run();
}

/// <summary>An ONNX Runtime session on a MiniTorch export, with its input (random) and output buffers allocated once.</summary>
internal sealed class OrtCall : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtValue _input, _output;
    private readonly RunOptions _runOptions = new();

    public OrtCall(Module model, int[] inputShape)
    {
        var example = Torch.Uniform(inputShape, -1, 1, new Generator(3));
        byte[] bytes = Onnx.ToBytes(model, example);
        Tensor y;
        using (Torch.NoGrad()) y = model.Forward(example);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Torch.GetNumThreads(),
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(bytes, options);
        _input = OrtValue.CreateTensorValueFromMemory(example.ToArray(), [.. inputShape.Select(d => (long)d)]);
        _output = OrtValue.CreateTensorValueFromMemory(new float[y.Numel], [.. y.Shape.Select(d => (long)d)]);
    }

    public void Run() => _session.Run(_runOptions, ["input"], [_input], ["output"], [_output]);

    public void Dispose()
    {
        _session.Dispose();
        _input.Dispose();
        _output.Dispose();
        _runOptions.Dispose();
    }
}
