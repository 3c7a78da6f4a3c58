namespace MiniTorch.Nn;

/// <summary>
/// Batch normalisation per channel (dimension 1), like PyTorch's <c>_BatchNorm</c>: the shared
/// body of <see cref="BatchNorm1d"/>, <see cref="BatchNorm2d"/> and <see cref="BatchNorm3d"/>,
/// which differ only in the input ranks they accept. State dict keys are PyTorch's:
/// <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// </summary>
/// <remarks>
/// Training mode normalises with the batch statistics and updates the running mean and the
/// unbiased running variance; eval mode normalises with the running statistics (or with the
/// batch statistics when <c>trackRunningStats</c> is false). See <see cref="F.BatchNorm"/>.
/// </remarks>
public abstract class BatchNormBase : Module
{
    /// <summary>Creates the layer: γ = 1, β = 0, running mean 0, running variance 1.</summary>
    /// <param name="numFeatures">C, the number of channels.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics; null for a cumulative average.</param>
    /// <param name="affine">Learn γ and β.</param>
    /// <param name="trackRunningStats">Keep running statistics (otherwise batch statistics are used in eval mode too).</param>
    /// <param name="dtype">The element type of the parameters and statistics.</param>
    protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        RegisterNormState(numFeatures, affine, trackRunningStats, dtype);
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
    }

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }
    /// <summary>The weight of each new batch in the running statistics (null: cumulative average).</summary>
    public double? Momentum { get; }
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
    /// <summary>The number of training batches seen (a 0-d int64 tensor), or null.</summary>
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

    /// <summary>Resets the running statistics to mean 0, variance 1 and the counter to 0.</summary>
    public void ResetRunningStats()
    {
        if (!TrackRunningStats) return;
        Init.Zeros(RunningMean!);
        Init.Ones(RunningVar!);
        Init.Zeros(NumBatchesTracked!);
    }

    /// <summary>Checks the input's rank and channels (the only difference between the 1-, 2- and 3-d layers).</summary>
    protected abstract void CheckInput(ReadOnlySpan<int> input);

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Forward(input, default);
    }

    /// <summary>The forward followed by a fused activation (<see cref="Sequential"/> fuses BatchNorm → ReLU/LeakyReLU).</summary>
    internal Tensor Forward(Tensor input, Functions.BatchNormActivation activation)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.ShapeRef);
        input.RequireFloat("batch_norm");
        // The same decisions as PyTorch's _BatchNorm.forward.
        double factor = Momentum ?? 0.0;
        if (Training && TrackRunningStats)
        {
            Shape.CheckBatchNormTraining(input.ShapeRef);
            var count = NumBatchesTracked!;
            long seen = count.DType == DType.Int64 ? count.ItemInt64() : (long)count.Item();
            count.CopyFrom(Torch.Scalar(seen + 1, count.DType));
            if (Momentum is null) factor = 1.0 / (seen + 1);
        }
        bool useBatchStats = Training || RunningMean is null;
        bool passStats = !Training || TrackRunningStats;
        return F.BatchNormFused(input, passStats ? RunningMean : null, passStats ? RunningVar : null, Weight, Bias, useBatchStats, factor, Eps, activation);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{GetType().Name}({NumFeatures}, eps={Py.Str(Eps)}, momentum={Py.Str(Momentum)}, affine={Py.Str(Affine)}, track_running_stats={Py.Str(TrackRunningStats)})";
}

/// <summary>Batch normalisation of [N, C] or [N, C, L] inputs per channel, like <c>torch.nn.BatchNorm1d</c>.</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <inheritdoc />
    protected override void CheckInput(ReadOnlySpan<int> input) => Shape.CheckBatchNorm(input, NumFeatures, 2, 3, "[N, C] or [N, C, L]");
}

/// <summary>Batch normalisation of [N, C, H, W] inputs per channel, like <c>torch.nn.BatchNorm2d</c>.</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <inheritdoc />
    protected override void CheckInput(ReadOnlySpan<int> input) => Shape.CheckBatchNorm2d(input, NumFeatures);
}

/// <summary>Batch normalisation of [N, C, D, H, W] inputs per channel, like <c>torch.nn.BatchNorm3d</c>.</summary>
public sealed class BatchNorm3d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    /// <inheritdoc />
    protected override void CheckInput(ReadOnlySpan<int> input) => Shape.CheckBatchNorm(input, NumFeatures, 5, 5, "[N, C, D, H, W]");
}
