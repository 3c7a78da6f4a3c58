namespace MiniTorch.Nn;

/// <summary>
/// StyleGAN2's lazy regularisation (Karras et al. 2020, appendix B): a penalty is computed only
/// every <see cref="Interval"/> steps and multiplied by the interval, so its average strength is
/// unchanged while most steps skip its costly double backward.
/// </summary>
/// <remarks>
/// On a due step (step mod k = 0) the loss gains k·penalty; on the others nothing. With Adam, the
/// paper also rescales the learning rate and betas of the regularised network by c = k/(k + 1),
/// because each optimiser step then carries on average c of a minibatch's gradient:
/// lr·c and (β₁ᶜ, β₂ᶜ) — see <see cref="AdjustAdam"/>.
/// </remarks>
public sealed class LazyRegularization
{
    /// <summary>Regularise every <paramref name="interval"/> steps (1 means every step, unscaled).</summary>
    public LazyRegularization(int interval)
    {
        if (interval < 1) throw new ArgumentException($"lazy regularization: interval must be a positive number of steps, got {interval}");
        Interval = interval;
    }

    /// <summary>The number of steps k between regularised steps.</summary>
    public int Interval { get; }

    /// <summary>Whether the penalty is applied at <paramref name="step"/> (counting from 0: steps 0, k, 2k, …).</summary>
    public bool IsDue(long step)
    {
        if (step < 0) throw new ArgumentException($"lazy regularization: step must be non-negative, got {step}");
        return step % Interval == 0;
    }

    /// <summary>
    /// k·<paramref name="penalty"/>() on a due step, else null (and <paramref name="penalty"/> is not called).
    /// </summary>
    /// <param name="step">The training step, counting from 0.</param>
    /// <param name="penalty">Computes the penalty, for example <c>() =&gt; GradientPenalty.R1(d.Forward, real, gamma)</c>.</param>
    public Tensor? Penalty(long step, Func<Tensor> penalty)
    {
        ArgumentNullException.ThrowIfNull(penalty);
        return IsDue(step) ? penalty() * Interval : null;
    }

    /// <summary>The ratio c = k/(k + 1) of StyleGAN2's Adam correction.</summary>
    public double Ratio => Interval / (Interval + 1.0);

    /// <summary>StyleGAN2's Adam settings for a lazily regularised network: (lr·c, β₁ᶜ, β₂ᶜ) with c = k/(k + 1).</summary>
    /// <param name="lr">The learning rate chosen for the unregularised schedule.</param>
    /// <param name="betas">Adam's (β₁, β₂).</param>
    public (double Lr, (double Beta1, double Beta2) Betas) AdjustAdam(double lr, (double Beta1, double Beta2) betas)
    {
        double c = Ratio;
        return (lr * c, (Math.Pow(betas.Beta1, c), Math.Pow(betas.Beta2, c)));
    }
}
