using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Benchmarks;

/// <summary>
/// ONNX Runtime 1.32 in-process on the same layers as <see cref="ConvNdBenchmarks"/>' forwards (the
/// model is the MiniTorch module exported with <c>Onnx.ToBytes</c>; intra-op threads = MiniTorch's
/// thread count), so both are measured in the same run as the FMA probe.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeNdBenchmarks
{
    private (InferenceSession Session, NamedOnnxValue[] Inputs) _c3, _t3, _c1;

    /// <summary>The same FLOP counts as <see cref="ConvNdBenchmarks"/>.</summary>
    public static readonly double Conv3dFlops = ConvNdBenchmarks.Conv3dFlops, ConvTranspose3dFlops = ConvNdBenchmarks.ConvTranspose3dFlops,
                                  Conv1dFlops = ConvNdBenchmarks.Conv1dFlops;

    private static (InferenceSession, NamedOnnxValue[]) Load(Module layer, int[] inputShape)
    {
        var input = Torch.Randn(inputShape, new Generator(1));
        var options = new SessionOptions { IntraOpNumThreads = Threading.NumThreads, InterOpNumThreads = 1 };
        var session = new InferenceSession(IO.Onnx.ToBytes(new Sequential(layer), input, 17), options);
        var x = new DenseTensor<float>(input.ToArray(), input.Shape);
        return (session, [NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), x)]);
    }

    [GlobalSetup]
    public void Setup()
    {
        _c3 = Load(new Conv3d(32, 32, 3, padding: 1, bias: false), [4, 32, 32, 32, 32]);
        _t3 = Load(new ConvTranspose3d(64, 32, 4, stride: 2, padding: 1, bias: false), [4, 64, 8, 8, 8]);
        _c1 = Load(new Conv1d(64, 64, 9, padding: 4, bias: false), [16, 64, 4096]);
    }

    [GlobalCleanup]
    public void Cleanup() { _c3.Session.Dispose(); _t3.Session.Dispose(); _c1.Session.Dispose(); }

    private static void Run((InferenceSession Session, NamedOnnxValue[] Inputs) s)
    {
        using var results = s.Session.Run(s.Inputs);
    }

    [Benchmark(Description = "ONNX Runtime Conv3d 3x3x3 32->32 4x32x32x32x32 float32 forward"), Flops(nameof(Conv3dFlops))]
    public void Conv3d() => Run(_c3);

    [Benchmark(Description = "ONNX Runtime ConvTranspose3d 4x4x4 s2 64->32 4x64x8x8x8 float32 forward"), Flops(nameof(ConvTranspose3dFlops))]
    public void ConvTranspose3d() => Run(_t3);

    [Benchmark(Description = "ONNX Runtime Conv1d k9 64->64 16x64x4096 float32 forward"), Flops(nameof(Conv1dFlops))]
    public void Conv1d() => Run(_c1);
}
