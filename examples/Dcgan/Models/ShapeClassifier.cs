using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Models;

/// <summary>
/// The small CNN that judges generated images: three stride-2 convolutions (32 → 16 → 8 → 4),
/// a 64-unit hidden layer whose activations are the features of the Fréchet distance, and one
/// logit per class.
/// </summary>
public sealed class ShapeClassifier : Module
{
    /// <summary>Width of the penultimate (feature) layer.</summary>
    public const int FeatureSize = 64;

    /// <summary>Builds an untrained classifier for <paramref name="numClasses"/> classes.</summary>
    public ShapeClassifier(int numClasses, Generator generator)
    {
        NumClasses = numClasses;
        Body = RegisterModule("body", new Sequential(
            new Conv2d(1, 16, 4, stride: 2, padding: 1, generator: generator),
            new LeakyReLU(0.2),
            new Conv2d(16, 32, 4, stride: 2, padding: 1, generator: generator),
            new LeakyReLU(0.2),
            new Conv2d(32, 64, 4, stride: 2, padding: 1, generator: generator),
            new LeakyReLU(0.2),
            new Flatten(),
            new Linear(64 * 4 * 4, FeatureSize, generator: generator),
            new ReLU()));
        Head = RegisterModule("head", new Linear(FeatureSize, numClasses, generator: generator));
        // PyTorch's default (Kaiming-uniform) initialisation, drawn from the seeded generator:
        // DCGAN's N(0, 0.02) would make this BatchNorm-free network learn slowly.
    }

    /// <summary>The number of classes.</summary>
    public int NumClasses { get; }

    /// <summary>Everything up to the feature layer.</summary>
    public Sequential Body { get; }

    /// <summary>The final linear layer.</summary>
    public Linear Head { get; }

    /// <summary>The penultimate features, [N, 64].</summary>
    public Tensor Features(Tensor images) => Body.Forward(images);

    /// <summary>Class logits, [N, classes].</summary>
    public override Tensor Forward(Tensor input) => Head.Forward(Body.Forward(input));
}
