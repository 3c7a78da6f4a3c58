using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Models;

/// <summary>
/// The DCGAN discriminator scaled to 32×32: stride-2, kernel-4 convolutions with LeakyReLU(0.2)
/// halve the image to 16 → 8 → 4, and a final 4×4 convolution gives one logit per image.
/// As in PyTorch's example the first layer has no BatchNorm and the later ones do — except for
/// the WGAN-GP critic, where BatchNorm would couple the samples whose input gradients the penalty
/// constrains, so it is left out.
/// </summary>
public sealed class DcganDiscriminator : Module
{
    /// <summary>Builds the discriminator (or critic, when <paramref name="batchNorm"/> is false).</summary>
    public DcganDiscriminator(ModelConfig config, bool batchNorm, Generator generator)
    {
        Config = config;
        int ndf = config.Ndf;
        var layers = new List<Module>
        {
            // nc × 32 × 32 → ndf × 16 × 16
            new Conv2d(config.Nc, ndf, 4, stride: 2, padding: 1, bias: false),
            new LeakyReLU(0.2),
        };
        // ndf × 16 × 16 → 2ndf × 8 × 8 → 4ndf × 4 × 4
        foreach (var (cin, cout) in new[] { (ndf, 2 * ndf), (2 * ndf, 4 * ndf) })
        {
            layers.Add(new Conv2d(cin, cout, 4, stride: 2, padding: 1, bias: false));
            if (batchNorm) layers.Add(new BatchNorm2d(cout));
            layers.Add(new LeakyReLU(0.2));
        }
        // 4ndf × 4 × 4 → 1 × 1 × 1: the logit (no Sigmoid: the loss takes logits)
        layers.Add(new Conv2d(4 * ndf, 1, 4, stride: 1, padding: 0, bias: false));
        Main = RegisterModule("main", new Sequential([.. layers]));
        WeightsInit.Apply(this, generator);
    }

    /// <summary>The network sizes.</summary>
    public ModelConfig Config { get; }

    /// <summary>The layers.</summary>
    public Sequential Main { get; }

    /// <summary>One logit per image, shape [N].</summary>
    public override Tensor Forward(Tensor input) => Main.Forward(input).Reshape(-1);
}
