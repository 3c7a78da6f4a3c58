namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Cross-entropy between logits and targets, like <c>torch.nn.functional.cross_entropy</c>:
    /// log-softmax over the class dimension (1, or 0 for an unbatched [C] input), then the negative
    /// log-likelihood of class-index targets or the cross-entropy with class-probability targets.
    /// </summary>
    /// <remarks>
    /// Class indices (int64 target [N] or [N, d1, …]): ℓₙ = −w[yₙ]·log_softmax(x)ₙ,yₙ, 0 where
    /// yₙ = ignoreIndex; mean divides by Σ w[yₙ] over the targets that are not ignored (NaN if all are).
    /// With label smoothing ε: (1 − ε)·nll + ε/C·s, where s is −Σ_c w_c·log_softmax(x)_c per element,
    /// reduced the same way. Probabilities (a float target of the input's shape, ignoreIndex not
    /// allowed): ℓₙ = −Σ_c w_c·pₙ,c·log_softmax(x)ₙ,c with p smoothed to (1 − ε)p + ε/C, and mean
    /// divides by the number of elements over C. Composed of <see cref="LogSoftmax"/>, gather and
    /// sums, so it inherits their gradients (and gradients of gradients).
    /// </remarks>
    /// <param name="input">Logits [C], [N, C] or [N, C, d1, …].</param>
    /// <param name="target">Class indices (int64) or class probabilities (floating point, the input's shape).</param>
    /// <param name="weight">A rescaling weight per class, [C]; or null.</param>
    /// <param name="ignoreIndex">A class index whose targets contribute nothing (class-index targets only).</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the mass spread uniformly over the classes.</param>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100,
                                      Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing}");
        CheckReduction(reduction);
        if (input.Dim < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {input.Dim})");
        int classDim = input.Dim == 1 ? 0 : 1;
        int classes = input.ShapeRef[classDim];
        if (weight is not null) Shape.CheckClassWeight(weight.ShapeRef, classes);
        var logp = LogSoftmax(input, classDim);
        if (Shape.Equal(input.ShapeRef, target.ShapeRef))
        {
            if (!target.DType.IsFloatingPoint())
                throw new ArgumentException($"Expected floating point type for target with class probabilities, got {target.DType.ScalarTypeName()}");
            if (ignoreIndex >= 0) throw new ArgumentException("ignore_index is not supported for floating point target");
            return ProbabilityCrossEntropy(logp, target, weight, reduction, labelSmoothing, classDim, classes);
        }
        var nll = NllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return nll;

        var keep = target.Ne(ignoreIndex);
        // A selection, not a product with the mask: ignored targets get a zero gradient even when the mean divides by zero.
        var smooth = Torch.Where(keep, -(weight is null ? logp : logp * ClassView(weight, input.Dim, classDim)).Sum(classDim), 0.0);
        Tensor smoothed = reduction switch
        {
            Reduction.None => smooth,
            Reduction.Sum => smooth.Sum(),
            // Normalised like nll_loss's mean: by the weights of the targets that count.
            _ => smooth.Sum() / TargetWeights(weight, target, ignoreIndex, logp.DType).Sum(),
        };
        return (1 - labelSmoothing) * nll + smoothed * (labelSmoothing / classes);
    }

    /// <summary>Cross-entropy of integer class labels given as an array, a convenience for <see cref="CrossEntropy(Tensor, Tensor, Tensor?, int, Reduction, double)"/>.</summary>
    public static Tensor CrossEntropy(Tensor input, int[] target, Tensor? weight = null, int ignoreIndex = -100,
                                      Reduction reduction = Reduction.Mean, double labelSmoothing = 0.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        return CrossEntropy(input, Torch.FromArray(target, target.Length), weight, ignoreIndex, reduction, labelSmoothing);
    }

    private static Tensor ProbabilityCrossEntropy(Tensor logp, Tensor target, Tensor? weight, Reduction reduction, double smoothing, int classDim, int classes)
    {
        var p = smoothing > 0 ? target * (1 - smoothing) + smoothing / classes : target;
        var terms = logp * p;
        if (weight is not null) terms = terms * ClassView(weight, logp.Dim, classDim);
        return reduction switch
        {
            Reduction.None => -terms.Sum(classDim),
            Reduction.Sum => -terms.Sum(),
            _ => logp.Numel == 0 ? -terms.Sum() * double.NaN : -terms.Sum() / (logp.Numel / classes),
        };
    }

    /// <summary>
    /// The negative log-likelihood of class-index targets given log-probabilities, like
    /// <c>torch.nn.functional.nll_loss</c>: ℓₙ = −w[yₙ]·x[n, yₙ], 0 where yₙ = ignoreIndex.
    /// </summary>
    /// <remarks>
    /// Mean divides by Σ w[yₙ] over the targets that are not ignored, so it is NaN when every target
    /// is ignored (or the batch is empty), as in PyTorch. Composed of gather and sums: the gradient
    /// is −w[yₙ]·g scattered to the target classes (and gradients of gradients work).
    /// </remarks>
    /// <param name="input">Log-probabilities [C], [N, C] or [N, C, d1, …].</param>
    /// <param name="target">Class indices (int64) [], [N] or [N, d1, …], in [0, C) unless equal to <paramref name="ignoreIndex"/>.</param>
    /// <param name="weight">A rescaling weight per class, [C]; or null.</param>
    /// <param name="ignoreIndex">A class index whose targets contribute nothing.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        CheckReduction(reduction);
        if (target.DType != DType.Int64)
            throw new ArgumentException($"expected scalar type Long but found {target.DType.ScalarTypeName()}");
        Shape.CheckNllLoss(input.ShapeRef, target.ShapeRef);
        input.RequireFloat("nll_loss_forward_reduce_cuda_kernel_2d_index");
        if (input.Dim == 1)
        {
            var batched = NllLoss(input.Unsqueeze(0), target.Unsqueeze(0), weight, ignoreIndex, reduction);
            return reduction == Reduction.None ? batched.Squeeze(0) : batched;
        }
        int classes = input.ShapeRef[1];
        if (weight is not null) Shape.CheckClassWeight(weight.ShapeRef, classes);
        foreach (var t in target.ToInt64Array())
            if (t != ignoreIndex && (t < 0 || t >= classes)) throw new IndexOutOfRangeException($"Target {t} is out of bounds.");
        var keep = target.Ne(ignoreIndex);
        var safe = Torch.Where(keep, target, 0L);
        var picked = -input.Gather(1, safe.Unsqueeze(1)).Squeeze(1);
        var w = TargetWeights(weight, target, ignoreIndex, input.DType);
        // A selection, not a product with the mask: with every target ignored the mean is 0/0 = NaN,
        // yet the gradient stays 0, as in PyTorch.
        var loss = Torch.Where(keep, weight is null ? picked : picked * w, 0.0);
        return reduction switch
        {
            Reduction.None => loss,
            Reduction.Sum => loss.Sum(),
            _ => loss.Sum() / w.Sum(),
        };
    }

    // w[yₙ] for every target (1 without a weight), 0 where ignored: a constant, as PyTorch does not differentiate the weight here.
    private static Tensor TargetWeights(Tensor? weight, Tensor target, int ignoreIndex, DType dtype)
    {
        var keep = target.Ne(ignoreIndex);
        if (weight is null) return keep.To(dtype);
        var safe = Torch.Where(keep, target, 0L);
        var w = weight.Detach().To(dtype).IndexSelect(0, safe.Reshape(-1)).Reshape(target.ShapeRef);
        return Torch.Where(keep, w, 0.0);
    }

    // A [C] class weight shaped to broadcast along the class dimension of a rank-`rank` tensor.
    private static Tensor ClassView(Tensor weight, int rank, int classDim)
    {
        var shape = Enumerable.Repeat(1, rank).ToArray();
        shape[classDim] = weight.Numel;
        return weight.Reshape(shape);
    }

    /// <summary>
    /// The Kullback–Leibler divergence between the target distribution and the input's, like
    /// <c>torch.nn.functional.kl_div</c>; the input holds log-probabilities.
    /// </summary>
    /// <remarks>
    /// ℓ = xlogy(y, y) − y·x (0 where y = 0), or with <paramref name="logTarget"/> ℓ = e^y·(y − x).
    /// <see cref="Reduction.BatchMean"/> divides the sum by the batch size, which is the mathematically
    /// correct KL divergence; <see cref="Reduction.Mean"/> divides by the number of elements, as PyTorch does.
    /// Gradients flow to the input and the target.
    /// </remarks>
    /// <param name="input">Log-probabilities.</param>
    /// <param name="target">Probabilities (or log-probabilities with <paramref name="logTarget"/>), broadcast with the input.</param>
    /// <param name="reduction">None, Mean, Sum or BatchMean.</param>
    /// <param name="logTarget">Whether the target holds log-probabilities.</param>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        var loss = logTarget ? target.Exp() * (target - input) : Torch.Xlogy(target, target) - target * input;
        return reduction switch
        {
            Reduction.BatchMean => input.Dim == 0 ? loss.Sum() : loss.Sum() / input.ShapeRef[0],
            _ => Reduce(loss, reduction),
        };
    }

    /// <summary>
    /// The smooth L1 loss, like <c>torch.nn.functional.smooth_l1_loss</c> (operands broadcast):
    /// ½d²/β where |d| &lt; β, else |d| − ½β, with d = x − y; β = 0 is the L1 loss.
    /// </summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, broadcast with the input.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="beta">The threshold between the quadratic and the linear part (≥ 0).</param>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
        CheckReduction(reduction);
        return Reduce(Functions.SmoothL1LossBackward0.Apply(input, target, beta, huber: false), reduction);
    }

    /// <summary>
    /// The Huber loss, like <c>torch.nn.functional.huber_loss</c> (operands broadcast): ½d² where
    /// |d| &lt; δ, else δ(|d| − ½δ), with d = x − y.
    /// </summary>
    /// <param name="input">Predictions.</param>
    /// <param name="target">Targets, broadcast with the input.</param>
    /// <param name="reduction">None, Mean or Sum.</param>
    /// <param name="delta">The threshold between the quadratic and the linear part (&gt; 0).</param>
    public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Argument.Defined(reduction);
        if (!(delta > 0)) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
        CheckReduction(reduction);
        var loss = Functions.SmoothL1LossBackward0.Apply(input, target, delta, huber: true);
        // PyTorch's huber_loss writes into a tensor like the input: a float32 input with a float64
        // target gives a float32 loss (smooth_l1_loss promotes).
        if (input.DType.IsFloatingPoint() && loss.DType != input.DType) loss = loss.To(input.DType);
        return Reduce(loss, reduction);
    }

    private static void CheckReduction(Reduction reduction)
    {
        if (reduction is not (Reduction.None or Reduction.Mean or Reduction.Sum))
            throw new ArgumentException($"{reduction} is not a valid value for reduction");
    }
}
