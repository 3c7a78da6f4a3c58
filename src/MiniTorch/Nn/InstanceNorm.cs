namespace MiniTorch.Nn;

/// <summary>
/// Instance normalisation per (sample, channel) plane, like PyTorch's <c>_InstanceNorm</c>: the
/// shared body of <see cref="InstanceNorm1d"/>, <see cref="InstanceNorm2d"/> and
/// <see cref="InstanceNorm3d"/>. An unbatched input (one rank less) is accepted, as in PyTorch.
/// </summary>
/// <remarks>
/// Defaults are PyTorch's: no affine parameters and no running statistics. With
/// <c>trackRunningStats</c>, training updates the running mean and variance (the batch average of
/// the planes' statistics) and eval mode normalises with them; without it, every mode uses the
/// planes' own statistics. State dict keys are PyTorch's (<c>num_batches_tracked</c> is kept, as
/// PyTorch does, and is not incremented by instance norm).
/// </remarks>
public abstract class InstanceNormBase : Module
{
    private readonly int _spatial;

    /// <summary>Creates the layer.</summary>
    /// <param name="spatial">The number of spatial dimensions (1, 2 or 3).</param>
    /// <param name="numFeatures">C, the number of channels.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics.</param>
    /// <param name="affine">Learn per-channel γ and β.</param>
    /// <param name="trackRunningStats">Keep running statistics and use them in eval mode.</param>
    /// <param name="dtype">The element type of the parameters and statistics.</param>
    private protected InstanceNormBase(int spatial, int numFeatures, double eps, double momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        RegisterNormState(numFeatures, affine, trackRunningStats, dtype);
        _spatial = spatial;
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
    }

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>The weight of each new batch in the running statistics.</summary>
    public double Momentum { get; }
    /// <summary>Whether γ and β are learned.</summary>
    public bool Affine { get; }
    /// <summary>Whether running statistics are kept.</summary>
    public bool TrackRunningStats { get; }
    /// <summary>γ, shape [C], or null without affine.</summary>
    public Tensor? Weight => GetParameter("weight");
    /// <summary>β, shape [C], or null without affine.</summary>
    public Tensor? Bias => GetParameter("bias");
    /// <summary>The running mean, shape [C], or null.</summary>
    public Tensor? RunningMean => GetBuffer("running_mean");
    /// <summary>The running unbiased variance, shape [C], or null.</summary>
    public Tensor? RunningVar => GetBuffer("running_var");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckNormRank(input.ShapeRef, _spatial + 1, _spatial + 2);
        int featureDim = input.Dim - _spatial - 1;
        if (input.ShapeRef[featureDim] != NumFeatures && Affine)
            throw new ArgumentException($"expected input's size at dim={featureDim} to match num_features ({NumFeatures}), but got: {input.ShapeRef[featureDim]}.");
        if (input.Dim == _spatial + 1) return Forward(input.Unsqueeze(0)).Squeeze(0);
        return F.InstanceNorm(input, RunningMean, RunningVar, Weight, Bias, Training || !TrackRunningStats, Momentum, Eps);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{GetType().Name}({NumFeatures}, eps={Py.Str(Eps)}, momentum={Py.Str(Momentum)}, affine={Py.Str(Affine)}, track_running_stats={Py.Str(TrackRunningStats)})";
}

/// <summary>Instance normalisation of [N, C, L] (or [C, L]) inputs, like <c>torch.nn.InstanceNorm1d</c>.</summary>
public sealed class InstanceNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType dtype = DType.Float32)
    : InstanceNormBase(1, numFeatures, eps, momentum, affine, trackRunningStats, dtype);

/// <summary>Instance normalisation of [N, C, H, W] (or [C, H, W]) inputs, like <c>torch.nn.InstanceNorm2d</c>.</summary>
public sealed class InstanceNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType dtype = DType.Float32)
    : InstanceNormBase(2, numFeatures, eps, momentum, affine, trackRunningStats, dtype);

/// <summary>Instance normalisation of [N, C, D, H, W] (or [C, D, H, W]) inputs, like <c>torch.nn.InstanceNorm3d</c>.</summary>
public sealed class InstanceNorm3d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = false, bool trackRunningStats = false, DType dtype = DType.Float32)
    : InstanceNormBase(3, numFeatures, eps, momentum, affine, trackRunningStats, dtype);
