namespace MiniTorch.Nn;

/// <summary>Cross-entropy of logits against class indices or class probabilities, like <c>torch.nn.CrossEntropyLoss</c>.</summary>
public sealed class CrossEntropyLoss : Loss
{
    /// <summary>Creates the loss; <paramref name="weight"/> (one per class) becomes the buffer <c>weight</c>.</summary>
    /// <param name="weight">A rescaling weight per class, or null.</param>
    /// <param name="ignoreIndex">A class index whose targets contribute nothing.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="labelSmoothing">ε in [0, 1].</param>
    public CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0) : base(reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing}");
        RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The rescaling weight per class, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");
    /// <summary>The class index whose targets are ignored.</summary>
    public int IgnoreIndex { get; }
    /// <summary>The label smoothing ε.</summary>
    public double LabelSmoothing { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);
    }

    /// <inheritdoc />
    public override string ToString() => "CrossEntropyLoss()";
}

/// <summary>The negative log-likelihood of class indices given log-probabilities, like <c>torch.nn.NLLLoss</c>.</summary>
public sealed class NLLLoss : Loss
{
    /// <summary>Creates the loss; <paramref name="weight"/> (one per class) becomes the buffer <c>weight</c>.</summary>
    /// <param name="weight">A rescaling weight per class, or null.</param>
    /// <param name="ignoreIndex">A class index whose targets contribute nothing.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    public NLLLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        RegisterBuffer("weight", weight);
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>The rescaling weight per class, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");
    /// <summary>The class index whose targets are ignored.</summary>
    public int IgnoreIndex { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.NllLoss(input, target, Weight, IgnoreIndex, Reduction);
    }

    /// <inheritdoc />
    public override string ToString() => "NLLLoss()";
}

/// <summary>The Kullback–Leibler divergence, like <c>torch.nn.KLDivLoss</c> (input: log-probabilities).</summary>
/// <param name="reduction">None, Mean, Sum or BatchMean (the true KL divergence per sample).</param>
/// <param name="logTarget">Whether the target holds log-probabilities.</param>
public sealed class KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : Loss(reduction)
{
    /// <summary>Whether the target holds log-probabilities.</summary>
    public bool LogTarget { get; } = logTarget;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.KlDiv(input, target, Reduction, LogTarget);
    }

    /// <inheritdoc />
    public override string ToString() => "KLDivLoss()";
}

/// <summary>The smooth L1 loss, like <c>torch.nn.SmoothL1Loss</c>.</summary>
public sealed class SmoothL1Loss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="beta">The threshold between the quadratic and the linear part (≥ 0).</param>
    public SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : base(reduction)
    {
        if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
        Beta = beta;
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public double Beta { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.SmoothL1Loss(input, target, Reduction, Beta);
    }

    /// <inheritdoc />
    public override string ToString() => "SmoothL1Loss()";
}

/// <summary>The Huber loss, like <c>torch.nn.HuberLoss</c>.</summary>
public sealed class HuberLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="delta">The threshold between the quadratic and the linear part (&gt; 0).</param>
    public HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : base(reduction)
    {
        if (!(delta > 0)) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
        Delta = delta;
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public double Delta { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.HuberLoss(input, target, Reduction, Delta);
    }

    /// <inheritdoc />
    public override string ToString() => "HuberLoss()";
}
