namespace MiniTorch.Nn;

/// <summary>
/// The adversarial losses of GAN training, on the discriminator's raw logits (scores). The
/// discriminator's losses take the scores of a real batch and of a generated batch; with
/// <see cref="Reduction.Mean"/> (the default) each half is averaged over its own batch and the
/// two averages are added, which is how GAN code writes them (<c>relu(1 − D(x)).mean() + relu(1 + D(G(z))).mean()</c>).
/// <see cref="Reduction.Sum"/> adds the two sums; <see cref="Reduction.None"/> returns the
/// element-wise sum of the two halves, which needs scores of equal shapes.
/// </summary>
public static partial class F
{
    /// <summary>The hinge loss of the discriminator (Lim and Ye 2017; SAGAN, BigGAN).</summary>
    /// <remarks>L_D = E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]: real scores are pushed above 1, fake ones below −1.</remarks>
    /// <param name="realScores">D's logits for real images.</param>
    /// <param name="fakeScores">D's logits for generated images (detach them when only D is trained).</param>
    /// <param name="reduction">Mean (per half, then added), Sum or None.</param>
    public static Tensor HingeLossD(Tensor realScores, Tensor fakeScores, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(realScores);
        ArgumentNullException.ThrowIfNull(fakeScores);
        Argument.Defined(reduction);
        return GanPair("hinge_loss_d", realScores, fakeScores, reduction, r => (1 - r).Relu(), f => (1 + f).Relu());
    }

    /// <summary>The hinge loss of the generator: the negated score of its images.</summary>
    /// <remarks>L_G = −E[D(G(z))] (the same as <see cref="WassersteinLossG"/>).</remarks>
    /// <param name="fakeScores">D's logits for generated images.</param>
    /// <param name="reduction">Mean, Sum or None.</param>
    public static Tensor HingeLossG(Tensor fakeScores, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(fakeScores);
        Argument.Defined(reduction);
        return GanSingle("hinge_loss_g", fakeScores, reduction, f => -f);
    }

    /// <summary>The logistic loss of the discriminator in softplus form (Goodfellow et al. 2014; StyleGAN's <c>logistic</c>).</summary>
    /// <remarks>
    /// L_D = E[softplus(−D(x))] + E[softplus(D(G(z)))] = −E[ln σ(D(x))] − E[ln(1 − σ(D(G(z))))]:
    /// binary cross-entropy with logits, against 1 for real and 0 for fake, written so no logit overflows.
    /// </remarks>
    /// <param name="realScores">D's logits for real images.</param>
    /// <param name="fakeScores">D's logits for generated images.</param>
    /// <param name="reduction">Mean (per half, then added), Sum or None.</param>
    public static Tensor NonSaturatingLossD(Tensor realScores, Tensor fakeScores, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(realScores);
        ArgumentNullException.ThrowIfNull(fakeScores);
        Argument.Defined(reduction);
        return GanPair("non_saturating_loss_d", realScores, fakeScores, reduction, r => Softplus(-r), f => Softplus(f));
    }

    /// <summary>The non-saturating loss of the generator in softplus form (Goodfellow et al. 2014).</summary>
    /// <remarks>
    /// L_G = E[softplus(−D(G(z)))] = −E[ln σ(D(G(z)))]: G maximises the log-probability that D calls
    /// its images real, whose gradient does not vanish when D rejects them confidently.
    /// </remarks>
    /// <param name="fakeScores">D's logits for generated images.</param>
    /// <param name="reduction">Mean, Sum or None.</param>
    public static Tensor NonSaturatingLossG(Tensor fakeScores, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(fakeScores);
        Argument.Defined(reduction);
        return GanSingle("non_saturating_loss_g", fakeScores, reduction, f => Softplus(-f));
    }

    /// <summary>The Wasserstein loss of the critic (Arjovsky et al. 2017); pair it with a Lipschitz constraint such as <see cref="GradientPenalty.Wgan(Func{Tensor, Tensor}, Tensor, Tensor, Generator?, double, Reduction)"/>.</summary>
    /// <remarks>L_D = E[D(G(z))] − E[D(x)], the negated estimate of the Wasserstein-1 distance.</remarks>
    /// <param name="realScores">The critic's scores for real images.</param>
    /// <param name="fakeScores">The critic's scores for generated images.</param>
    /// <param name="reduction">Mean (per half, then added), Sum or None.</param>
    public static Tensor WassersteinLossD(Tensor realScores, Tensor fakeScores, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(realScores);
        ArgumentNullException.ThrowIfNull(fakeScores);
        Argument.Defined(reduction);
        return GanPair("wasserstein_loss_d", realScores, fakeScores, reduction, r => -r, f => f);
    }

    /// <summary>The Wasserstein loss of the generator: the negated score of its images.</summary>
    /// <remarks>L_G = −E[D(G(z))].</remarks>
    /// <param name="fakeScores">The critic's scores for generated images.</param>
    /// <param name="reduction">Mean, Sum or None.</param>
    public static Tensor WassersteinLossG(Tensor fakeScores, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(fakeScores);
        Argument.Defined(reduction);
        return GanSingle("wasserstein_loss_g", fakeScores, reduction, f => -f);
    }

    private static Tensor GanPair(string name, Tensor real, Tensor fake, Reduction reduction, Func<Tensor, Tensor> onReal, Func<Tensor, Tensor> onFake)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        Shape.CheckGanScores(name, real.ShapeRef, real.DType, fake.ShapeRef, fake.DType, reduction);
        return reduction switch
        {
            Reduction.None => onReal(real) + onFake(fake),
            Reduction.Mean => onReal(real).Mean() + onFake(fake).Mean(),
            _ => onReal(real).Sum() + onFake(fake).Sum(),
        };
    }

    private static Tensor GanSingle(string name, Tensor fake, Reduction reduction, Func<Tensor, Tensor> onFake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        Shape.CheckReduction(name, reduction);
        return Reduce(onFake(fake), reduction);
    }
}
