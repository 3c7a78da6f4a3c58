using BenchmarkDotNet.Attributes;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch.Optim;

namespace MiniTorch.Benchmarks;

/// <summary>
/// One DCGAN training step of examples/Dcgan's generator and discriminator (PyTorch's DCGAN scaled to
/// 32×32) at the paper's sizes (nz 100, ngf = ndf = 64, 3 channels), batch 64: D on real and fake,
/// BCE with logits, Adam; then G through D, BCE, Adam, in a memory scope. "Allocated" is the garbage one step produces.
/// </summary>
[MemoryDiagnoser]
public class DcganStepBenchmarks
{
    private const int Batch = 64, Nz = 100;

    /// <summary>
    /// The example's old default configuration instead of the paper's (<c>quick-dcgan … example</c>): nz 64, ngf 32,
    /// ndf 16, one 32×32 channel, batch 64 (<see cref="ModelConfig"/>'s defaults, the second goal).
    /// </summary>
    public bool Example { get; set; }
    private DcganGenerator _g = null!;
    private DcganDiscriminator _d = null!;
    private Adam _optG = null!, _optD = null!;
    private Tensor _real = null!;
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
        var config = Example ? new ModelConfig() : new ModelConfig(Nz, 64, 64, 3);
        _nz = config.Nz;
        _g = new DcganGenerator(config, UpsampleMode.Transposed, _rng);
        _d = new DcganDiscriminator(config, batchNorm: true, _rng);
        _optG = new Adam(_g.Parameters(), lr: 2e-4, betas: (0.5, 0.999));
        _optD = new Adam(_d.Parameters(), lr: 2e-4, betas: (0.5, 0.999));
        _real = Torch.Randn([Batch, config.Nc, 32, 32], _rng).Tanh();
    }

    private int _nz = Nz;

    /// <summary>
    /// The example configuration's convolution FLOPs per step, counted as <see cref="Flops"/> counts the paper's:
    /// G 64→128 (1×1→4×4), 128→64, 64→32, 32→1; D 1→16 (32×32→16×16), 16→32, 32→64, 64→1.
    /// </summary>
    public static readonly double ExampleFlops =
        2.0 * Batch * (3 * (64.0 * 128 * 16 * 1 + 128.0 * 64 * 16 * 16 + 64.0 * 32 * 16 * 64 + 32.0 * 1 * 16 * 256)
                     + 8 * (1.0 * 16 * 16 * 256 + 16.0 * 32 * 16 * 64 + 32.0 * 64 * 16 * 16 + 64.0 * 1 * 16 * 1));

    /// <summary>Run the step in a memory scope (the default; <c>quick-dcgan … noscope</c> turns it off to show the garbage it saves).</summary>
    public bool InScope { get; set; } = true;

    [Benchmark(Description = "DCGAN training step, batch 64, 3x32x32, float32"), Flops(nameof(Flops))]
    public double Step()
    {
        // The step's tensors go back to the caching allocator at its end (parameters, optimizer state and gradients stay).
        using var scope = InScope ? Torch.MemoryScope() : null;
        var noise = Torch.Randn([Batch, _nz, 1, 1], _rng);
        var fake = _g.Forward(noise);
        _optD.ZeroGrad();
        var lossD = Losses.Bce(_d.Forward(_real), 1) + Losses.Bce(_d.Forward(fake.Detach()), 0);
        lossD.Backward();
        _optD.Step();
        _optG.ZeroGrad();
        var lossG = Losses.Bce(_d.Forward(fake), 1);
        lossG.Backward();
        _optG.Step();
        return lossD.Item() + lossG.Item();
    }
}
