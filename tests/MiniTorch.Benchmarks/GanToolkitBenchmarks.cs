using BenchmarkDotNet.Attributes;
using Dcgan.Models;
using MiniTorch.Nn;
using MiniTorch.Nn.Utils;
using MiniTorch.Optim;

namespace MiniTorch.Benchmarks;

/// <summary>
/// What the GAN toolkit's pieces cost at the DCGAN example's sizes (nz 100, ngf = ndf = 64,
/// 3×32×32, batch 64), to set beside one training step (<see cref="DcganStepBenchmarks"/>). These
/// pieces move memory rather than multiply matrices, so the figures are times and allocations.
/// </summary>
[MemoryDiagnoser]
public class GanToolkitBenchmarks
{
    private const int Batch = 64;
    private DcganDiscriminator _critic = null!;
    private Conv2d[] _snLayers = null!;
    private DcganGenerator _g = null!;
    private AveragedModel _ema = null!;
    private Tensor _real = null!;
    private Generator _rng = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rng = new Generator(1);
        var config = new ModelConfig(100, 64, 64, 3);
        _critic = new DcganDiscriminator(config, batchNorm: false, _rng);
        _snLayers = [new Conv2d(3, 64, 4, stride: 2, padding: 1), new Conv2d(64, 128, 4, stride: 2, padding: 1),
                     new Conv2d(128, 256, 4, stride: 2, padding: 1), new Conv2d(256, 1, 4)];
        foreach (var l in _snLayers) Parametrizations.SpectralNorm(l, generator: _rng);
        _g = new DcganGenerator(config, UpsampleMode.Transposed, _rng);
        _ema = new AveragedModel(_g, () => new DcganGenerator(config, UpsampleMode.Transposed, new Generator(2)), AveragedModel.Ema(0.999), useBuffers: true);
        _ema.UpdateParameters(_g);
        _real = Torch.Randn([Batch, 3, 32, 32], _rng).Tanh();
    }

    [Benchmark(Description = "spectral norm: the 4 DCGAN D weights, one training-mode read each")]
    public double SpectralNormWeights()
    {
        double s = 0;
        foreach (var l in _snLayers) s += l.Weight.Numel;
        return s;
    }

    [Benchmark(Description = "DiffAugment color,translation,cutout: 64x3x32x32 float32")]
    public Tensor DiffAugmentAll() => DiffAugment.Apply(_real, DiffAugmentPolicy.All, _rng);

    [Benchmark(Description = "R1 penalty + backward: DCGAN critic, batch 64")]
    public void R1PenaltyStep()
    {
        _critic.ZeroGrad();
        GradientPenalty.R1(_critic.Forward, _real, gamma: 1).Backward();
    }

    [Benchmark(Description = "critic loss backward without a penalty (for comparison)")]
    public void CriticStepWithoutPenalty()
    {
        _critic.ZeroGrad();
        F.HingeLossD(_critic.Forward(_real), _critic.Forward(_real)).Backward();
    }

    [Benchmark(Description = "EMA update of the DCGAN generator (parameters and buffers)")]
    public void EmaUpdate() => _ema.UpdateParameters(_g);
}
