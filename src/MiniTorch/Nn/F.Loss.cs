using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    private static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.None => loss,
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        _ => throw new ArgumentException($"{reduction} is not a valid value for reduction"),
    };

    /// <summary>Binary cross-entropy of probabilities, like <c>torch.nn.functional.binary_cross_entropy</c>.</summary>
    /// <remarks>ℓ = −w·(y·max(ln x, −100) + (1 − y)·max(ln(1 − x), −100)), then reduced.</remarks>
    /// <param name="input">Probabilities in [0, 1].</param>
    /// <param name="target">Targets of the input's shape.</param>
    /// <param name="weight">Per-element rescaling, broadcast to the input; or null.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        Shape.CheckBceTarget(input.ShapeRef, target.ShapeRef);
        if (weight is not null) Shape.Broadcast(weight.ShapeRef, input.ShapeRef);
        return Reduce(BinaryCrossEntropyBackward0.Apply(input, target, weight), reduction);
    }

    /// <summary>
    /// Sigmoid followed by binary cross-entropy in one numerically stable expression, like
    /// <c>torch.nn.functional.binary_cross_entropy_with_logits</c>.
    /// </summary>
    /// <remarks>
    /// With m = max(−x, 0) and l = (posWeight − 1)·y + 1 (or 1 without posWeight):
    /// ℓ = w·((1 − y)·x + l·(m + ln(e^(−m) + e^(−x−m)))) — PyTorch's formula, finite for any logit,
    /// effectively computing −w·(posWeight·y·ln σ(x) + (1 − y)·ln(1 − σ(x))).
    /// It runs as one fused primitive (<c>BinaryCrossEntropyWithLogitsBackward0</c>, PyTorch's order of
    /// operations and PyTorch's gradient formulas); weights that require a gradient, which PyTorch
    /// refuses, take the differentiable composite instead.
    /// </remarks>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets of the input's shape.</param>
    /// <param name="weight">Per-element rescaling, broadcast to the input; or null.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="posWeight">Weight of positive examples, broadcast along the last dimension; or null.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        Shape.CheckBceWithLogitsTarget(input.ShapeRef, target.ShapeRef);
        if (weight is not null) Shape.Broadcast(weight.ShapeRef, input.ShapeRef);
        if (posWeight is not null) Shape.Broadcast(posWeight.ShapeRef, input.ShapeRef);
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"{reduction} is not a valid value for reduction");
        if (Functions.BinaryCrossEntropyWithLogitsBackward0.Takes(input, target, weight, posWeight))
            return Functions.BinaryCrossEntropyWithLogitsBackward0.Apply(input, target, weight, posWeight, reduction);
        return BinaryCrossEntropyWithLogitsComposite(input, target, weight, reduction, posWeight);
    }

    /// <summary>
    /// <see cref="BinaryCrossEntropyWithLogits"/> as differentiable tensor operations: the reference the
    /// fused primitive is tested against, and the path for weights that require a gradient. Callers check the arguments.
    /// </summary>
    internal static Tensor BinaryCrossEntropyWithLogitsComposite(Tensor input, Tensor target, Tensor? weight, Reduction reduction, Tensor? posWeight)
    {
        var maxVal = (-input).Clamp(min: 0);
        var softplus = maxVal + ((-maxVal).Exp() + (-input - maxVal).Exp()).Log();
        var loss = (1 - target) * input + (posWeight is null ? softplus : ((posWeight - 1) * target + 1) * softplus);
        if (weight is not null) loss = loss * weight;
        return Reduce(loss, reduction);
    }

    /// <summary>Squared error, like <c>torch.nn.functional.mse_loss</c> (operands broadcast, as in PyTorch).</summary>
    /// <remarks>ℓ = (x − y)², then reduced.</remarks>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        Argument.Defined(reduction);
        (input, target) = Broadcastable(input, target);
        var d = input - target;
        return Reduce(d * d, reduction);
    }

    /// <summary>Absolute error, like <c>torch.nn.functional.l1_loss</c> (operands broadcast, as in PyTorch; gradient 0 where x = y).</summary>
    /// <remarks>ℓ = |x − y|, then reduced.</remarks>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        Argument.Defined(reduction);
        (input, target) = Broadcastable(input, target);
        return Reduce((input - target).Abs(), reduction);
    }

    // PyTorch's regression losses broadcast the operands (torch.broadcast_tensors) before computing, so
    // a 0-d target promotes like any other tensor: both meet in the wider type.
    private static (Tensor, Tensor) Broadcastable(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        var dt = DTypes.Promote(input.DType, target.DType);
        return (input.To(dt), target.To(dt));
    }
}
