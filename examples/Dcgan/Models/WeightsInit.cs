using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Models;

/// <summary>
/// DCGAN's initialisation (the <c>weights_init</c> of PyTorch's example): convolution weights
/// N(0, 0.02), BatchNorm weight N(1, 0.02) and bias 0, drawn from one seeded generator in module
/// order so that the same seed gives the same network.
/// </summary>
public static class WeightsInit
{
    /// <summary>Re-initialises every convolution and BatchNorm of <paramref name="model"/>.</summary>
    public static void Apply(Module model, Generator generator)
    {
        foreach (var (_, m) in model.NamedModules())
        {
            if (m is Conv2d or ConvTranspose2d)
            {
                foreach (var (name, p) in m.NamedParameters())
                    if (name == "weight") Init.Normal(p, 0, 0.02, generator);
                    else if (name == "bias") Init.Zeros(p);
            }
            else if (m is BatchNorm2d)
            {
                foreach (var (name, p) in m.NamedParameters())
                    if (name == "weight") Init.Normal(p, 1, 0.02, generator);
                    else if (name == "bias") Init.Zeros(p);
            }
        }
    }
}
