using MiniTorch;

namespace Dcgan.Experimental;

/// <summary>
/// PROTOTYPE, private to the example until MiniTorch's GAN losses land in <c>F</c> (issue 12,
/// library half). Mean-reduced adversarial losses on D's logits.
/// </summary>
public static class GanLosses
{
    /// <summary>softplus(x) = log(1 + eˣ), computed as relu(x) + log(1 + e^(−|x|)).</summary>
    public static Tensor Softplus(Tensor x) => x.Relu() + ((-x.Abs()).Exp() + 1).Log();

    /// <summary>Hinge loss of D: mean relu(1 − D(x)) + mean relu(1 + D(G(z))).</summary>
    public static Tensor HingeD(Tensor real, Tensor fake) => (1 - real).Relu().Mean() + (1 + fake).Relu().Mean();

    /// <summary>Hinge loss of G: −mean D(G(z)).</summary>
    public static Tensor HingeG(Tensor fake) => -fake.Mean();

    /// <summary>Non-saturating logistic loss of D: mean softplus(−D(x)) + mean softplus(D(G(z))).</summary>
    public static Tensor LogisticD(Tensor real, Tensor fake) => Softplus(-real).Mean() + Softplus(fake).Mean();

    /// <summary>Non-saturating logistic loss of G: mean softplus(−D(G(z))).</summary>
    public static Tensor LogisticG(Tensor fake) => Softplus(-fake).Mean();

    /// <summary>
    /// The R1 penalty (Mescheder et al., 2018): γ/2 · mean over the batch of ‖∇ₓD(x)‖² at real
    /// images. <paramref name="input"/> must require grad and <paramref name="scores"/> depend on it.
    /// </summary>
    public static Tensor R1(Tensor scores, Tensor input, double gamma)
    {
        var grad = Torch.Grad(scores.Sum(), input, createGraph: true);
        return grad.Pow(2).Sum([1, 2, 3]).Mean() * (gamma / 2);
    }
}
