namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Layer normalisation over the trailing dimensions <paramref name="normalizedShape"/>, like
    /// <c>torch.nn.functional.layer_norm</c>: y = (x − μ)/√(σ² + eps)·γ + β with the mean μ and
    /// the biased variance σ² of each sample's trailing block.
    /// </summary>
    /// <remarks>Composed of differentiable tensor operations, so gradients of gradients work.</remarks>
    /// <param name="input">[*, normalizedShape…].</param>
    /// <param name="normalizedShape">The trailing sizes to normalise over.</param>
    /// <param name="weight">γ of shape normalizedShape, or null.</param>
    /// <param name="bias">β of shape normalizedShape, or null.</param>
    /// <param name="eps">Added to the variance.</param>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        Shape.CheckLayerNorm(input.ShapeRef, normalizedShape, weight?.ShapeRef, bias?.ShapeRef);
        input.RequireFloat("LayerNormKernelImpl");
        var dims = Enumerable.Range(input.Dim - normalizedShape.Length, normalizedShape.Length).ToArray();
        var y = Normalize(input, dims, eps);
        if (weight is not null) y = y * weight;
        if (bias is not null) y = y + bias;
        return y;
    }

    /// <summary>
    /// Group normalisation, like <c>torch.nn.functional.group_norm</c>: the C channels of each sample
    /// split into <paramref name="numGroups"/> groups, each normalised over its channels and spatial
    /// positions with the biased variance, then a per-channel affine map.
    /// </summary>
    /// <param name="input">[N, C, *] with C divisible by numGroups.</param>
    /// <param name="numGroups">The number of groups.</param>
    /// <param name="weight">γ of shape [C], or null.</param>
    /// <param name="bias">β of shape [C], or null.</param>
    /// <param name="eps">Added to the variance.</param>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckGroupNorm(input.ShapeRef, numGroups, weight?.ShapeRef, bias?.ShapeRef);
        input.RequireFloat("GroupNormKernelImpl");
        int n = input.ShapeRef[0], c = input.ShapeRef[1];
        // PyTorch's F.group_norm refuses one value per group and sample, as batch norm in training.
        Shape.CheckBatchNormTraining([n * c / numGroups, numGroups, .. input.ShapeRef[2..]], asList: true);
        var grouped = input.Reshape(n, numGroups, -1);
        var y = Normalize(grouped, [2], eps).Reshape(input.ShapeRef);
        var channel = Enumerable.Repeat(1, input.Dim).ToArray();
        channel[1] = c;
        if (weight is not null) y = y * weight.Reshape(channel);
        if (bias is not null) y = y + bias.Reshape(channel);
        return y;
    }

    /// <summary>
    /// Instance normalisation, like <c>torch.nn.functional.instance_norm</c>: every (sample, channel)
    /// plane normalised over its spatial positions, then a per-channel affine map.
    /// </summary>
    /// <remarks>
    /// With <paramref name="useInputStats"/> the statistics are the plane's own (biased variance), and
    /// running statistics, if given, move toward the batch average of the planes' means and unbiased
    /// variances: r ← (1 − momentum)·r + momentum·mean_n(s). Otherwise the running statistics normalise.
    /// </remarks>
    /// <param name="input">[N, C, *] with at least one spatial dimension ([N, C] too without <paramref name="useInputStats"/>).</param>
    /// <param name="runningMean">Running mean [C], updated in place when using input statistics; or null.</param>
    /// <param name="runningVar">Running variance [C], updated in place when using input statistics; or null.</param>
    /// <param name="weight">γ of shape [C], or null.</param>
    /// <param name="bias">β of shape [C], or null.</param>
    /// <param name="useInputStats">Normalise with each plane's statistics (else with the running ones).</param>
    /// <param name="momentum">The weight of the new batch in the running statistics.</param>
    /// <param name="eps">Added to the variance.</param>
    public static Tensor InstanceNorm(Tensor input, Tensor? runningMean = null, Tensor? runningVar = null, Tensor? weight = null, Tensor? bias = null,
                                      bool useInputStats = true, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        // PyTorch needs spatial dimensions only for the planes' own statistics: with the running ones an
        // [N, C] input normalises as batch_norm in eval mode would.
        if (input.Dim < 2)
            throw new ArgumentException($"instance_norm: Dimension out of range (expected to be in range of [{-Math.Max(input.Dim, 1)}, {Math.Max(input.Dim, 1) - 1}], but got 1)");
        if (useInputStats && input.Dim < 3) throw new ArgumentException($"instance_norm: expected an input of shape [N, C, *] with at least one spatial dimension, got {Shape.Format(input.ShapeRef)}");
        input.RequireFloat("instance_norm");
        int c = input.ShapeRef[1];
        // PyTorch repeats the running statistics once per sample and lets batch_norm check the result.
        foreach (var (name, t) in new[] { ("running_mean", runningMean), ("running_var", runningVar) })
            if (t is not null && t.Numel != c)
                throw new ArgumentException($"{name} should contain {(long)input.ShapeRef[0] * c} elements not {(long)input.ShapeRef[0] * t.Numel}");
        foreach (var (name, t) in new[] { ("running_mean", runningMean), ("running_var", runningVar), ("weight", weight), ("bias", bias) })
            if (t is not null) Shape.CheckBatchNormVector(name, t.ShapeRef, c);
        var channel = Enumerable.Repeat(1, input.Dim).ToArray();
        channel[1] = c;
        var spatial = Enumerable.Range(2, input.Dim - 2).ToArray();
        Tensor y;
        if (useInputStats)
        {
            int count = Shape.Numel(input.ShapeRef[2..]);
            Shape.CheckInstanceNormSpatial(input.ShapeRef);
            y = Normalize(input, spatial, eps);
            using (Torch.NoGrad())
            {
                var x = input.Detach().To(DType.Float64);
                var mean = x.Mean(spatial);                                              // [N, C]
                var centered = x - mean.Reshape([.. x.ShapeRef[..2], .. Enumerable.Repeat(1, spatial.Length)]);
                var unbiased = (centered * centered).Sum(spatial) / (count - 1);
                runningMean?.CopyFrom(runningMean.To(DType.Float64) * (1 - momentum) + mean.Mean(0) * momentum);
                runningVar?.CopyFrom(runningVar.To(DType.Float64) * (1 - momentum) + unbiased.Mean(0) * momentum);
            }
        }
        else
        {
            if (runningMean is null || runningVar is null)
                throw new ArgumentException("Expected running_mean and running_var to be defined when use_input_stats is false");
            y = (input - runningMean.Reshape(channel)) / (runningVar.Reshape(channel) + eps).Sqrt();
        }
        if (weight is not null) y = y * weight.Reshape(channel);
        if (bias is not null) y = y + bias.Reshape(channel);
        return y;
    }

    // (x − mean)/√(var + eps) over dims, with the biased variance, differentiably.
    private static Tensor Normalize(Tensor x, int[] dims, double eps)
    {
        var centered = x - x.Mean(dims, keepdim: true);
        var variance = (centered * centered).Mean(dims, keepdim: true);
        return centered * (variance + eps).Pow(-0.5);
    }
}
