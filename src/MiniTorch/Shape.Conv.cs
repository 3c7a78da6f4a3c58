namespace MiniTorch;

/// <summary>How a convolution's padding argument is given: explicit amounts, or the string modes.</summary>
internal enum ConvPaddingKind { Explicit, Same, Valid }

/// <summary>
/// A convolution's padding argument in any rank, as Shape reads it (the Nn layer's Padding1d /
/// Padding2d / Padding3d convert to this): the kind, and for explicit padding one amount per
/// spatial dimension, applied on both sides.
/// </summary>
internal readonly record struct ConvPadding(ConvPaddingKind Kind, int[] Amounts)
{
    public bool IsSame => Kind == ConvPaddingKind.Same;
    public bool IsValid => Kind == ConvPaddingKind.Valid;
    /// <summary>Explicit amounts, or zeros for 'same'/'valid'.</summary>
    public int[] ExplicitOr0(int rank) => Kind == ConvPaddingKind.Explicit ? Amounts : new int[rank];
    /// <summary>As PyTorch prints the argument: <c>(1, 2)</c>, <c>'same'</c> or <c>'valid'</c>.</summary>
    public override string ToString() => Kind switch
    {
        ConvPaddingKind.Same => "'same'",
        ConvPaddingKind.Valid => "'valid'",
        _ => Amounts.Length == 1 ? $"({Amounts[0]},)" : "(" + string.Join(", ", Amounts) + ")",
    };
}

public static partial class Shape
{
    /// <summary>Conv's output length along one dimension: ⌊(size + 2p − d(k−1) − 1)/s⌋ + 1.</summary>
    public static int ConvOutputSize(int size, int kernel, int stride, int padding, int dilation) =>
        ConvOutputSize(size, kernel, stride, padding, padding, dilation);

    private static int ConvOutputSize(int size, int kernel, int stride, int padBefore, int padAfter, int dilation) =>
        CheckedSize(ConvOutputSizeLong(size, kernel, stride, padBefore, padAfter, dilation), "the convolution's output size");

    // In 64 bits: padding and dilation near 2³¹ must not wrap.
    private static long ConvOutputSizeLong(long size, long kernel, long stride, long padBefore, long padAfter, long dilation) =>
        FloorDiv(size + padBefore + padAfter - dilation * (kernel - 1) - 1, stride) + 1;

    /// <summary>ConvTranspose's output length along one dimension: (size − 1)s − 2p + d(k−1) + outputPadding + 1.</summary>
    /// <remarks>The inverse of <see cref="ConvOutputSize(int, int, int, int, int)"/>: convolution maps every length in
    /// [result − outputPadding, result − outputPadding + s − 1] back to <paramref name="size"/>.</remarks>
    public static int ConvTransposeOutputSize(int size, int kernel, int stride, int padding, int outputPadding, int dilation) =>
        CheckedSize(ConvTransposeOutputSizeLong(size, kernel, stride, padding, outputPadding, dilation), "the transposed convolution's output size");

    private static long ConvTransposeOutputSizeLong(long size, long kernel, long stride, long padding, long outputPadding, long dilation) =>
        (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    /// <summary>
    /// The outputPadding with which ConvTranspose maps the convolution's output back to an input of length
    /// <paramref name="size"/>: a = (size + 2p − d(k−1) − 1) mod s (the remainder the convolution's floor drops).
    /// </summary>
    public static int ConvAdjointOutputPadding(int size, int kernel, int stride, int padding, int dilation) =>
        (int)(((long)size + 2L * padding - (long)dilation * (kernel - 1) - 1) % stride);

    /// <summary>PyTorch's <c>padding='same'</c> split: total d(k−1), total/2 before, the rest after.</summary>
    public static (int Before, int After) SamePadding(int kernel, int dilation)
    {
        long total = (long)dilation * (kernel - 1);
        return (CheckedSize(total / 2, "'same' padding"), CheckedSize(total - total / 2, "'same' padding"));
    }

    /// <summary>
    /// Keras' <c>ConvNDTranspose(padding='same')</c> crop of the full output (size−1)s + k_eff along one
    /// dimension: k_eff − s in total, ⌊·/2⌋ before and the rest after; a negative total means the
    /// output is extended by s − k_eff zeros at the end instead, so the output is size·s.
    /// </summary>
    public static (int Before, int After) KerasTransposeSameCrop(int kernel, int stride, int dilation)
    {
        long total = (long)dilation * (kernel - 1) + 1 - stride;
        long before = Math.Max(FloorDiv(total, 2L), 0);
        return (CheckedSize(before, "Keras 'same' crop"), CheckedSize(total - before, "Keras 'same' crop"));
    }

    /// <summary>⌊a/b⌋ for b &gt; 0 (C#'s division truncates toward zero).</summary>
    internal static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>⌊a/b⌋ for b &gt; 0, in 64 bits.</summary>
    internal static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>⌈a/b⌉ for b &gt; 0.</summary>
    internal static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    /// <summary>
    /// The padding of a convolution before and after each spatial dimension: explicit amounts on both
    /// sides, none for 'valid', and for 'same' (stride 1 only) PyTorch's split of d(k−1). The one place
    /// 'same' is resolved: the functional ops, the padding-mode path of the modules and the ONNX export read it.
    /// </summary>
    internal static (int[] Before, int[] After) ConvPaddings(ConvPadding padding, int[] kernel, int[] stride, int[] dilation)
    {
        int rank = kernel.Length;
        var before = new int[rank];
        var after = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            if (padding.IsSame)
            {
                if (stride[d] != 1) throw new ArgumentException("padding='same' is not supported for strided convolutions");
                (before[d], after[d]) = SamePadding(kernel[d], dilation[d]);
            }
            else if (!padding.IsValid) before[d] = after[d] = padding.Amounts[d];
        }
        return (before, after);
    }

    /// <summary>
    /// Keras' transposed 'same'/'valid' along each spatial dimension: the crop before the output
    /// (its leading padding) and the output length, 'same' giving size·s and 'valid' (size−1)s + max(k_eff, s).
    /// </summary>
    internal static (int[] Before, int[] Output) KerasTransposePaddings(bool same, int[] size, int[] kernel, int[] stride, int[] dilation)
    {
        int rank = kernel.Length;
        var before = new int[rank];
        var output = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            long keff = (long)dilation[d] * (kernel[d] - 1) + 1;
            before[d] = same ? KerasTransposeSameCrop(kernel[d], stride[d], dilation[d]).Before : 0;
            output[d] = CheckedSize(same ? (long)size[d] * stride[d] : (long)(size[d] - 1) * stride[d] + Math.Max(keff, stride[d]),
                                    "the transposed convolution's output size");
        }
        return (before, output);
    }

    /// <summary>Checks a conv input's rank (spatial rank + 1 unbatched, + 2 batched); returns true when it is unbatched.</summary>
    internal static bool CheckConvInputRank(int[] input, int spatialRank, string op)
    {
        if (input.Length != spatialRank + 1 && input.Length != spatialRank + 2)
            throw new ArgumentException($"Expected {spatialRank + 1}D (unbatched) or {spatialRank + 2}D (batched) input to {op}, but got input of size: {Format(input)}");
        return input.Length == spatialRank + 1;
    }

    private static string PerChannel(IEnumerable<long> sizes) => "(" + string.Join(" x ", sizes) + ")";

    private static string PerChannel(IEnumerable<int> sizes) => PerChannel(sizes.Select(s => (long)s));

    /// <summary>PyTorch names transposed dims as 2-d ones for a 1-d op (it runs 1-d as 2-d with height 1).</summary>
    private static string[] DimNames(int rank) => rank == 3 ? ["depth", "height", "width"] : ["height", "width"];

    /// <summary>Values as PyTorch's transposed messages show them: rank 1 with a leading height of <paramref name="fill"/>.</summary>
    private static int[] AsTransposedMessage(int[] values, int fill) => values.Length == 1 ? [fill, values[0]] : values;

    private static void CheckCommon(int[] input, int[] weight, int[] stride, int[] padding, int[] dilation, int groups, bool transposed)
    {
        if (weight.Length != input.Length)
            throw new ArgumentException($"Expected {weight.Length}-dimensional input for {weight.Length}-dimensional weight {Format(weight)}, but got {input.Length}-dimensional input of size {Format(input)} instead");
        if (stride.Any(s => s <= 0)) throw new ArgumentException("non-positive stride is not supported");
        if (padding.Any(p => p < 0)) throw new ArgumentException("negative padding is not supported");
        if (dilation.Any(d => d <= 0))
        {
            if (!transposed) throw new ArgumentException("non-positive dilation is not supported");
            var shown = AsTransposedMessage(dilation, 1);
            var names = DimNames(shown.Length);
            throw new ArgumentException("dilation should be greater than zero, but got " + string.Join(", ", names.Select((n, i) => $"dilation_{n}: {shown[i]}")));
        }
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        if (weight[0] < groups)
            throw new ArgumentException($"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got weight of size {Format(weight)} instead");
        if (weight[0] % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{Format(weight)}] instead");
    }

    /// <summary>Checks that a size argument has one value per spatial dimension.</summary>
    private static void CheckArity(string name, int[] values, int rank)
    {
        if (values.Length != rank)
            throw new ArgumentException($"expected {name} to have {rank} value(s), one per spatial dimension, got {values.Length}");
    }

    /// <summary>
    /// Validates a convolution's arguments (input batched, [N, C, spatial…] of spatial rank 1–3) as
    /// PyTorch does and returns the geometry; the convolution's input is the big side.
    /// </summary>
    internal static ConvGeometry Conv(int[] input, int[] weight, int[]? bias, int[] stride, ConvPadding padding, int[] dilation, int groups)
    {
        int rank = input.Length - 2;
        var explicitPad = padding.ExplicitOr0(Math.Max(rank, 0));
        CheckCommon(input, weight, stride, explicitPad, dilation, groups, transposed: false);
        CheckArity("stride", stride, rank); CheckArity("padding", explicitPad, rank); CheckArity("dilation", dilation, rank);
        if (input[1] != (long)weight[1] * groups)
            throw new ArgumentException($"Given groups={groups}, weight of size {Format(weight)}, expected input{Format(input)} to have {(long)weight[1] * groups} channels, but got {input[1]} channels instead");
        if (bias is not null && (bias.Length != 1 || bias[0] != weight[0]))
            throw new ArgumentException($"Given weight of size {Format(weight)}, expected bias to be 1-dimensional with {weight[0]} elements, but got bias of size {Format(bias)} instead");
        int[] kernel = weight[2..], size = input[2..];
        var (before, after) = ConvPaddings(padding, kernel, stride, dilation);
        // In 64 bits, so that padding or dilation near 2³¹ is reported, not wrapped.
        var padded = new long[rank];
        var keff = new long[rank];
        var output = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            keff[d] = (long)dilation[d] * (kernel[d] - 1) + 1;
            padded[d] = (long)size[d] + before[d] + after[d];
        }
        for (int d = 0; d < rank; d++)
            if (padded[d] < keff[d])
                throw new ArgumentException($"Calculated padded input size per channel: {PerChannel(padded)}. Kernel size: {PerChannel(keff)}. Kernel size can't be greater than actual input size");
        for (int d = 0; d < rank; d++)
            output[d] = ConvOutputSize(size[d], kernel[d], stride[d], before[d], after[d], dilation[d]);
        return Make(rank, input[0], groups, input[1], size, weight[0], output, kernel, stride, before, dilation);
    }

    /// <summary>
    /// Validates a transposed convolution's arguments (input batched, [N, C, spatial…]) as PyTorch does
    /// and returns the geometry; the transposed convolution's input is the small side. Padding may also
    /// be Keras' 'same' / 'valid' (see <see cref="KerasTransposePaddings"/>).
    /// </summary>
    internal static ConvGeometry ConvTranspose(int[] input, int[] weight, int[]? bias, int[] stride, ConvPadding padding, int[] outputPadding, int groups, int[] dilation)
    {
        int rank = input.Length - 2;
        bool keras = padding.IsSame || padding.IsValid;
        var explicitPad = padding.ExplicitOr0(Math.Max(rank, 0));
        CheckCommon(input, weight, stride, explicitPad, dilation, groups, transposed: true);
        CheckArity("stride", stride, rank); CheckArity("padding", explicitPad, rank); CheckArity("dilation", dilation, rank);
        CheckArity("outputPadding", outputPadding, rank);
        if (outputPadding.Any(a => a < 0)) throw new ArgumentException("negative output_padding is not supported");
        if (input[1] != weight[0])
            throw new ArgumentException($"Given transposed=1, weight of size {Format(weight)}, expected input{Format(input)} to have {weight[0]} channels, but got {input[1]} channels instead");
        long outChannels = (long)weight[1] * groups;
        if (bias is not null && (bias.Length != 1 || bias[0] != outChannels))
            throw new ArgumentException($"Given transposed=1, weight of size {Format(weight)}, expected bias to be 1-dimensional with {outChannels} elements, but got bias of size {Format(bias)} instead");
        for (int d = 0; d < rank; d++)
            if (!(outputPadding[d] < stride[d] || outputPadding[d] < dilation[d]))
            {
                var names = DimNames(Math.Max(rank, 2));
                var (op, s, dl) = (AsTransposedMessage(outputPadding, 0), AsTransposedMessage(stride, 1), AsTransposedMessage(dilation, 1));
                throw new ArgumentException("output padding must be smaller than either stride or dilation, but got " +
                    string.Join(" ", names.Select((n, i) => $"output_padding_{n}: {op[i]}")) + " " +
                    string.Join(" ", names.Select((n, i) => $"stride_{n}: {s[i]}")) + " " +
                    string.Join(" ", names.Select((n, i) => $"dilation_{n}: {dl[i]}")));
            }
        if (keras && outputPadding.Any(a => a != 0))
            throw new ArgumentException($"outputPadding cannot be combined with padding={padding}: Keras' 'same' and 'valid' determine the output size themselves");
        int[] kernel = weight[2..], size = input[2..];
        int[] before, output;
        if (keras) (before, output) = KerasTransposePaddings(padding.IsSame, size, kernel, stride, dilation);
        else
        {
            before = explicitPad;
            var full = new long[rank];
            for (int d = 0; d < rank; d++)
                full[d] = ConvTransposeOutputSizeLong(size[d], kernel[d], stride[d], explicitPad[d], outputPadding[d], dilation[d]);
            if (full.Any(o => o <= 0))
                throw new ArgumentException($"Given input size per channel: {PerChannel(AsTransposedMessage(size, 1))}. Calculated output size per channel: {PerChannel(full.Length == 1 ? [1, full[0]] : full)}. Output size is too small");
            output = [.. full.Select(o => CheckedSize(o, "the transposed convolution's output size"))];
        }
        if (output.Any(o => o <= 0))
            throw new ArgumentException($"Given input size per channel: {PerChannel(AsTransposedMessage(size, 1))}. Calculated output size per channel: {PerChannel(AsTransposedMessage(output, 1))}. Output size is too small");
        return Make(rank, input[0], groups, CheckedSize(outChannels, "the transposed convolution's output channels"), output, input[1], size, kernel, stride, before, dilation);
    }

    /// <summary>Builds the geometry from per-dimension arrays of the op's rank (missing leading dims are 1, padding 0).</summary>
    private static ConvGeometry Make(int rank, int n, int groups, int bigC, int[] big, int smallC, int[] small, int[] kernel, int[] stride, int[] pad, int[] dilation)
    {
        int At(int[] a, int d, int fill) => d - (3 - rank) >= 0 ? a[d - (3 - rank)] : fill;
        return new ConvGeometry
        {
            Rank = rank, N = n, Groups = groups,
            BigC = bigC, BigD = At(big, 0, 1), BigH = At(big, 1, 1), BigW = At(big, 2, 1),
            SmallC = smallC, SmallD = At(small, 0, 1), SmallH = At(small, 1, 1), SmallW = At(small, 2, 1),
            KD = At(kernel, 0, 1), KH = At(kernel, 1, 1), KW = At(kernel, 2, 1),
            SD = At(stride, 0, 1), SH = At(stride, 1, 1), SW = At(stride, 2, 1),
            PD = At(pad, 0, 0), PH = At(pad, 1, 0), PW = At(pad, 2, 0),
            DD = At(dilation, 0, 1), DH = At(dilation, 1, 1), DW = At(dilation, 2, 1),
        };
    }

    /// <summary>
    /// The outputPadding that makes a transposed convolution produce <paramref name="outputSize"/>
    /// (PyTorch's <c>_output_padding</c>): sizes in [min, min + s − 1] per dimension are accepted.
    /// </summary>
    /// <param name="input">The input shape, batched or not.</param>
    /// <param name="outputSize">The spatial output size, or the whole output shape.</param>
    /// <param name="kernel">Kernel size per spatial dimension (their count is the rank).</param>
    /// <param name="stride">Stride per spatial dimension.</param>
    /// <param name="padding">Padding per spatial dimension.</param>
    /// <param name="dilation">Dilation per spatial dimension.</param>
    internal static int[] ConvTransposeOutputPadding(int[] input, int[] outputSize, int[] kernel, int[] stride, int[] padding, int[] dilation)
    {
        int rank = kernel.Length, spatialStart = input.Length - rank;
        var size = outputSize;
        if (size.Length == spatialStart + rank) size = size[spatialStart..];
        if (size.Length != rank)
            throw new ArgumentException($"ConvTranspose{rank}D: for {input.Length}D input, output_size must have {rank} or {spatialStart + rank} elements (got {outputSize.Length})");
        var min = new long[rank];
        var max = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            min[d] = ConvTransposeOutputSizeLong(input[spatialStart + d], kernel[d], stride[d], padding[d], 0, dilation[d]);
            max[d] = min[d] + stride[d] - 1;
        }
        for (int d = 0; d < rank; d++)
            if (size[d] < min[d] || size[d] > max[d])
                throw new ArgumentException($"requested an output size of {Format(size)}, but valid sizes range from [{string.Join(", ", min)}] to [{string.Join(", ", max)}] (for an input of torch.Size({Format(input[spatialStart..])}))");
        return [.. size.Select((s, d) => (int)(s - min[d]))];
    }
}
