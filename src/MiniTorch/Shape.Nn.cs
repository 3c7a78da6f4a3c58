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
    /// <param name="input">The sizes PyTorch's _verify_batch_size is given.</param>
    /// <param name="asList">Printed as a list (group_norm passes one) rather than batch_norm's torch.Size.</param>
    public static void CheckBatchNormTraining(ReadOnlySpan<int> input, bool asList = false)
    {
        long perChannel = 1;
        for (int i = 0; i < input.Length; i++) if (i != 1) perChannel *= input[i];
        if (perChannel <= 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {(asList ? Format(input) : $"torch.Size({Format(input)})")}");
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

public static partial class Shape
{
    /// <summary>Checks layer_norm's input against normalized_shape (and weight/bias), with PyTorch's message.</summary>
    public static void CheckLayerNorm(ReadOnlySpan<int> input, ReadOnlySpan<int> normalized, int[]? weight, int[]? bias)
    {
        if (normalized.Length == 0) throw new ArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
        if (weight is not null && !Equal(weight, normalized))
            throw new ArgumentException($"Expected weight to be of same shape as normalized_shape, but got weight of shape {Format(weight)} and normalized_shape = {Format(normalized)}");
        if (bias is not null && !Equal(bias, normalized))
            throw new ArgumentException($"Expected bias to be of same shape as normalized_shape, but got bias of shape {Format(bias)} and normalized_shape = {Format(normalized)}");
        if (input.Length < normalized.Length || !Equal(input[^normalized.Length..], normalized))
        {
            var expected = "[*, " + string.Join(", ", normalized.ToArray()) + "]";
            throw new ArgumentException($"Given normalized_shape={Format(normalized)}, expected input with shape {expected}, but got input of size{Format(input)}");
        }
    }

    /// <summary>Checks group_norm's input [N, C, *] (C divisible by the groups) and weight/bias [C].</summary>
    public static void CheckGroupNorm(ReadOnlySpan<int> input, int groups, int[]? weight, int[]? bias)
    {
        if (input.Length < 2) throw new ArgumentException($"Expected at least 2 dimensions for input tensor but received {input.Length}");
        if (groups <= 0) throw new ArgumentException($"group_norm: num_groups must be positive, got {groups}");
        int c = input[1];
        if (c % groups != 0)
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {Format(input)} and num_groups={groups}");
        if (weight is not null && (weight.Length != 1 || weight[0] != c))
            throw new ArgumentException($"Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape {Format(weight)} and input of shape {Format(input)}");
        if (bias is not null && (bias.Length != 1 || bias[0] != c))
            throw new ArgumentException($"Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape {Format(bias)} and input of shape {Format(input)}");
    }

    /// <summary>Instance norm with input statistics needs more than one spatial element (PyTorch's message).</summary>
    public static void CheckInstanceNormSpatial(ReadOnlySpan<int> input)
    {
        if (Numel(input[2..]) <= 1)
            throw new ArgumentException($"Expected more than 1 spatial element when training, got input size torch.Size({Format(input)})");
    }

    /// <summary>Checks the rank of a norm layer's input (e.g. "expected 2D or 3D input (got 4D input)").</summary>
    public static void CheckNormRank(ReadOnlySpan<int> input, int low, int high)
    {
        if (input.Length < low || input.Length > high)
            throw new ArgumentException(low == high ? $"expected {low}D input (got {input.Length}D input)" : $"expected {low}D or {high}D input (got {input.Length}D input)");
    }
}

public static partial class Shape
{
    /// <summary>Checks a batch norm input of rank <paramref name="low"/>–<paramref name="high"/> with C = numFeatures in dimension 1.</summary>
    public static void CheckBatchNorm(ReadOnlySpan<int> input, int numFeatures, int low, int high, string layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        CheckNormRank(input, low, high);
        if (input[1] != numFeatures)
            throw new ArgumentException($"expected input of shape {layout} with C = {numFeatures}, got {Format(input)}");
    }
}

public static partial class Shape
{
    /// <summary>The output shape of pixel_shuffle (or pixel_unshuffle) by factor r, with PyTorch's messages.</summary>
    public static int[] PixelShuffle(ReadOnlySpan<int> input, int r, bool unshuffle)
    {
        string op = unshuffle ? "pixel_unshuffle" : "pixel_shuffle";
        if (input.Length < 3) throw new ArgumentException($"{op} expects input to have at least 3 dimensions, but got input with {input.Length} dimension(s)");
        if (r <= 0) throw new ArgumentException($"{op} expects a positive {(unshuffle ? "downscale" : "upscale")}_factor, but got {r}");
        var s = input.ToArray();
        int c = input[^3], h = input[^2], w = input[^1];
        long r2 = (long)r * r;   // 64 bits: the square of a factor past 46340 does not fit an int
        if (!unshuffle)
        {
            if (c % r2 != 0)
                throw new ArgumentException($"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)={c} is not divisible by {r2}");
            (s[^3], s[^2], s[^1]) = ((int)(c / r2), CheckedSize((long)h * r, "pixel_shuffle's output height"), CheckedSize((long)w * r, "pixel_shuffle's output width"));
        }
        else
        {
            if (h % r != 0) throw new ArgumentException($"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h} is not divisible by {r}");
            if (w % r != 0) throw new ArgumentException($"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w} is not divisible by {r}");
            (s[^3], s[^2], s[^1]) = (CheckedSize(c * r2, "pixel_unshuffle's output channels"), h / r, w / r);
        }
        Numel(s);
        return s;
    }
}
