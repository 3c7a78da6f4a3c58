namespace MiniTorch.Nn;

/// <summary>
/// Gradient penalties that regularise a GAN discriminator through the gradient of its scores with
/// respect to its input images: R1 on real data, R2 on generated data (Mescheder et al. 2018), and
/// WGAN-GP's penalty on interpolates (Gulrajani et al. 2017).
/// </summary>
/// <remarks>
/// Each penalty computes ∇ₓ Σᵢ D(xᵢ) with <see cref="Torch.Grad(Tensor[], Tensor[], Tensor?[], bool?, bool, bool)"/>
/// and <c>createGraph: true</c>, so the penalty is itself differentiable with respect to the
/// discriminator's weights: its backward runs through the backward of every layer (for Conv2d,
/// a ConvTranspose2d and back). The gradient of the summed scores gives every sample its own
/// input gradient only if the samples do not interact in D — leave BatchNorm out of a penalised
/// discriminator. The overloads that take D itself run it with grad mode on (a penalty is a
/// gradient, so it needs the graph even inside <see cref="Torch.NoGrad"/>). The penalties are added to D's loss; for StyleGAN2's lazy regularisation see
/// <see cref="LazyRegularization"/>.
/// </remarks>
public static class GradientPenalty
{
    /// <summary>
    /// ‖∇ₓ Σ scores‖² for every sample of <paramref name="inputs"/> (summed over all but the first
    /// dimension), then reduced over the batch; differentiable (built with <c>createGraph</c>).
    /// </summary>
    /// <param name="scores">The discriminator's output, computed from <paramref name="inputs"/>.</param>
    /// <param name="inputs">A batch [N, …] that requires grad.</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for the [N] per-sample values.</param>
    public static Tensor SquaredGradientNorm(Tensor scores, Tensor inputs, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(inputs);
        Argument.Defined(reduction);
        return Reduce(PerSampleSquaredNorm(InputGradient("squared_gradient_norm", scores, inputs)), reduction, "squared_gradient_norm");
    }

    /// <summary>The R1 penalty on real images: γ/2 · E‖∇ₓ D(x)‖², with scores already computed from <paramref name="realInputs"/>.</summary>
    /// <remarks>
    /// R1 = γ/2 · E_x~data[‖∇ₓ D(x)‖²] (Mescheder et al. 2018, eq. 9). Computing the scores once
    /// and passing them here lets the same forward serve the loss and the penalty; call
    /// <c>realInputs.RequiresGrad_()</c> before the forward.
    /// </remarks>
    /// <param name="realScores">D's logits for <paramref name="realInputs"/>.</param>
    /// <param name="realInputs">The real batch [N, …], requiring grad.</param>
    /// <param name="gamma">The weight γ (γ ≥ 0).</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for [N] values.</param>
    public static Tensor R1(Tensor realScores, Tensor realInputs, double gamma, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(realScores);
        ArgumentNullException.ThrowIfNull(realInputs);
        Argument.Defined(reduction);
        return Weighted("r1", realScores, realInputs, gamma, reduction);
    }

    /// <summary>The R1 penalty on real images, running <paramref name="discriminator"/> on a grad-requiring copy of <paramref name="real"/>.</summary>
    /// <remarks>R1 = γ/2 · E_x~data[‖∇ₓ D(x)‖²].</remarks>
    /// <param name="discriminator">D, for example <c>d.Forward</c>.</param>
    /// <param name="real">The real batch [N, …] (not modified; its graph, if any, is not followed).</param>
    /// <param name="gamma">The weight γ (γ ≥ 0).</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for [N] values.</param>
    public static Tensor R1(Func<Tensor, Tensor> discriminator, Tensor real, double gamma, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(discriminator);
        ArgumentNullException.ThrowIfNull(real);
        Argument.Defined(reduction);
        var x = Leaf("r1", discriminator, real);
        using var grad = Torch.EnableGrad();
        return Weighted("r1", discriminator(x), x, gamma, reduction);
    }

    /// <summary>The R2 penalty on generated images: γ/2 · E‖∇ₓ D(x)‖² at x = G(z), with scores already computed from <paramref name="fakeInputs"/>.</summary>
    /// <remarks>R2 = γ/2 · E_x~G[‖∇ₓ D(x)‖²] (Mescheder et al. 2018, eq. 10). Detach the fakes from G first.</remarks>
    /// <param name="fakeScores">D's logits for <paramref name="fakeInputs"/>.</param>
    /// <param name="fakeInputs">The generated batch [N, …], requiring grad.</param>
    /// <param name="gamma">The weight γ (γ ≥ 0).</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for [N] values.</param>
    public static Tensor R2(Tensor fakeScores, Tensor fakeInputs, double gamma, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(fakeScores);
        ArgumentNullException.ThrowIfNull(fakeInputs);
        Argument.Defined(reduction);
        return Weighted("r2", fakeScores, fakeInputs, gamma, reduction);
    }

    /// <summary>The R2 penalty on generated images, running <paramref name="discriminator"/> on a grad-requiring, detached copy of <paramref name="fake"/>.</summary>
    /// <remarks>R2 = γ/2 · E_x~G[‖∇ₓ D(x)‖²].</remarks>
    /// <param name="discriminator">D, for example <c>d.Forward</c>.</param>
    /// <param name="fake">The generated batch [N, …] (its graph back to G is not followed).</param>
    /// <param name="gamma">The weight γ (γ ≥ 0).</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for [N] values.</param>
    public static Tensor R2(Func<Tensor, Tensor> discriminator, Tensor fake, double gamma, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(discriminator);
        ArgumentNullException.ThrowIfNull(fake);
        Argument.Defined(reduction);
        var x = Leaf("r2", discriminator, fake);
        using var grad = Torch.EnableGrad();
        return Weighted("r2", discriminator(x), x, gamma, reduction);
    }

    /// <summary>
    /// WGAN-GP's penalty λ · E[(‖∇ D(x̂)‖₂ − 1)²] at x̂ = α·real + (1 − α)·fake, with one α ~ U[0, 1)
    /// per sample drawn from <paramref name="generator"/> (shape [N, 1, …, 1], as <see cref="Torch.Rand"/> draws it).
    /// </summary>
    /// <remarks>See <see cref="Wgan(Func{Tensor, Tensor}, Tensor, Tensor, Tensor, double, Reduction)"/>.</remarks>
    /// <param name="critic">The critic D, for example <c>d.Forward</c>.</param>
    /// <param name="real">A real batch [N, …].</param>
    /// <param name="fake">A generated batch of the same shape and dtype (its graph back to G is not followed).</param>
    /// <param name="generator">The source of α (the default generator if null).</param>
    /// <param name="lambda">The weight λ (10 in the paper; λ ≥ 0).</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for [N] values.</param>
    public static Tensor Wgan(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Generator? generator = null, double lambda = 10, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(fake);
        Argument.Defined(reduction);
        ArgumentNullException.ThrowIfNull(real);
        CheckWgan(critic, real, fake, lambda, reduction);
        var shape = new int[real.Dim];
        Array.Fill(shape, 1);
        shape[0] = real.Size(0);
        return Wgan(critic, real, fake, Torch.Rand(shape, generator, real.DType), lambda, reduction);
    }

    /// <summary>WGAN-GP's penalty with given interpolation weights α (one per sample).</summary>
    /// <remarks>
    /// GP = λ · E[(‖∇ₓ D(x̂)‖₂ − 1)²] with x̂ = α·real + (1 − α)·fake (Gulrajani et al. 2017, eq. 3);
    /// x̂ is a constant leaf, so the penalty reaches only the critic's weights. The norm is
    /// √max(s, m) of the sum of squares s, with m the smallest normal number of the dtype: equal to
    /// √s bit for bit except at s = 0, where its gradient is 0 (PyTorch's subgradient of the norm) instead of NaN.
    /// </remarks>
    /// <param name="critic">The critic D, for example <c>d.Forward</c>.</param>
    /// <param name="real">A real batch [N, …].</param>
    /// <param name="fake">A generated batch of the same shape and dtype.</param>
    /// <param name="alpha">N weights in [0, 1], of shape [N] or [N, 1, …, 1].</param>
    /// <param name="lambda">The weight λ (λ ≥ 0).</param>
    /// <param name="reduction">Mean over the batch (default), Sum, or None for [N] values.</param>
    public static Tensor Wgan(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor alpha, double lambda = 10, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(fake);
        Argument.Defined(reduction);
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(alpha);
        CheckWgan(critic, real, fake, lambda, reduction);
        Shape.CheckInterpolationWeights(alpha.ShapeRef, alpha.DType, real.ShapeRef, real.DType);
        var shape = new int[real.Dim];
        Array.Fill(shape, 1);
        shape[0] = real.Size(0);
        Tensor mixed;
        using (Torch.NoGrad())
        {
            var a = alpha.Reshape(shape);
            mixed = a * real + (1 - a) * fake;
        }
        mixed = mixed.Detach().RequiresGrad_();
        using var grad = Torch.EnableGrad();
        var squared = PerSampleSquaredNorm(InputGradient("wgan_gp", critic(mixed), mixed));
        double tiny = real.DType == DType.Float32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308; // the smallest normal float and double
        var norm = squared.Clamp(min: tiny).Sqrt();
        return Reduce((norm - 1).Pow(2), reduction, "wgan_gp") * lambda;
    }

    private static void CheckWgan(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, double lambda, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(critic);
        ArgumentNullException.ThrowIfNull(fake);
        Shape.CheckReduction("wgan_gp", reduction);
        Shape.CheckPenaltyWeight("wgan_gp", "lambda", lambda);
        Shape.CheckPenaltyBatch("wgan_gp", real.ShapeRef);
        if (!Shape.Equal(real.ShapeRef, fake.ShapeRef) || real.DType != fake.DType)
            throw new ArgumentException($"wgan_gp: expected real and fake batches of the same shape and dtype, got {Shape.Format(real.ShapeRef)} {real.DType} and {Shape.Format(fake.ShapeRef)} {fake.DType}");
    }

    private static Tensor Weighted(string op, Tensor scores, Tensor inputs, double gamma, Reduction reduction)
    {
        Shape.CheckPenaltyWeight(op, "gamma", gamma);
        return Reduce(PerSampleSquaredNorm(InputGradient(op, scores, inputs)), reduction, op) * (gamma / 2);
    }

    private static Tensor Leaf(string op, Func<Tensor, Tensor> discriminator, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(discriminator);
        ArgumentNullException.ThrowIfNull(batch);
        Shape.CheckPenaltyBatch(op, batch.ShapeRef);
        return batch.Detach().RequiresGrad_();
    }

    /// <summary>∇ₓ Σ scores, recorded so that it can be differentiated again.</summary>
    private static Tensor InputGradient(string op, Tensor scores, Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(inputs);
        Shape.CheckPenaltyBatch(op, inputs.ShapeRef);
        if (!inputs.RequiresGrad)
            throw new ArgumentException($"{op}: the inputs must require grad; call inputs.RequiresGrad_() before computing the scores from them");
        var grad = scores.RequiresGrad
            ? Torch.Grad([scores.Sum()], [inputs], createGraph: true, allowUnused: true)[0]
            : null;
        return grad ?? throw new ArgumentException($"{op}: the scores were not computed from the inputs (no gradient path from the scores to the inputs)");
    }

    private static Tensor PerSampleSquaredNorm(Tensor grad) => grad.Pow(2).Reshape(grad.Size(0), -1).Sum(1);

    private static Tensor Reduce(Tensor perSample, Reduction reduction, string op)
    {
        Shape.CheckReduction(op, reduction);
        return reduction switch { Reduction.None => perSample, Reduction.Mean => perSample.Mean(), _ => perSample.Sum() };
    }
}
