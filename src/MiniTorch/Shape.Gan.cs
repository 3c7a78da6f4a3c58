namespace MiniTorch;

public static partial class Shape
{
    /// <summary>Softplus needs a finite, nonzero β (it divides by β) and a threshold that is a number.</summary>
    public static void CheckSoftplus(double beta, double threshold)
    {
        if (beta == 0 || !double.IsFinite(beta)) throw new ArgumentException($"softplus: beta must be finite and nonzero, got {beta}");
        if (double.IsNaN(threshold)) throw new ArgumentException("softplus: threshold must not be NaN");
    }
}

public static partial class Shape
{
    /// <summary>A <see cref="Nn.Reduction"/> argument must be one of the enum's values.</summary>
    public static void CheckReduction(string op, Nn.Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(op);
        Argument.Defined(reduction);
        if (reduction is not (Nn.Reduction.None or Nn.Reduction.Mean or Nn.Reduction.Sum))
            throw new ArgumentException($"{op}: {(int)reduction} is not a valid value for reduction");
    }

    /// <summary>
    /// A discriminator loss takes real and fake scores of one dtype; without reduction their
    /// element-wise losses are added, so their shapes must match.
    /// </summary>
    public static void CheckGanScores(string op, ReadOnlySpan<int> real, DType realType, ReadOnlySpan<int> fake, DType fakeType, Nn.Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(op);
        Argument.Defined(realType);
        Argument.Defined(fakeType);
        Argument.Defined(reduction);
        CheckReduction(op, reduction);
        if (realType != fakeType)
            throw new ArgumentException($"{op}: expected real and fake scores of the same dtype, got {realType} and {fakeType}");
        if (reduction == Nn.Reduction.None && !Equal(real, fake))
            throw new ArgumentException($"{op}: reduction=None adds the element-wise losses of real and fake scores, so their shapes must match, got {Format(real)} and {Format(fake)}");
    }
}

public static partial class Shape
{
    /// <summary>A gradient penalty needs a batch dimension [N, …] with N ≥ 1.</summary>
    public static void CheckPenaltyBatch(string op, ReadOnlySpan<int> batch)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (batch.Length == 0 || batch[0] == 0)
            throw new ArgumentException($"{op}: expected a batch of shape [N, ...] with N >= 1, got {Format(batch)}");
    }

    /// <summary>A penalty weight (γ, λ) must be a finite, non-negative number.</summary>
    public static void CheckPenaltyWeight(string op, string name, double weight)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(name);
        if (!(weight >= 0) || !double.IsFinite(weight)) throw new ArgumentException($"{op}: {name} must be finite and non-negative, got {weight}");
    }

    /// <summary>WGAN-GP's interpolation weights: one per sample, shape [N] or [N, 1, …, 1], of the batch's dtype.</summary>
    public static void CheckInterpolationWeights(ReadOnlySpan<int> alpha, DType alphaType, ReadOnlySpan<int> batch, DType batchType)
    {
        Argument.Defined(alphaType);
        Argument.Defined(batchType);
        bool ok = alpha.Length >= 1 && alpha[0] == batch[0] && Numel(alpha) == batch[0] && alpha.Length <= batch.Length;
        if (!ok)
            throw new ArgumentException($"wgan_gp: expected alpha of shape [N] or [N, 1, ...] with N = {batch[0]} (one weight per sample), got {Format(alpha)}");
        if (alphaType != batchType) throw new ArgumentException($"wgan_gp: expected alpha of dtype {batchType}, got {alphaType}");
    }
}

public static partial class Shape
{
    /// <summary>DiffAugment works on image batches [N, C, H, W]; the ratios are fractions of the size.</summary>
    public static void CheckDiffAugment(ReadOnlySpan<int> shape, Nn.DiffAugmentPolicy policy, double translationRatio, double cutoutRatio)
    {
        Argument.Defined(policy);
        if (shape.Length != 4) throw new ArgumentException($"diff_augment: expected images of shape [N, C, H, W], got {Format(shape)}");
        if ((policy & ~Nn.DiffAugmentPolicy.All) != 0) throw new ArgumentException($"diff_augment: {(int)policy} is not a valid policy");
        if (!(translationRatio >= 0 && translationRatio <= 1)) throw new ArgumentException($"diff_augment: translationRatio must be in [0, 1], got {translationRatio}");
        if (!(cutoutRatio >= 0 && cutoutRatio <= 1)) throw new ArgumentException($"diff_augment: cutoutRatio must be in [0, 1], got {cutoutRatio}");
    }

    /// <summary>One value per image for a DiffAugment transform (both counts must equal N).</summary>
    public static void CheckDiffAugmentPerImage(ReadOnlySpan<int> shape, string what, int? count, int? count2)
    {
        ArgumentNullException.ThrowIfNull(what);
        if (shape.Length != 4) throw new ArgumentException($"diff_augment: expected images of shape [N, C, H, W], got {Format(shape)}");
        if (count is null || count2 is null) throw new ArgumentNullException(what, $"diff_augment: {what} needs its per-image values");
        if (count != shape[0] || count2 != shape[0])
            throw new ArgumentException($"diff_augment: {what} needs one value per image (N = {shape[0]}), got {count}{(count2 != count ? $" and {count2}" : "")}");
    }

    /// <summary>Fixed DiffAugment choices: paired arrays come together and every array has one entry per image.</summary>
    public static void CheckDiffAugmentParams(ReadOnlySpan<int> shape, Nn.DiffAugmentParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (shape.Length != 4) throw new ArgumentException($"diff_augment: expected images of shape [N, C, H, W], got {Format(shape)}");
        if ((p.ShiftH is null) != (p.ShiftW is null)) throw new ArgumentException("diff_augment: ShiftH and ShiftW must be given together");
        if ((p.CutoutH is null) != (p.CutoutW is null)) throw new ArgumentException("diff_augment: CutoutH and CutoutW must be given together");
        foreach (var (name, length) in new[] { ("Brightness", p.Brightness?.Length), ("Saturation", p.Saturation?.Length), ("Contrast", p.Contrast?.Length),
                                               ("ShiftH", p.ShiftH?.Length), ("ShiftW", p.ShiftW?.Length), ("CutoutH", p.CutoutH?.Length), ("CutoutW", p.CutoutW?.Length) })
            if (length is { } l && l != shape[0])
                throw new ArgumentException($"diff_augment: {name} needs one value per image (N = {shape[0]}), got {l}");
    }
}

public static partial class Shape
{
    /// <summary>
    /// Checks a minibatch-stddev input [N, C, H, W] and returns the group size G = min(groupSize, N)
    /// (N if null), which must divide N; the appended channel count must divide C.
    /// </summary>
    public static int CheckMinibatchStd(ReadOnlySpan<int> input, int? groupSize, int numChannels)
    {
        if (input.Length != 4) throw new ArgumentException($"MinibatchStdDev: expected input of shape [N, C, H, W], got {Format(input)}");
        int n = input[0];
        int g = groupSize is { } gs ? Math.Min(gs, n) : n;
        if (g == 0 || n % g != 0)
            throw new ArgumentException($"MinibatchStdDev: the batch size {n} must be a positive multiple of the group size {g}");
        if (input[1] % numChannels != 0)
            throw new ArgumentException($"MinibatchStdDev: expected input of shape [N, C, H, W] with C divisible by num_channels = {numChannels}, got {Format(input)}");
        return g;
    }
}
