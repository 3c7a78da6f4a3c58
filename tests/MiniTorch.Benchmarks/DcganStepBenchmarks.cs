using BenchmarkDotNet.Attributes;
using MiniTorch.Nn;
using MiniTorch.Optim;

namespace MiniTorch.Benchmarks;

/// <summary>
/// One DCGAN training step on 64×3×32×32 images (the classic DCGAN layer stack, scaled to 32×32;
/// examples/Dcgan was not on main when this was written): D on real and fake, BCE, Adam; then G
/// through D, BCE, Adam. "Allocated" is the garbage one step produces.
/// </summary>
[MemoryDiagnoser]
public class DcganStepBenchmarks
{
    private const int Batch = 64, Nz = 100;
    private Sequential _g = null!, _d = null!;
    private Adam _optG = null!, _optD = null!;
    private Tensor _real = null!, _ones = null!, _zeros = null!;
    private Generator _rng = null!;

    /// <summary>
    /// Convolution FLOPs of one step (2 per multiply-add), for the GFLOP/s column only: G forward and
    /// both gradients; D forward and both gradients on the real and the fake batch, and forward and
    /// input gradient on G's step. Batch norm, activations, losses and Adam are not counted.
    /// </summary>
    public static readonly double Flops = ConvFlops();

    private static double ConvFlops()
    {
        // Multiply-adds per image of each conv layer: C_in·C_out·k²·(small-side pixels).
        double g = 100.0 * 256 * 16 * 1 + 256.0 * 128 * 16 * 16 + 128.0 * 64 * 16 * 64 + 64.0 * 3 * 16 * 256;
        double d = 3.0 * 64 * 16 * 256 + 64.0 * 128 * 16 * 64 + 128.0 * 256 * 16 * 16 + 256.0 * 1 * 16 * 1;
        // G: forward + input grad + weight grad. D: real (3 passes), fake (3), fake for G (forward + input grad).
        return 2.0 * Batch * (3 * g + 8 * d);
    }

    [GlobalSetup]
    public void Setup()
    {
        _rng = new Generator(1);
        _g = new Sequential(
            new ConvTranspose2d(Nz, 256, 4, 1, 0, bias: false, generator: _rng), new BatchNorm2d(256), new ReLU(),
            new ConvTranspose2d(256, 128, 4, 2, 1, bias: false, generator: _rng), new BatchNorm2d(128), new ReLU(),
            new ConvTranspose2d(128, 64, 4, 2, 1, bias: false, generator: _rng), new BatchNorm2d(64), new ReLU(),
            new ConvTranspose2d(64, 3, 4, 2, 1, bias: false, generator: _rng), new Tanh());
        _d = new Sequential(
            new Conv2d(3, 64, 4, 2, 1, bias: false, generator: _rng), new LeakyReLU(0.2),
            new Conv2d(64, 128, 4, 2, 1, bias: false, generator: _rng), new BatchNorm2d(128), new LeakyReLU(0.2),
            new Conv2d(128, 256, 4, 2, 1, bias: false, generator: _rng), new BatchNorm2d(256), new LeakyReLU(0.2),
            new Conv2d(256, 1, 4, 1, 0, bias: false, generator: _rng), new Sigmoid());
        _optG = new Adam(_g.Parameters(), lr: 2e-4, betas: (0.5, 0.999));
        _optD = new Adam(_d.Parameters(), lr: 2e-4, betas: (0.5, 0.999));
        _real = Torch.Randn([Batch, 3, 32, 32], _rng).Tanh();
        _ones = Torch.Ones([Batch, 1, 1, 1]);
        _zeros = Torch.Zeros([Batch, 1, 1, 1]);
    }

    [Benchmark(Description = "DCGAN training step, batch 64, 3x32x32, float32"), Flops(nameof(Flops))]
    public double Step()
    {
        var noise = Torch.Randn([Batch, Nz, 1, 1], _rng);
        var fake = _g.Forward(noise);
        _optD.ZeroGrad();
        var lossD = F.BinaryCrossEntropy(_d.Forward(_real), _ones) + F.BinaryCrossEntropy(_d.Forward(fake.Detach()), _zeros);
        lossD.Backward();
        _optD.Step();
        _optG.ZeroGrad();
        var lossG = F.BinaryCrossEntropy(_d.Forward(fake), _ones);
        lossG.Backward();
        _optG.Step();
        return lossD.Item() + lossG.Item();
    }
}
