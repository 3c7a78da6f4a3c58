namespace MiniTorch.Nn;

/// <summary>
/// Resamples [N, C, H, W] inputs to a fixed size or by a fixed factor, like <c>torch.nn.Upsample</c>.
/// It has no parameters; <see cref="Forward"/> calls <see cref="F.Interpolate"/>.
/// </summary>
/// <remarks>
/// As in PyTorch, the arguments are checked when the module runs (exactly one of size and scale
/// factor, alignCorners only for bilinear and bicubic).
/// </remarks>
/// <param name="size">The output (H, W); an int means both.</param>
/// <param name="scaleFactor">Multiplier for both spatial sizes.</param>
/// <param name="mode">The algorithm.</param>
/// <param name="alignCorners">For bilinear and bicubic: align the corner pixel centres.</param>
/// <param name="recomputeScaleFactor">Derive the kernel's scale from the output size (see <see cref="F.Interpolate"/>).</param>
public sealed class Upsample(Size2? size = null, double? scaleFactor = null, InterpolationMode mode = InterpolationMode.Nearest,
                             bool? alignCorners = null, bool? recomputeScaleFactor = null) : Module
{
    /// <summary>The output size, if given.</summary>
    public Size2? Size { get; } = size;

    /// <summary>The scale factor, if given.</summary>
    public double? ScaleFactor { get; } = scaleFactor;

    /// <summary>The algorithm.</summary>
    public InterpolationMode Mode { get; } = Argument.Checked(mode);

    /// <summary>Corner alignment for bilinear and bicubic (null: PyTorch's default, false).</summary>
    public bool? AlignCorners { get; } = alignCorners;

    /// <summary>Whether the kernel's scale is derived from the output size.</summary>
    public bool? RecomputeScaleFactor { get; } = recomputeScaleFactor;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Interpolate(input, Size, ScaleFactor is { } s ? s : null, Mode, AlignCorners, RecomputeScaleFactor);
    }

    /// <summary>PyTorch's repr, e.g. <c>Upsample(scale_factor=2.0, mode=nearest)</c>.</summary>
    public override string ToString()
    {
        // PyTorch shows the scale factor if there is one, else the size.
        string info = ScaleFactor is { } f ? $"scale_factor={Scale2.Python(f)}"
                    : Size is { } sz ? $"size={(sz.H == sz.W ? sz.H.ToString() : sz.ToString())}" : "size=None";
        return $"Upsample({info}, mode={Mode.PyTorchName()})";
    }
}
