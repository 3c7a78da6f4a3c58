using MiniTorch.Nn;

namespace MiniTorch;

/// <summary>
/// The geometry shared by Conv2d, ConvTranspose2d and the weight gradient: one pair of index maps.
/// The "big" side is Conv2d's input and ConvTranspose2d's output, [N, C, H, W]; the "small" side is
/// Conv2d's output and ConvTranspose2d's input, [N, K, OH, OW]; the weight is [K, C/groups, KH, KW].
/// Small position (oh, ow) and tap (i, j) touch big position (oh·SH − PH + i·DH, ow·SW − PW + j·DW);
/// big positions outside [0, H) × [0, W) are zeros. PH/PW are the top/left paddings; the
/// bottom/right padding is implied by H and W, so asymmetric 'same' paddings need no special case.
/// </summary>
internal readonly record struct ConvGeometry(
    int N, int C, int H, int W, int K, int OH, int OW,
    int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int Groups)
{
    /// <summary>Big-side channels per group.</summary>
    public int Cg => C / Groups;
    /// <summary>Small-side channels per group.</summary>
    public int Kg => K / Groups;
    public int[] BigShape => [N, C, H, W];
    public int[] SmallShape => [N, K, OH, OW];
}

public static partial class Shape
{
    /// <summary>Conv2d's output length along one dimension: ⌊(size + 2p − d(k−1) − 1)/s⌋ + 1.</summary>
    public static int ConvOutputSize(int size, int kernel, int stride, int padding, int dilation) =>
        ConvOutputSize(size, kernel, stride, padding, padding, dilation);

    private static int ConvOutputSize(int size, int kernel, int stride, int padBefore, int padAfter, int dilation) =>
        FloorDiv(size + padBefore + padAfter - dilation * (kernel - 1) - 1, stride) + 1;

    /// <summary>ConvTranspose2d's output length along one dimension: (size − 1)s − 2p + d(k−1) + outputPadding + 1.</summary>
    /// <remarks>The inverse of <see cref="ConvOutputSize(int, int, int, int, int)"/>: Conv2d maps every length in
    /// [result − outputPadding, result − outputPadding + s − 1] back to <paramref name="size"/>.</remarks>
    public static int ConvTransposeOutputSize(int size, int kernel, int stride, int padding, int outputPadding, int dilation) =>
        (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    /// <summary>
    /// The outputPadding with which ConvTranspose2d maps Conv2d's output back to an input of length
    /// <paramref name="size"/>: a = (size + 2p − d(k−1) − 1) mod s (the remainder Conv2d's floor drops).
    /// </summary>
    public static int ConvAdjointOutputPadding(int size, int kernel, int stride, int padding, int dilation) =>
        (size + 2 * padding - dilation * (kernel - 1) - 1) % stride;

    /// <summary>PyTorch's <c>padding='same'</c> split: total d(k−1), total/2 before, the rest after.</summary>
    public static (int Before, int After) SamePadding(int kernel, int dilation)
    {
        int total = dilation * (kernel - 1);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// Keras' <c>Conv2DTranspose(padding='same')</c> crop of the full output (size−1)s + k_eff along one
    /// dimension: k_eff − s in total, ⌊·/2⌋ before and the rest after; a negative total means the
    /// output is extended by s − k_eff zeros at the end instead, so the output is size·s.
    /// </summary>
    public static (int Before, int After) KerasTransposeSameCrop(int kernel, int stride, int dilation)
    {
        int total = dilation * (kernel - 1) + 1 - stride;
        int before = Math.Max(FloorDiv(total, 2), 0);
        return (before, total - before);
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>Checks a conv input's rank; returns true when it is unbatched [C, H, W].</summary>
    internal static bool CheckConvInputRank(int[] input, string op)
    {
        if (input.Length != 3 && input.Length != 4)
            throw new ArgumentException($"Expected 3D (unbatched) or 4D (batched) input to {op}, but got input of size: {Format(input)}");
        return input.Length == 3;
    }

    private static void CheckCommon(int[] input, int[] weight, Size2 stride, Size2 padding, Size2 dilation, int groups, bool transposed)
    {
        if (weight.Length != 4)
            throw new ArgumentException($"Expected {weight.Length}-dimensional input for {weight.Length}-dimensional weight {Format(weight)}, but got 4-dimensional input of size {Format(input)} instead");
        if (stride.H <= 0 || stride.W <= 0) throw new ArgumentException("non-positive stride is not supported");
        if (padding.H < 0 || padding.W < 0) throw new ArgumentException("negative padding is not supported");
        if (dilation.H <= 0 || dilation.W <= 0)
            throw new ArgumentException(transposed
                ? $"dilation should be greater than zero, but got dilation_height: {dilation.H}, dilation_width: {dilation.W}"
                : "non-positive dilation is not supported");
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        if (weight[0] < groups)
            throw new ArgumentException($"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of size {Format(weight)} instead");
        if (weight[0] % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{Format(weight)}] instead");
    }

    /// <summary>Validates Conv2d's arguments (input already [N, C, H, W]) as PyTorch does and returns the geometry.</summary>
    internal static ConvGeometry Conv2d(int[] input, int[] weight, int[]? bias, Size2 stride, Padding2d padding, Size2 dilation, int groups)
    {
        var explicitPad = padding.IsSame || padding.IsValid ? new Size2(0, 0) : new Size2(padding.H, padding.W);
        CheckCommon(input, weight, stride, explicitPad, dilation, groups, transposed: false);
        if (input[1] != weight[1] * groups)
            throw new ArgumentException($"Given groups={groups}, weight of size {Format(weight)}, expected input{Format(input)} to have {weight[1] * groups} channels, but got {input[1]} channels instead");
        if (bias is not null && (bias.Length != 1 || bias[0] != weight[0]))
            throw new ArgumentException($"Given weight of size {Format(weight)}, expected bias to be 1-dimensional with {weight[0]} elements, but got bias of size {Format(bias)} instead");
        (int top, int bottom, int left, int right) = (explicitPad.H, explicitPad.H, explicitPad.W, explicitPad.W);
        if (padding.IsSame)
        {
            if (stride.H != 1 || stride.W != 1) throw new ArgumentException("padding='same' is not supported for strided convolutions");
            (top, bottom) = SamePadding(weight[2], dilation.H);
            (left, right) = SamePadding(weight[3], dilation.W);
        }
        int kh = dilation.H * (weight[2] - 1) + 1, kw = dilation.W * (weight[3] - 1) + 1;
        int ph = input[2] + top + bottom, pw = input[3] + left + right;
        if (ph < kh || pw < kw)
            throw new ArgumentException($"Calculated padded input size per channel: ({ph} x {pw}). Kernel size: ({kh} x {kw}). Kernel size can't be greater than actual input size");
        int oh = ConvOutputSize(input[2], weight[2], stride.H, top, bottom, dilation.H);
        int ow = ConvOutputSize(input[3], weight[3], stride.W, left, right, dilation.W);
        return new ConvGeometry(input[0], input[1], input[2], input[3], weight[0], oh, ow, weight[2], weight[3],
                                stride.H, stride.W, top, left, dilation.H, dilation.W, groups);
    }

    /// <summary>Validates ConvTranspose2d's arguments (input already [N, C, H, W]) as PyTorch does and returns the geometry.</summary>
    internal static ConvGeometry ConvTranspose2d(int[] input, int[] weight, int[]? bias, Size2 stride, Padding2d padding, Size2 outputPadding, int groups, Size2 dilation)
    {
        bool keras = padding.IsSame || padding.IsValid;
        var explicitPad = keras ? new Size2(0, 0) : new Size2(padding.H, padding.W);
        CheckCommon(input, weight, stride, explicitPad, dilation, groups, transposed: true);
        if (outputPadding.H < 0 || outputPadding.W < 0) throw new ArgumentException("negative output_padding is not supported");
        if (input[1] != weight[0])
            throw new ArgumentException($"Given transposed=1, weight of size {Format(weight)}, expected input{Format(input)} to have {weight[0]} channels, but got {input[1]} channels instead");
        if (bias is not null && (bias.Length != 1 || bias[0] != weight[1] * groups))
            throw new ArgumentException($"Given transposed=1, weight of size {Format(weight)}, expected bias to be 1-dimensional with {weight[1] * groups} elements, but got bias of size {Format(bias)} instead");
        if (!(outputPadding.H < stride.H || outputPadding.H < dilation.H) || !(outputPadding.W < stride.W || outputPadding.W < dilation.W))
            throw new ArgumentException(
                $"output padding must be smaller than either stride or dilation, but got output_padding_height: {outputPadding.H} output_padding_width: {outputPadding.W} " +
                $"stride_height: {stride.H} stride_width: {stride.W} dilation_height: {dilation.H} dilation_width: {dilation.W}");
        if (keras && (outputPadding.H != 0 || outputPadding.W != 0))
            throw new ArgumentException($"outputPadding cannot be combined with padding={padding}: Keras' 'same' and 'valid' determine the output size themselves");
        int top, left, h, w;
        if (keras)
        {
            int kh = dilation.H * (weight[2] - 1) + 1, kw = dilation.W * (weight[3] - 1) + 1;
            if (padding.IsSame)
            {
                top = KerasTransposeSameCrop(weight[2], stride.H, dilation.H).Before;
                left = KerasTransposeSameCrop(weight[3], stride.W, dilation.W).Before;
                (h, w) = (input[2] * stride.H, input[3] * stride.W);
            }
            else
            {
                (top, left) = (0, 0);
                (h, w) = ((input[2] - 1) * stride.H + Math.Max(kh, stride.H), (input[3] - 1) * stride.W + Math.Max(kw, stride.W));
            }
        }
        else
        {
            (top, left) = (explicitPad.H, explicitPad.W);
            h = ConvTransposeOutputSize(input[2], weight[2], stride.H, explicitPad.H, outputPadding.H, dilation.H);
            w = ConvTransposeOutputSize(input[3], weight[3], stride.W, explicitPad.W, outputPadding.W, dilation.W);
        }
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"Given input size per channel: ({input[2]} x {input[3]}). Calculated output size per channel: ({h} x {w}). Output size is too small");
        return new ConvGeometry(input[0], weight[1] * groups, h, w, input[1], input[2], input[3], weight[2], weight[3],
                                stride.H, stride.W, top, left, dilation.H, dilation.W, groups);
    }

    /// <summary>
    /// The outputPadding that makes ConvTranspose2d produce <paramref name="outputSize"/> (PyTorch's
    /// <c>_output_padding</c>): sizes in [min, min + s − 1] per dimension are accepted.
    /// </summary>
    internal static Size2 ConvTransposeOutputPadding(int[] input, int[] outputSize, Size2 kernel, Size2 stride, Size2 padding, Size2 dilation)
    {
        int spatialStart = input.Length == 4 ? 2 : 1;
        var size = outputSize;
        if (size.Length == spatialStart + 2) size = size[spatialStart..];
        if (size.Length != 2)
            throw new ArgumentException($"ConvTranspose2D: for {input.Length}D input, output_size must have 2 or {spatialStart + 2} elements (got {outputSize.Length})");
        int minH = ConvTransposeOutputSize(input[spatialStart], kernel.H, stride.H, padding.H, 0, dilation.H);
        int minW = ConvTransposeOutputSize(input[spatialStart + 1], kernel.W, stride.W, padding.W, 0, dilation.W);
        int[] min = [minH, minW], max = [minH + stride.H - 1, minW + stride.W - 1];
        for (int d = 0; d < 2; d++)
            if (size[d] < min[d] || size[d] > max[d])
                throw new ArgumentException($"requested an output size of {Format(size)}, but valid sizes range from {Format(min)} to {Format(max)} (for an input of {Format(input[spatialStart..])})");
        return new Size2(size[0] - minH, size[1] - minW);
    }
}
