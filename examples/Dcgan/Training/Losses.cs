using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Training;

/// <summary>The DCGAN recipe's loss, as PyTorch's DCGAN example writes it (the modern recipe uses <see cref="F"/>'s GAN losses).</summary>
public static class Losses
{
    /// <summary>BCEWithLogits against a constant target (1 for "real", 0 for "fake"), averaged over the batch.</summary>
    public static Tensor Bce(Tensor logits, double target) =>
        F.BinaryCrossEntropyWithLogits(logits, Torch.Full(logits.Shape, target, logits.DType));
}
