using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Models;

/// <summary>
/// The DCGAN generator of PyTorch's example scaled to 32×32: z [N, nz, 1, 1] → 4×4 → 8×8 → 16×16 →
/// 32×32 image in [-1, 1]. Every convolution is bias-free because BatchNorm follows it (or Tanh
/// ends the network, as in the reference).
/// </summary>
public sealed class DcganGenerator : Module
{
    /// <summary>Builds the generator; <paramref name="generator"/> seeds the weight initialisation.</summary>
    public DcganGenerator(ModelConfig config, UpsampleMode upsample, Generator generator)
    {
        Config = config;
        int nz = config.Nz, ngf = config.Ngf;
        Main = RegisterModule("main", new Sequential(
            // nz × 1 × 1 → 4ngf × 4 × 4
            new ConvTranspose2d(nz, 4 * ngf, 4, stride: 1, padding: 0, bias: false),
            new BatchNorm2d(4 * ngf),
            new ReLU(),
            // 4ngf × 4 × 4 → 2ngf × 8 × 8
            Up(4 * ngf, 2 * ngf, upsample),
            new BatchNorm2d(2 * ngf),
            new ReLU(),
            // 2ngf × 8 × 8 → ngf × 16 × 16
            Up(2 * ngf, ngf, upsample),
            new BatchNorm2d(ngf),
            new ReLU(),
            // ngf × 16 × 16 → nc × 32 × 32
            Up(ngf, config.Nc, upsample),
            new Tanh()));
        WeightsInit.Apply(this, generator);
    }

    /// <summary>The network sizes.</summary>
    public ModelConfig Config { get; }

    /// <summary>The layers, named <c>main.0</c>, <c>main.1</c>, … as in PyTorch's example.</summary>
    public Sequential Main { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Main.Forward(input);

    /// <summary>A resolution-doubling layer: transposed convolution, or resize then convolution.</summary>
    private static Module Up(int inChannels, int outChannels, UpsampleMode mode) => mode switch
    {
        UpsampleMode.Transposed => new ConvTranspose2d(inChannels, outChannels, 4, stride: 2, padding: 1, bias: false),
        _ => new Sequential(
            new Upsample(scaleFactor: 2, mode: InterpolationMode.Nearest),
            new Conv2d(inChannels, outChannels, 3, stride: 1, padding: 1, bias: false)),
    };
}
