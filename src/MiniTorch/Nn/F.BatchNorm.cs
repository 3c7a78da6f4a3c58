namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Batch normalisation over every dimension except the channel dimension 1, like
    /// <c>torch.nn.functional.batch_norm</c>.
    /// </summary>
    /// <remarks>
    /// y = (x − μ)/√(σ² + eps)·γ + β. In training (or without running statistics) μ and σ² are the
    /// batch mean and the biased batch variance, and the running statistics, if given, are updated
    /// in place with <c>r ← (1 − momentum)·r + momentum·s</c>, using the <em>unbiased</em> variance.
    /// Otherwise μ and σ² are the running statistics. The gradient (and the gradient of the gradient) flows through the batch statistics.
    /// It runs as one primitive (per-channel statistics accumulated in double, then y = x·α + β)
    /// whose backward is two kernel passes, or differentiable tensor operations under create_graph.
    /// </remarks>
    /// <param name="input">Shape [N, C, *].</param>
    /// <param name="runningMean">Running mean, shape [C], updated in place in training; may be null.</param>
    /// <param name="runningVar">Running (unbiased) variance, shape [C], updated in place in training; may be null.</param>
    /// <param name="weight">γ, shape [C], or null.</param>
    /// <param name="bias">β, shape [C], or null.</param>
    /// <param name="training">Use batch statistics (and update the running ones).</param>
    /// <param name="momentum">The weight of the new batch in the running statistics.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                   bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchNormFused(input, runningMean, runningVar, weight, bias, training, momentum, eps, default);
    }

    /// <summary><see cref="BatchNorm(Tensor, Tensor?, Tensor?, Tensor?, Tensor?, bool, double, double)"/> followed by a fused activation (for <see cref="Sequential"/>).</summary>
    internal static Tensor BatchNormFused(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
                                          bool training, double momentum, double eps, Functions.BatchNormActivation activation)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 2) throw new ArgumentException($"batch_norm: expected an input of shape [N, C, *] with at least 2 dimensions, got {Shape.Format(input.ShapeRef)}");
        int c = input.ShapeRef[1];
        foreach (var (name, t) in new[] { ("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias) })
            if (t is not null) Shape.CheckBatchNormVector(name, t.ShapeRef, c);
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException("running_mean and running_var must be defined in evaluation mode");
        if (training) Shape.CheckBatchNormTraining(input.ShapeRef);

        return Functions.NativeBatchNormBackward0.Apply(input, runningMean, runningVar, weight, bias, training, momentum, eps, activation);
    }

    /// <summary>
    /// <see cref="BatchNorm"/> written as differentiable tensor operations: the readable
    /// reference that the primitive (<c>NativeBatchNormBackward0</c>) is tested against.
    /// Callers validate the arguments.
    /// </summary>
    internal static Tensor BatchNormComposite(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
                                              bool training, double momentum, double eps)
    {
        int c = input.ShapeRef[1];
        var bshape = new int[input.Dim];
        Array.Fill(bshape, 1);
        bshape[1] = c;
        var dims = Enumerable.Range(0, input.Dim).Where(d => d != 1).ToArray();

        Tensor normalized;
        if (training)
        {
            var mean = input.Mean(dims, keepdim: true);
            var centered = input - mean;
            var sumSq = (centered * centered).Sum(dims, keepdim: true);
            int n = input.Numel / Math.Max(c, 1);
            var variance = sumSq / n;
            normalized = centered / (variance + eps).Sqrt();
            using (Torch.NoGrad())
            {
                // Running statistics live outside the graph.
                runningMean?.CopyFrom(runningMean * (1 - momentum) + mean.Detach().Reshape(c).To(runningMean.DType) * momentum);
                runningVar?.CopyFrom(runningVar * (1 - momentum) + (sumSq.Detach().Reshape(c) / (n - 1)).To(runningVar.DType) * momentum);
            }
        }
        else
        {
            normalized = (input - runningMean!.Reshape(bshape)) / (runningVar!.Reshape(bshape) + eps).Sqrt();
        }
        if (weight is not null) normalized = normalized * weight.Reshape(bshape);
        if (bias is not null) normalized = normalized + bias.Reshape(bshape);
        return normalized;
    }
}
