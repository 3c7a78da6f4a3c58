namespace MiniTorch;

public static partial class Shape
{
    /// <summary>Checks a BatchNorm2d input: <c>[N, C, H, W]</c> with C = numFeatures.</summary>
    public static void CheckBatchNorm2d(ReadOnlySpan<int> input, int numFeatures)
    {
        if (input.Length != 4) throw new ArgumentException($"expected 4D input (got {input.Length}D input)");
        if (input[1] != numFeatures)
            throw new ArgumentException($"expected input of shape [N, C, H, W] with C = {numFeatures}, got {Format(input)}");
    }

    /// <summary>Checks that every statistic/affine vector of a batch norm has C = size(1) elements.</summary>
    public static void CheckBatchNormVector(string name, ReadOnlySpan<int> vector, int channels)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (vector.Length != 1 || vector[0] != channels)
            throw new ArgumentException($"batch_norm: expected {name} of shape [{channels}] (one value per channel), got {Format(vector)}");
    }

    /// <summary>
    /// Training-mode batch norm needs at least two values per channel to estimate a variance,
    /// with PyTorch's message.
    /// </summary>
    public static void CheckBatchNormTraining(ReadOnlySpan<int> input)
    {
        long perChannel = 1;
        for (int i = 0; i < input.Length; i++) if (i != 1) perChannel *= input[i];
        if (perChannel <= 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size torch.Size({Format(input)})");
    }

    /// <summary>binary_cross_entropy requires a target of the input's size (PyTorch's message).</summary>
    public static void CheckBceTarget(ReadOnlySpan<int> input, ReadOnlySpan<int> target)
    {
        if (!Equal(input, target))
            throw new ArgumentException(
                $"Using a target size ({Format(target)}) that is different to the input size ({Format(input)}) is deprecated. Please ensure they have the same size.");
    }

    /// <summary>binary_cross_entropy_with_logits requires a target of the input's size (PyTorch's message).</summary>
    public static void CheckBceWithLogitsTarget(ReadOnlySpan<int> input, ReadOnlySpan<int> target)
    {
        if (!Equal(input, target))
            throw new ArgumentException($"Target size ({Format(target)}) must be the same as input size ({Format(input)})");
    }

    /// <summary>The shape after merging dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one, as <c>flatten</c>.</summary>
    public static int[] Flatten(ReadOnlySpan<int> shape, int startDim, int endDim)
    {
        if (shape.Length == 0) return [1];
        int s = WrapDim(startDim, shape.Length), e = WrapDim(endDim, shape.Length);
        if (s > e) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        var result = new List<int>();
        for (int i = 0; i < s; i++) result.Add(shape[i]);
        result.Add(Numel(shape[s..(e + 1)]));
        for (int i = e + 1; i < shape.Length; i++) result.Add(shape[i]);
        return [.. result];
    }

    /// <summary>
    /// fan_in and fan_out of a weight, as PyTorch's <c>_calculate_fan_in_and_fan_out</c>:
    /// dimension 1 is the input maps, dimension 0 the output maps, the rest the receptive field.
    /// </summary>
    public static (int FanIn, int FanOut) Fans(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 2)
            throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        int receptive = Numel(shape[2..]);
        return (shape[1] * receptive, shape[0] * receptive);
    }
}
