using MiniTorch.Functions;

namespace MiniTorch.Nn;

/// <summary>The augmentation families of <see cref="DiffAugment"/>, applied in the order color, translation, cutout.</summary>
[Flags]
public enum DiffAugmentPolicy
{
    /// <summary>No augmentation: the input is returned as it is.</summary>
    None = 0,
    /// <summary>Brightness, saturation and contrast, each with its own random factor per image.</summary>
    Color = 1,
    /// <summary>A random shift of up to 1/8 of the size (by default) per image, with zeros filling in.</summary>
    Translation = 2,
    /// <summary>A square of half the size (by default) set to zero at a random place per image.</summary>
    Cutout = 4,
    /// <summary>color, translation, cutout: the policy of the DiffAugment paper for small data.</summary>
    All = Color | Translation | Cutout,
}

/// <summary>
/// The random choices of one <see cref="DiffAugment"/> call, one entry per image: fix them to
/// replay an augmentation exactly (the entry point checked against PyTorch's reference code).
/// </summary>
/// <param name="Brightness">Uniform draws r in [0, 1) [N]: x + (r − 0.5); null to skip.</param>
/// <param name="Saturation">Uniform draws r [N]: (x − mean over channels)·2r + that mean; null to skip.</param>
/// <param name="Contrast">Uniform draws r [N]: (x − mean over the image)·(r + 0.5) + that mean; null to skip.</param>
/// <param name="ShiftH">Row shifts: output row i reads input row i + ShiftH[n]; null to skip translation (with <paramref name="ShiftW"/>).</param>
/// <param name="ShiftW">Column shifts, as <paramref name="ShiftH"/>.</param>
/// <param name="CutoutH">Cutout centre rows (the square covers rows CutoutH − size/2 … + size − 1); null to skip cutout.</param>
/// <param name="CutoutW">Cutout centre columns.</param>
/// <param name="CutoutSize">The cutout's (height, width).</param>
public sealed record DiffAugmentParams(
    double[]? Brightness = null, double[]? Saturation = null, double[]? Contrast = null,
    int[]? ShiftH = null, int[]? ShiftW = null,
    int[]? CutoutH = null, int[]? CutoutW = null, (int H, int W) CutoutSize = default);

/// <summary>
/// Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient
/// GAN Training"): the same random color, translation and cutout transforms applied to real and to
/// generated images before the discriminator sees them, differentiable with respect to the images so
/// that G is trained through them. Semantics of the authors' <c>DiffAugment_pytorch.py</c>; the
/// randomness comes from an explicit <see cref="Generator"/>, so a run is reproducible bit for bit.
/// </summary>
/// <remarks>
/// For each image n with draws r ~ U[0, 1): brightness x + (r − ½); saturation (x − x̄_c)·2r + x̄_c
/// with x̄_c the mean over channels at each pixel; contrast (x − x̄)·(r + ½) + x̄ with x̄ the image's
/// mean; translation by integers t ∈ [−⌊ratio·H + ½⌋, ⌊ratio·H + ½⌋] (rows) and likewise for
/// columns, zero-filled; cutout zeroes a ⌊ratio·H + ½⌋ × ⌊ratio·W + ½⌋ rectangle centred at a
/// random pixel (clipped at the border). Color and cutout are built from differentiable tensor ops
/// (cutout multiplies by a constant mask); the translation is one op whose gradient is the
/// opposite translation.
/// </remarks>
public static class DiffAugment
{
    /// <summary>Augments an NCHW batch with random choices drawn from <paramref name="generator"/>.</summary>
    /// <param name="input">Images [N, C, H, W].</param>
    /// <param name="policy">Which augmentations (default: all three).</param>
    /// <param name="generator">The source of the random choices (the default generator if null).</param>
    /// <param name="translationRatio">The largest shift as a fraction of the size (0.125 in the paper).</param>
    /// <param name="cutoutRatio">The cutout's size as a fraction of the image's (0.5 in the paper).</param>
    public static Tensor Apply(Tensor input, DiffAugmentPolicy policy = DiffAugmentPolicy.All, Generator? generator = null,
                               double translationRatio = 0.125, double cutoutRatio = 0.5)
    {
        Argument.Defined(policy);
        ArgumentNullException.ThrowIfNull(input);
        return Apply(input, Sample(input.Shape, policy, generator, translationRatio, cutoutRatio));
    }

    /// <summary>
    /// Draws the random choices for a batch of <paramref name="shape"/>, in the reference's order:
    /// brightness, saturation, contrast (N uniforms each), row shifts, column shifts, cutout rows, cutout columns (N integers each).
    /// </summary>
    public static DiffAugmentParams Sample(int[] shape, DiffAugmentPolicy policy = DiffAugmentPolicy.All, Generator? generator = null,
                                           double translationRatio = 0.125, double cutoutRatio = 0.5)
    {
        Argument.Defined(policy);
        ArgumentNullException.ThrowIfNull(shape);
        Shape.CheckDiffAugment(shape, policy, translationRatio, cutoutRatio);
        var g = generator ?? Torch.DefaultGenerator;
        int n = shape[0], h = shape[2], w = shape[3];
        double[] Uniforms() { var r = new double[n]; for (int i = 0; i < n; i++) r[i] = g.NextDouble(); return r; }
        int[] Integers(int low, int high) { var r = new int[n]; for (int i = 0; i < n; i++) r[i] = g.Next(low, high); return r; }
        var p = new DiffAugmentParams();
        if (policy.HasFlag(DiffAugmentPolicy.Color)) p = p with { Brightness = Uniforms(), Saturation = Uniforms(), Contrast = Uniforms() };
        if (policy.HasFlag(DiffAugmentPolicy.Translation))
        {
            int sh = (int)(h * translationRatio + 0.5), sw = (int)(w * translationRatio + 0.5);
            p = p with { ShiftH = Integers(-sh, sh + 1), ShiftW = Integers(-sw, sw + 1) };
        }
        if (policy.HasFlag(DiffAugmentPolicy.Cutout))
        {
            int ch = (int)(h * cutoutRatio + 0.5), cw = (int)(w * cutoutRatio + 0.5);
            // The reference draws centres in [0, size + 1 − size_cut mod 2).
            p = p with { CutoutH = Integers(0, h + (1 - ch % 2)), CutoutW = Integers(0, w + (1 - cw % 2)), CutoutSize = (ch, cw) };
        }
        return p;
    }

    /// <summary>Augments an NCHW batch with fixed choices (see <see cref="DiffAugmentParams"/>): color, then translation, then cutout.</summary>
    public static Tensor Apply(Tensor input, DiffAugmentParams parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parameters);
        Shape.CheckDiffAugmentParams(input.ShapeRef, parameters);
        var x = input.RequireFloat("diff_augment");
        if (parameters.Brightness is { } b) x = Brightness(x, b);
        if (parameters.Saturation is { } s) x = Saturation(x, s);
        if (parameters.Contrast is { } c) x = Contrast(x, c);
        if (parameters.ShiftH is { } th) x = Translate(x, th, parameters.ShiftW!);
        if (parameters.CutoutH is { } ch) x = Cutout(x, ch, parameters.CutoutW!, parameters.CutoutSize.H, parameters.CutoutSize.W);
        return x;
    }

    /// <summary>Random brightness: x + (r − ½) per image.</summary>
    /// <param name="input">Images [N, C, H, W].</param>
    /// <param name="draws">N uniform draws r.</param>
    public static Tensor Brightness(Tensor input, double[] draws)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(draws);
        return input + (PerImage(input, draws, "brightness") - 0.5);
    }

    /// <summary>Random saturation: (x − x̄_c)·2r + x̄_c per image, x̄_c the mean over channels at each pixel.</summary>
    public static Tensor Saturation(Tensor input, double[] draws)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(draws);
        var r = PerImage(input, draws, "saturation");
        var mean = input.Mean(1, keepdim: true);
        return (input - mean) * (r * 2) + mean;
    }

    /// <summary>Random contrast: (x − x̄)·(r + ½) + x̄ per image, x̄ the mean over the image.</summary>
    public static Tensor Contrast(Tensor input, double[] draws)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(draws);
        var r = PerImage(input, draws, "contrast");
        var mean = input.Mean([1, 2, 3], keepdim: true);
        return (input - mean) * (r + 0.5) + mean;
    }

    /// <summary>Moves image n so that output pixel (i, j) is input pixel (i + shiftH[n], j + shiftW[n]), zero outside.</summary>
    public static Tensor Translate(Tensor input, int[] shiftH, int[] shiftW)
    {
        ArgumentNullException.ThrowIfNull(shiftH);
        ArgumentNullException.ThrowIfNull(shiftW);
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckDiffAugmentPerImage(input.ShapeRef, "translation", shiftH?.Length, shiftW?.Length);
        return TranslateBackward.Apply(input.RequireFloat("translate"), (int[])shiftH!.Clone(), (int[])shiftW!.Clone());
    }

    /// <summary>Zeroes, in image n, the sizeH × sizeW rectangle whose rows start at centerH[n] − sizeH/2 and columns at centerW[n] − sizeW/2 (clipped).</summary>
    public static Tensor Cutout(Tensor input, int[] centerH, int[] centerW, int sizeH, int sizeW)
    {
        ArgumentNullException.ThrowIfNull(centerH);
        ArgumentNullException.ThrowIfNull(centerW);
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckDiffAugmentPerImage(input.ShapeRef, "cutout", centerH?.Length, centerW?.Length);
        if (sizeH < 0 || sizeW < 0) throw new ArgumentException($"diff_augment: cutout size must be non-negative, got ({sizeH}, {sizeW})");
        input.RequireFloat("cutout");
        var s = input.ShapeRef;
        var mask = Map.Output([s[0], 1, s[2], s[3]], input.DType);
        if (input.DType == DType.Float32) Kernels.Augment.CutoutMask(s[0], s[2], s[3], centerH, centerW, sizeH, sizeW, mask.Span<float>());
        else Kernels.Augment.CutoutMask(s[0], s[2], s[3], centerH, centerW, sizeH, sizeW, mask.Span<double>());
        return input * mask;
    }

    /// <summary>Parses the reference's policy string, such as "color,translation,cutout".</summary>
    public static DiffAugmentPolicy ParsePolicy(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var result = DiffAugmentPolicy.None;
        foreach (var part in policy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            result |= part switch
            {
                "color" => DiffAugmentPolicy.Color,
                "translation" => DiffAugmentPolicy.Translation,
                "cutout" => DiffAugmentPolicy.Cutout,
                _ => throw new ArgumentException($"diff_augment: unknown policy '{part}' (expected color, translation or cutout)"),
            };
        return result;
    }

    private static Tensor PerImage(Tensor input, double[] draws, string what)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckDiffAugmentPerImage(input.ShapeRef, what, draws?.Length, draws?.Length);
        input.RequireFloat(what);
        return Torch.FromDoubles((double[])draws!.Clone(), [draws!.Length, 1, 1, 1], input.DType);
    }
}
