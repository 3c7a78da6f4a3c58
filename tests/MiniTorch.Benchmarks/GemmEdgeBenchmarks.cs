using BenchmarkDotNet.Attributes;

namespace MiniTorch.Benchmarks;

/// <summary>
/// C = A·B, float32, with the DCGAN layers' short row counts (output channels 16…128 against 4096 pixel columns,
/// k = 512) on all threads: none is a multiple of the Vector512 kernel's 14 rows, so each runs edge tiles
/// (16 = 14 + 2, 32 = 28 + 4, 64 = 56 + 8, 128 = 126 + 2). The last row has a partial last column panel.
/// </summary>
public class GemmEdgeBenchmarks
{
    private const int N = 4096, K = 512;
    public static readonly double Flops16 = 2.0 * 16 * N * K, Flops32 = 2.0 * 32 * N * K, Flops64 = 2.0 * 64 * N * K;
    public static readonly double Flops128 = 2.0 * 128 * N * K, Flops64Ragged = 2.0 * 64 * (N + 16) * K;

    private float[] _a = null!, _b = null!, _c = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = new float[128 * K];
        _b = new float[K * (N + 16)];
        _c = new float[128 * (N + 16)];
        for (int i = 0; i < _a.Length; i++) _a[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < _b.Length; i++) _b[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    private void Run(int m, int n) => Kernels.Gemm.Multiply(false, false, m, n, K, 1f, _a, K, _b, n, 0f, _c, n);

    [Benchmark(Description = "GEMM 16×4096×512 float32 (edge rows 2)"), Flops(nameof(Flops16))]
    public void Rows16() => Run(16, N);

    [Benchmark(Description = "GEMM 32×4096×512 float32 (edge rows 4)"), Flops(nameof(Flops32))]
    public void Rows32() => Run(32, N);

    [Benchmark(Description = "GEMM 64×4096×512 float32 (edge rows 8)"), Flops(nameof(Flops64))]
    public void Rows64() => Run(64, N);

    [Benchmark(Description = "GEMM 128×4096×512 float32 (edge rows 2)"), Flops(nameof(Flops128))]
    public void Rows128() => Run(128, N);

    [Benchmark(Description = "GEMM 64×4112×512 float32 (edge rows 8, last panel 16 of 32 columns)"), Flops(nameof(Flops64Ragged))]
    public void Rows64Ragged() => Run(64, N + 16);
}
