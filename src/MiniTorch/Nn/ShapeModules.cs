namespace MiniTorch.Nn;

/// <summary>Rearranges [*, C·r², H, W] into [*, C, H·r, W·r], like <c>torch.nn.PixelShuffle(upscale_factor)</c>.</summary>
public sealed class PixelShuffle : Module
{
    /// <summary>Creates the layer.</summary>
    public PixelShuffle(int upscaleFactor)
    {
        if (upscaleFactor <= 0) throw new ArgumentException($"pixel_shuffle expects a positive upscale_factor, but got {upscaleFactor}");
        UpscaleFactor = upscaleFactor;
    }
    /// <summary>r.</summary>
    public int UpscaleFactor { get; }
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.PixelShuffle(input, UpscaleFactor);
    }
    /// <inheritdoc />
    public override string ToString() => $"PixelShuffle(upscale_factor={UpscaleFactor})";
}

/// <summary>Rearranges [*, C, H·r, W·r] into [*, C·r², H, W], like <c>torch.nn.PixelUnshuffle(downscale_factor)</c>.</summary>
public sealed class PixelUnshuffle : Module
{
    /// <summary>Creates the layer.</summary>
    public PixelUnshuffle(int downscaleFactor)
    {
        if (downscaleFactor <= 0) throw new ArgumentException($"pixel_unshuffle expects a positive downscale_factor, but got {downscaleFactor}");
        DownscaleFactor = downscaleFactor;
    }
    /// <summary>r.</summary>
    public int DownscaleFactor { get; }
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.PixelUnshuffle(input, DownscaleFactor);
    }
    /// <inheritdoc />
    public override string ToString() => $"PixelUnshuffle(downscale_factor={DownscaleFactor})";
}

/// <summary>Returns its input unchanged, like <c>torch.nn.Identity</c> (a placeholder in architectures).</summary>
public sealed class Identity : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input;
    }
    /// <inheritdoc />
    public override string ToString() => "Identity()";
}

/// <summary>Splits one dimension into several, like <c>torch.nn.Unflatten(dim, unflattened_size)</c>.</summary>
public sealed class Unflatten(int dim, int[] unflattenedSize) : Module
{
    /// <summary>The dimension split.</summary>
    public int Dim { get; } = dim;
    /// <summary>The sizes it is split into (one may be -1).</summary>
    public int[] UnflattenedSize { get; } = (int[])(unflattenedSize ?? throw new ArgumentNullException(nameof(unflattenedSize))).Clone();
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Unflatten(Dim, UnflattenedSize);
    }
    /// <inheritdoc />
    public override string ToString() => $"Unflatten(dim={Dim}, unflattened_size={Py.Tuple(UnflattenedSize)})";
}

/// <summary>Channel dropout, like <c>torch.nn.Dropout1d</c>: whole channels of [N, C, L] zeroed with probability p in training.</summary>
public sealed class Dropout1d(double p = 0.5, bool inplace = false, Generator? generator = null) : Module
{
    /// <summary>The probability of zeroing a channel.</summary>
    public double P { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Dropout1d(input, P, Training, generator);
    }
    /// <inheritdoc />
    public override string ToString() => $"Dropout1d(p={Py.Str(P)}, inplace={Py.Str(Inplace)})";
}

/// <summary>Channel dropout, like <c>torch.nn.Dropout2d</c>: whole channels of [N, C, H, W] zeroed with probability p in training.</summary>
public sealed class Dropout2d(double p = 0.5, bool inplace = false, Generator? generator = null) : Module
{
    /// <summary>The probability of zeroing a channel.</summary>
    public double P { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Dropout2d(input, P, Training, generator);
    }
    /// <inheritdoc />
    public override string ToString() => $"Dropout2d(p={Py.Str(P)}, inplace={Py.Str(Inplace)})";
}

/// <summary>Channel dropout, like <c>torch.nn.Dropout3d</c>: whole channels of [N, C, D, H, W] zeroed with probability p in training.</summary>
public sealed class Dropout3d(double p = 0.5, bool inplace = false, Generator? generator = null) : Module
{
    /// <summary>The probability of zeroing a channel.</summary>
    public double P { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Dropout3d(input, P, Training, generator);
    }
    /// <inheritdoc />
    public override string ToString() => $"Dropout3d(p={Py.Str(P)}, inplace={Py.Str(Inplace)})";
}
