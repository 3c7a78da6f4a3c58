namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// The output size of one axis resampled by <paramref name="scale"/>. PyTorch floors in Python
    /// when it recomputes the scale (and for "area"), and truncates in C++ otherwise; both are
    /// ⌊in·scale⌋ for the sizes that are valid.
    /// </summary>
    public static int InterpolateOutputSize(int inSize, double scale, bool recompute)
    {
        if (!double.IsFinite(scale))
            throw new ArgumentException($"scale_factor must be a finite number, got {scale}");
        double v = recompute ? Math.Floor(inSize * scale) : Math.Truncate(inSize * scale);
        if (v > int.MaxValue || v < int.MinValue)
            throw new ArgumentException($"interpolate: output size {v} (input size {inSize} times scale_factor {scale}) cannot be represented");
        return (int)v;
    }

    /// <summary>
    /// The rank check of <c>interpolate</c> for a 2-D (spatial) mode: the input must be
    /// <c>[N, C, H, W]</c>. Messages are PyTorch's for ranks it rejects; for the 1-D and 3-D
    /// forms PyTorch also has (3-D/5-D input in nearest, nearest-exact and area) MiniTorch says so.
    /// </summary>
    public static void CheckInterpolateRank(ReadOnlySpan<int> input, string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        int d = input.Length;
        if (d == 4) return;
        if (mode == "bilinear" && (d is 3 or 5))
            throw new ArgumentException($"Got {d}D input, but bilinear mode needs 4D input");
        if ((mode is "nearest" or "nearest-exact" or "area") && (d is 3 or 5))
            throw new ArgumentException(
                $"interpolate: MiniTorch supports only 4D input [N, C, H, W] (2 spatial dimensions); got {d}D input of shape {Format(input)} for mode {mode}");
        throw new ArgumentException(
            $"Input Error: Only 3D, 4D and 5D input Tensors supported (got {d}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got {mode})");
    }

    /// <summary>PyTorch's <c>upsample_2d_common_check</c>: positive sizes and a non-empty input (an empty batch is allowed).</summary>
    public static void CheckUpsample2d(ReadOnlySpan<int> input, int outH, int outW)
    {
        int inH = input[2], inW = input[3];
        if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0)
            throw new ArgumentException(
                $"Input and output sizes should be greater than 0, but got input (H: {inH}, W: {inW}) output (H: {outH}, W: {outW})");
        if (Numel(input) == 0 && input[1] == 0)
            throw new ArgumentException($"Non-empty 4D data tensor expected but got a tensor with sizes {Format(input)}");
    }

    /// <summary>PyTorch's <c>adaptive_avg_pool2d</c> checks: non-negative output sizes and a non-empty H and W.</summary>
    public static void CheckAdaptiveAvgPool2d(ReadOnlySpan<int> input, int outH, int outW)
    {
        if (outH < 0 || outW < 0)
            throw new ArgumentException(
                $"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {{{outH}, {outW}}}");
        for (int i = 2; i < 4; i++)
            if (input[i] <= 0)
                throw new ArgumentException(
                    $"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Format(input)} with dimension {i} being empty");
    }
}
