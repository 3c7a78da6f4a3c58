using BenchmarkDotNet.Attributes;

namespace MiniTorch.Benchmarks;

/// <summary>
/// C = A·B for 1024×1024 matrices on all threads, float32 and float64, through the kernel directly
/// and through <see cref="Tensor.MatMul"/> (which adds allocation of the result and dispatch).
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private const int N = 1024;
    public static readonly double Flops = 2.0 * N * N * N;

    private float[] _af = null!, _bf = null!, _cf = null!;
    private double[] _ad = null!, _bd = null!, _cd = null!;
    private Tensor _tf = null!, _td = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _af = Random(rng, N * N, x => (float)x); _bf = Random(rng, N * N, x => (float)x); _cf = new float[N * N];
        _ad = Random(rng, N * N, x => x); _bd = Random(rng, N * N, x => x); _cd = new double[N * N];
        _tf = Torch.FromArray(_af, N, N);
        _td = Torch.FromArray(_ad, N, N);
    }

    private static T[] Random<T>(Random rng, int count, Func<double, T> convert)
    {
        var x = new T[count];
        for (int i = 0; i < count; i++) x[i] = convert(rng.NextDouble() * 2 - 1);
        return x;
    }

    [Benchmark(Description = "GEMM 1024³ float32, Gemm.Multiply"), Flops(nameof(Flops))]
    public void GemmFloat32() => Kernels.Gemm.Multiply(false, false, N, N, N, 1f, _af, N, _bf, N, 0f, _cf, N);

    [Benchmark(Description = "GEMM 1024³ float64, Gemm.Multiply"), Flops(nameof(Flops))]
    public void GemmFloat64() => Kernels.Gemm.Multiply(false, false, N, N, N, 1.0, _ad, N, _bd, N, 0.0, _cd, N);

    [Benchmark(Description = "GEMM 1024³ float32, Tensor.MatMul"), Flops(nameof(Flops))]
    public Tensor MatMulFloat32() => _tf.MatMul(_tf);

    [Benchmark(Description = "GEMM 1024³ float64, Tensor.MatMul"), Flops(nameof(Flops))]
    public Tensor MatMulFloat64() => _td.MatMul(_td);
}
