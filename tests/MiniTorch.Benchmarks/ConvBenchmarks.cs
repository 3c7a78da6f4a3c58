using BenchmarkDotNet.Attributes;

namespace MiniTorch.Benchmarks;

/// <summary>
/// Conv2d 3×3, 64→64, padding 1 on 8×64×64×64: forward, input gradient (the transposed kernel on
/// the same geometry) and weight gradient, float32 and float64, on preallocated arrays (kernel rate;
/// "Allocated" is the kernels' own workspace).
/// </summary>
[MemoryDiagnoser]
public class Conv3x3Benchmarks
{
    private ConvCase<float> _f = null!;
    private ConvCase<double> _d = null!;

    /// <summary>2·8·64·64·64·64·9 ≈ 9.66 GFLOP per call, for each of the three.</summary>
    public static readonly double Flops = ConvShapes.Conv3x3<float>().Flops;

    [GlobalSetup]
    public void Setup() { _f = ConvShapes.Conv3x3<float>(); _d = ConvShapes.Conv3x3<double>(); }

    [Benchmark(Description = "Conv2d 3x3 64->64 8x64x64x64 float32 forward"), Flops(nameof(Flops))]
    public void ForwardFloat32() => _f.Convolve();

    [Benchmark(Description = "Conv2d 3x3 64->64 8x64x64x64 float32 input grad"), Flops(nameof(Flops))]
    public void InputGradFloat32() => _f.ConvolveTransposed();

    [Benchmark(Description = "Conv2d 3x3 64->64 8x64x64x64 float32 weight grad"), Flops(nameof(Flops))]
    public void WeightGradFloat32() => _f.WeightGradient();

    [Benchmark(Description = "Conv2d 3x3 64->64 8x64x64x64 float64 forward"), Flops(nameof(Flops))]
    public void ForwardFloat64() => _d.Convolve();

    [Benchmark(Description = "Conv2d 3x3 64->64 8x64x64x64 float64 input grad"), Flops(nameof(Flops))]
    public void InputGradFloat64() => _d.ConvolveTransposed();

    [Benchmark(Description = "Conv2d 3x3 64->64 8x64x64x64 float64 weight grad"), Flops(nameof(Flops))]
    public void WeightGradFloat64() => _d.WeightGradient();
}

/// <summary>ConvTranspose2d 4×4, stride 2, padding 1, 64→32 on 8×64×32×32 (a DCGAN generator layer), float32.</summary>
[MemoryDiagnoser]
public class ConvTranspose4x4Benchmarks
{
    private ConvCase<float> _f = null!;

    /// <summary>2·N·C_in·C_out·kH·kW·H_in·W_in = 2·8·64·32·16·32·32 ≈ 0.54 GFLOP (inserted zeros not counted).</summary>
    public static readonly double Flops = ConvShapes.Transposed4x4<float>().Flops;

    [GlobalSetup]
    public void Setup() => _f = ConvShapes.Transposed4x4<float>();

    [Benchmark(Description = "ConvTranspose2d 4x4 s2 64->32 8x64x32x32 float32 forward"), Flops(nameof(Flops))]
    public void Forward() => _f.ConvolveTransposed();

    [Benchmark(Description = "ConvTranspose2d 4x4 s2 64->32 8x64x32x32 float32 input grad"), Flops(nameof(Flops))]
    public void InputGrad() => _f.Convolve();

    [Benchmark(Description = "ConvTranspose2d 4x4 s2 64->32 8x64x32x32 float32 weight grad"), Flops(nameof(Flops))]
    public void WeightGrad() => _f.WeightGradient();
}

/// <summary>
/// FSRCNN's last layer, ConvTranspose2d(56, 1, 9, stride 2, padding 4, output_padding 1) on
/// 1×56×1080×1920 → 1×1×2160×3840, float32. "Allocated" is the kernel's whole managed workspace;
/// the process's peak working set is printed by `quick-conv fsrcnn` (a fresh process).
/// </summary>
[MemoryDiagnoser]
public class FsrcnnBenchmarks
{
    private ConvCase<float> _f = null!;

    /// <summary>2·56·1·81·1080·1920 ≈ 18.8 GFLOP.</summary>
    public static readonly double Flops = 2.0 * 56 * 81 * 1080 * 1920;

    [GlobalSetup]
    public void Setup() => _f = ConvShapes.Fsrcnn<float>();

    [Benchmark(Description = "FSRCNN last layer ConvTranspose2d(56,1,9,s2,p4,op1) 1x56x1080x1920 float32"), Flops(nameof(Flops))]
    public void Forward() => _f.ConvolveTransposed();
}

/// <summary>
/// The new ranks (float32): Conv3d 3×3×3 32→32 padding 1 on 4×32×32³, ConvTranspose3d 4×4×4 s2 p1
/// 64→32 on 4×64×8³ and Conv1d k9 64→64 padding 4 on 16×64×4096, each pass of each layer.
/// </summary>
[MemoryDiagnoser]
public class ConvNdBenchmarks
{
    private ConvCase<float> _c3 = null!, _t3 = null!, _c1 = null!;

    /// <summary>2·4·32·32·27·32768 ≈ 7.25 GFLOP.</summary>
    public static readonly double Conv3dFlops = ConvShapes.Conv3d<float>().Flops;
    /// <summary>2·4·64·32·64·512 ≈ 0.54 GFLOP (inserted zeros not counted).</summary>
    public static readonly double ConvTranspose3dFlops = ConvShapes.ConvTranspose3d<float>().Flops;
    /// <summary>2·16·64·64·9·4096 ≈ 4.83 GFLOP.</summary>
    public static readonly double Conv1dFlops = ConvShapes.Conv1d<float>().Flops;

    [GlobalSetup]
    public void Setup() { _c3 = ConvShapes.Conv3d<float>(); _t3 = ConvShapes.ConvTranspose3d<float>(); _c1 = ConvShapes.Conv1d<float>(); }

    [Benchmark(Description = "Conv3d 3x3x3 32->32 4x32x32x32x32 float32 forward"), Flops(nameof(Conv3dFlops))]
    public void Conv3dForward() => _c3.Convolve();

    [Benchmark(Description = "Conv3d 3x3x3 32->32 4x32x32x32x32 float32 input grad"), Flops(nameof(Conv3dFlops))]
    public void Conv3dInputGrad() => _c3.ConvolveTransposed();

    [Benchmark(Description = "Conv3d 3x3x3 32->32 4x32x32x32x32 float32 weight grad"), Flops(nameof(Conv3dFlops))]
    public void Conv3dWeightGrad() => _c3.WeightGradient();

    [Benchmark(Description = "ConvTranspose3d 4x4x4 s2 64->32 4x64x8x8x8 float32 forward"), Flops(nameof(ConvTranspose3dFlops))]
    public void ConvTranspose3dForward() => _t3.ConvolveTransposed();

    [Benchmark(Description = "ConvTranspose3d 4x4x4 s2 64->32 4x64x8x8x8 float32 input grad"), Flops(nameof(ConvTranspose3dFlops))]
    public void ConvTranspose3dInputGrad() => _t3.Convolve();

    [Benchmark(Description = "ConvTranspose3d 4x4x4 s2 64->32 4x64x8x8x8 float32 weight grad"), Flops(nameof(ConvTranspose3dFlops))]
    public void ConvTranspose3dWeightGrad() => _t3.WeightGradient();

    [Benchmark(Description = "Conv1d k9 64->64 16x64x4096 float32 forward"), Flops(nameof(Conv1dFlops))]
    public void Conv1dForward() => _c1.Convolve();

    [Benchmark(Description = "Conv1d k9 64->64 16x64x4096 float32 input grad"), Flops(nameof(Conv1dFlops))]
    public void Conv1dInputGrad() => _c1.ConvolveTransposed();

    [Benchmark(Description = "Conv1d k9 64->64 16x64x4096 float32 weight grad"), Flops(nameof(Conv1dFlops))]
    public void Conv1dWeightGrad() => _c1.WeightGradient();
}
