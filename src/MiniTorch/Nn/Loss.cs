namespace MiniTorch.Nn;

/// <summary>
/// The base of loss modules, like PyTorch's <c>_Loss</c>: a module whose forward takes an input
/// and a target. Constant weights are registered as buffers, as in PyTorch.
/// </summary>
public abstract class Loss(Reduction reduction) : Module
{
    /// <summary>How element-wise losses are reduced.</summary>
    public Reduction Reduction { get; } = Argument.Checked(reduction);

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Calls <see cref="Forward(Tensor, Tensor)"/>, like calling a PyTorch loss module.</summary>
    public Tensor Call(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return Forward(input, target);
    }

    /// <summary>Not supported: a loss needs a target.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        throw new NotSupportedException($"{GetType().Name} takes an input and a target: call Forward(input, target)");
    }
}

/// <summary>Binary cross-entropy of probabilities, like <c>torch.nn.BCELoss</c>.</summary>
public sealed class BCELoss : Loss
{
    /// <summary>Creates the loss with an optional per-element weight (a buffer named <c>weight</c>).</summary>
    public BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction) => RegisterBuffer("weight", weight);

    /// <summary>The rescaling weight, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.BinaryCrossEntropy(input, target, Weight, Reduction);
    }
}

/// <summary>Sigmoid plus binary cross-entropy, numerically stable, like <c>torch.nn.BCEWithLogitsLoss</c>.</summary>
public sealed class BCEWithLogitsLoss : Loss
{
    /// <summary>Creates the loss; <paramref name="weight"/> and <paramref name="posWeight"/> become buffers <c>weight</c> and <c>pos_weight</c>.</summary>
    public BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : base(reduction)
    {
        RegisterBuffer("weight", weight);
        RegisterBuffer("pos_weight", posWeight);
    }

    /// <summary>The rescaling weight, or null.</summary>
    public Tensor? Weight => GetBuffer("weight");

    /// <summary>The weight of positive examples, or null.</summary>
    public Tensor? PosWeight => GetBuffer("pos_weight");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);
    }
}

/// <summary>Mean squared error, like <c>torch.nn.MSELoss</c>.</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.MseLoss(input, target, Reduction);
    }
}

/// <summary>Mean absolute error, like <c>torch.nn.L1Loss</c>.</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        return F.L1Loss(input, target, Reduction);
    }
}
