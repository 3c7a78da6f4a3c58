using Dcgan.Training;
using MiniTorch;
using MiniTorch.Nn;
using MiniTorch.Nn.Utils;

namespace Dcgan.Models;

/// <summary>
/// The modern recipe's discriminator: the DCGAN layout (stride-2, kernel-4 convolutions with
/// LeakyReLU(0.2), 32 → 16 → 8 → 4, then a 4×4 convolution to one logit), with the options of
/// <see cref="ModernSettings"/>: spectral normalization of every convolution, DCGAN's BatchNorm,
/// a minibatch standard-deviation channel before the last convolution, and PacGAN packing.
/// </summary>
public sealed class ModernDiscriminator : Module
{
    /// <summary>Builds the discriminator; <paramref name="generator"/> seeds the initial weights (N(0, 0.02), as DCGAN's).</summary>
    public ModernDiscriminator(ModelConfig config, ModernSettings settings, Generator generator)
    {
        Config = config;
        Pack = settings.Pack;
        int ndf = config.Ndf;
        Module Conv(int cin, int cout, int k, int s, int p)
        {
            var conv = new Conv2d(cin, cout, k, stride: s, padding: p, bias: true, generator: generator);
            Init.Normal(conv.Weight, 0, 0.02, generator);
            Init.Zeros(conv.Bias!);
            return settings.SpectralNorm ? Parametrizations.SpectralNorm(conv, generator: generator) : conv;
        }
        var layers = new List<Module> { Conv(config.Nc * Pack, ndf, 4, 2, 1), new LeakyReLU(0.2) };
        foreach (var (cin, cout) in new[] { (ndf, 2 * ndf), (2 * ndf, 4 * ndf) })
        {
            layers.Add(Conv(cin, cout, 4, 2, 1));
            if (settings.BatchNormD)
            {
                var bn = new BatchNorm2d(cout);
                Init.Normal(bn.Weight!, 1, 0.02, generator);
                layers.Add(bn);
            }
            layers.Add(new LeakyReLU(0.2));
        }
        if (settings.MinibatchStd > 0) layers.Add(new MinibatchStdDev(settings.MinibatchStd));
        layers.Add(Conv(4 * ndf + (settings.MinibatchStd > 0 ? 1 : 0), 1, 4, 1, 0));
        Main = RegisterModule("main", new Sequential([.. layers]));
    }

    /// <summary>The network sizes.</summary>
    public ModelConfig Config { get; }

    /// <summary>The layers.</summary>
    public Sequential Main { get; }

    /// <summary>Images judged together (PacGAN): the batch is read as N / Pack stacks of Pack images.</summary>
    public int Pack { get; }

    /// <summary>One logit per image, or per stack of <see cref="Pack"/> images: shape [N / Pack].</summary>
    public override Tensor Forward(Tensor input)
    {
        if (Pack > 1)
        {
            int n = input.Size(0);
            if (n % Pack != 0) throw new ArgumentException($"batch size {n} is not divisible by the pack size {Pack}");
            input = input.Reshape(n / Pack, Pack * input.Size(1), input.Size(2), input.Size(3));
        }
        return Main.Forward(input).Reshape(-1);
    }
}
