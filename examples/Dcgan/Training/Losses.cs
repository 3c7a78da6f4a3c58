using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Training;

/// <summary>The adversarial losses and the WGAN-GP gradient penalty.</summary>
public static class Losses
{
    /// <summary>BCEWithLogits against a constant target (1 for "real", 0 for "fake"), averaged over the batch.</summary>
    public static Tensor Bce(Tensor logits, double target) =>
        F.BinaryCrossEntropyWithLogits(logits, Torch.Full(logits.Shape, target, logits.DType));

    /// <summary>
    /// The gradient penalty of WGAN-GP: λ · mean over the batch of (‖∇ₓ D(x̂)‖₂ − 1)², where x̂ is
    /// a random point on the segment between a real and a generated image.
    /// </summary>
    /// <remarks>
    /// The gradient ∇ₓ D(x̂) is computed with <c>createGraph: true</c>, so the penalty is itself
    /// differentiable with respect to the critic's weights: its backward pass runs through the
    /// backward pass of every Conv2d (Conv2d's double backward, built from ConvTranspose2d).
    /// A tiny constant inside the square root keeps the norm's derivative finite at 0.
    /// </remarks>
    public static Tensor GradientPenalty(Module critic, Tensor real, Tensor fake, double lambda, Generator rng)
    {
        int n = real.Size(0);
        var eps = Torch.Rand([n, 1, 1, 1], rng, real.DType);
        Tensor mixed;
        using (Torch.NoGrad()) mixed = eps * real + (1 - eps) * fake;
        mixed = mixed.Detach().RequiresGrad_();
        var scores = critic.Forward(mixed);
        var grad = Torch.Grad(scores.Sum(), mixed, createGraph: true);
        var norm = (grad.Reshape(n, -1).Pow(2).Sum(1) + 1e-12).Sqrt();
        return (norm - 1).Pow(2).Mean() * lambda;
    }
}
