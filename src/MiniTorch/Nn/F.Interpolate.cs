using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Resamples a batch of images [N, C, H, W] to a new spatial size, like
    /// <c>torch.nn.functional.interpolate</c> (PyTorch 1.13 semantics, 2-D modes).
    /// </summary>
    /// <remarks>
    /// Exactly one of <paramref name="size"/> and <paramref name="scaleFactor"/> is given. From a
    /// scale the output size is ⌊in·scale⌋. With a scale and <paramref name="recomputeScaleFactor"/>
    /// not true, the kernel steps through the input by 1/scale (OpenCV's convention); otherwise by
    /// in/out. "area" always uses in/out. Effectively computes each output pixel as a fixed weighted
    /// sum of input pixels; the gradient scatters back with the same weights.
    /// </remarks>
    /// <param name="input">The input, [N, C, H, W], float32 or float64.</param>
    /// <param name="size">The output (H, W); an int means both.</param>
    /// <param name="scaleFactor">Multiplier for the spatial size; a double means both sides.</param>
    /// <param name="mode">The algorithm.</param>
    /// <param name="alignCorners">For bilinear and bicubic only: map the corner pixel centres of input
    /// and output onto each other (true) or the corner edges (false, the default).</param>
    /// <param name="recomputeScaleFactor">Derive the kernel's scale from the computed output size
    /// instead of using <paramref name="scaleFactor"/> directly. Not allowed with <paramref name="size"/>.</param>
    public static Tensor Interpolate(Tensor input, Size2? size = null, Scale2? scaleFactor = null,
                                     InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null,
                                     bool? recomputeScaleFactor = null)
    {
        Argument.Defined(mode);
        ArgumentNullException.ThrowIfNull(input);
        string modeName = mode.PyTorchName();
        bool interpolating = mode is InterpolationMode.Bilinear or InterpolationMode.Bicubic;
        if (!interpolating && alignCorners is not null)
            throw new ArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        if (size is not null && scaleFactor is not null)
            throw new ArgumentException("only one of size or scale_factor should be defined");
        if (size is null && scaleFactor is null)
            throw new ArgumentException("either size or scale_factor should be defined");
        if (recomputeScaleFactor == true && size is not null)
            throw new ArgumentException("recompute_scale_factor is not meaningful with an explicit size.");
        Shape.CheckInterpolateRank(input.ShapeRef, modeName);

        int inH = input.ShapeRef[2], inW = input.ShapeRef[3];
        int outH, outW;
        double? scaleH = null, scaleW = null;
        if (size is { } s) (outH, outW) = (s.H, s.W);
        else
        {
            var f = scaleFactor!.Value;
            // "area" has no scale-aware kernel, so PyTorch always recomputes for it.
            bool recompute = recomputeScaleFactor == true || mode == InterpolationMode.Area;
            outH = Shape.InterpolateOutputSize(inH, f.H, recompute);
            outW = Shape.InterpolateOutputSize(inW, f.W, recompute);
            if (!recompute) (scaleH, scaleW) = (f.H, f.W);
        }

        if (mode == InterpolationMode.Area) Shape.CheckAdaptiveAvgPool2d(input.ShapeRef, outH, outW);
        else Shape.CheckUpsample2d(input.ShapeRef, outH, outW);
        var plan = new ResamplePlan(mode, inH, inW, outH, outW, alignCorners ?? false, scaleH, scaleW);
        return InterpolateFunction.Apply(input, plan);
    }

    /// <summary>PyTorch's string for a mode ("nearest", "nearest-exact", "bilinear", "bicubic", "area").</summary>
    internal static string PyTorchName(this InterpolationMode mode) => mode switch
    {
        InterpolationMode.Nearest => "nearest",
        InterpolationMode.NearestExact => "nearest-exact",
        InterpolationMode.Bilinear => "bilinear",
        InterpolationMode.Bicubic => "bicubic",
        InterpolationMode.Area => "area",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown interpolation mode"),
    };
}
