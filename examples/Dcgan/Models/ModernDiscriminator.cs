using Dcgan.Experimental;
using Dcgan.Training;
using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Models;

/// <summary>
/// The modern recipe's discriminator: the DCGAN layout (stride-2, kernel-4 convolutions with
/// LeakyReLU(0.2), 32 → 16 → 8 → 4, then a 4×4 convolution to one logit) without BatchNorm, with
/// spectral normalization on every convolution and, optionally, a minibatch standard-deviation
/// channel before the last one.
/// </summary>
public sealed class ModernDiscriminator : Module
{
    /// <summary>Builds the discriminator; <paramref name="generator"/> seeds the initial weights.</summary>
    public ModernDiscriminator(ModelConfig config, ModernSettings settings, Generator generator)
    {
        Config = config;
        int ndf = config.Ndf;
        Module Conv(int cin, int cout, int k, int s, int p) => settings.SpectralNorm
            ? new SpectralNormConv2d(cin, cout, k, s, p, bias: true, generator)
            : WithInit(new Conv2d(cin, cout, k, stride: s, padding: p, bias: true, generator: generator), generator);
        var layers = new List<Module>
        {
            Conv(config.Nc, ndf, 4, 2, 1), new LeakyReLU(0.2),
            Conv(ndf, 2 * ndf, 4, 2, 1), new LeakyReLU(0.2),
            Conv(2 * ndf, 4 * ndf, 4, 2, 1), new LeakyReLU(0.2),
        };
        if (settings.MinibatchStd > 0) layers.Add(new Experimental.MinibatchStdDev(settings.MinibatchStd));
        layers.Add(Conv(4 * ndf + (settings.MinibatchStd > 0 ? 1 : 0), 1, 4, 1, 0));
        Main = RegisterModule("main", new Sequential([.. layers]));
    }

    private static Conv2d WithInit(Conv2d conv, Generator generator)
    {
        Init.Normal(conv.Weight, 0, 0.02, generator);
        Init.Zeros(conv.Bias!);
        return conv;
    }

    /// <summary>The network sizes.</summary>
    public ModelConfig Config { get; }

    /// <summary>The layers.</summary>
    public Sequential Main { get; }

    /// <summary>One logit per image, shape [N].</summary>
    public override Tensor Forward(Tensor input) => Main.Forward(input).Reshape(-1);
}
