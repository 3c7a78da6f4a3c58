namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// Pooling's output length along one dimension, as PyTorch's <c>pooling_output_shape</c>:
    /// ⌊(size + 2p − d(k − 1) − 1 [+ s − 1 with ceilMode]) / s⌋ + 1, and with ceilMode one less if
    /// the last window would start beyond the input and its left padding.
    /// </summary>
    public static int PoolOutputSize(int size, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        // In 64 bits: a dilation or stride near 2³¹ must not wrap.
        long n = FloorDiv((long)size + 2L * padding - (long)dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1L : 0), stride) + 1;
        if (ceilMode && (n - 1) * stride >= (long)size + padding) n--;
        return CheckedSize(n, "the pooling's output size");
    }

    /// <summary>
    /// The geometry of a max or average pooling of a [N, C, spatial…] (or unbatched [C, spatial…])
    /// input in the convolution's N-d terms: the big side is the input, the small side the output,
    /// channels map one to one (groups = C). Checks the arguments with PyTorch's messages.
    /// </summary>
    internal static ConvGeometry Pool(string op, int rank, ReadOnlySpan<int> input, int[] kernel, int[] stride, int[] padding, int[] dilation, bool ceilMode)
    {
        if (input.Length != rank + 1 && input.Length != rank + 2)
            throw new ArgumentException($"{op}: Expected {rank + 1}D or {rank + 2}D (batch mode) tensor with optional 0 dim batch size for input, but got: {Format(input)}");
        for (int i = input.Length - rank - 1; i < input.Length; i++)
            if (input[i] == 0)
                throw new ArgumentException($"{op}: Expected {rank + 1}D or {rank + 2}D (batch mode) tensor with optional 0 dim batch size for input, but got: {Format(input)}");
        string Args(int[] v) => string.Join(", ", v);
        if (kernel.Any(k => k <= 0)) throw new ArgumentException($"{op}: kernel_size should be greater than zero, but got ({Args(kernel)})");
        if (stride.Any(s => s <= 0)) throw new ArgumentException($"{op}: stride should be greater than zero, but got ({Args(stride)})");
        if (dilation.Any(d => d <= 0)) throw new ArgumentException($"{op}: dilation should be greater than zero, but got ({Args(dilation)})");
        for (int i = 0; i < rank; i++)
            if (padding[i] < 0 || padding[i] > kernel[i] / 2)
                throw new ArgumentException($"{op}: pad should be at most half of effective kernel size, but got pad={padding[i]}, kernel_size={kernel[i]} and dilation={dilation[i]}");
        var spatial = input[^rank..];
        var output = new int[rank];
        for (int i = 0; i < rank; i++) output[i] = PoolOutputSize(spatial[i], kernel[i], stride[i], padding[i], dilation[i], ceilMode);
        if (output.Any(o => o < 1))
            throw new ArgumentException(
                $"{op}: Given input size: ({string.Join("x", input[^(rank + 1)..].ToArray())}). Calculated output size: ({input[^(rank + 1)]}x{string.Join("x", output)}). Output size is too small");
        int n = input.Length == rank + 2 ? input[0] : 1, c = input[^(rank + 1)];
        int[] Pad3(int[] v, int fill) => [.. Enumerable.Repeat(fill, 3 - rank), .. v];
        int[] big = Pad3(spatial.ToArray(), 1), small = Pad3(output, 1), k = Pad3(kernel, 1), s = Pad3(stride, 1), p = Pad3(padding, 0), d = Pad3(dilation, 1);
        return new ConvGeometry
        {
            Rank = rank, N = n, Groups = c, BigC = c, SmallC = c,
            BigD = big[0], BigH = big[1], BigW = big[2], SmallD = small[0], SmallH = small[1], SmallW = small[2],
            KD = k[0], KH = k[1], KW = k[2], SD = s[0], SH = s[1], SW = s[2], PD = p[0], PH = p[1], PW = p[2], DD = d[0], DH = d[1], DW = d[2],
        };
    }

    /// <summary>
    /// avg_pool3d's extra check (PyTorch's <c>pool3d_shape_check</c> with check_input_size): the input
    /// itself, before padding, must be at least as large as the kernel in every dimension.
    /// </summary>
    internal static void CheckAvgPool3dInput(ReadOnlySpan<int> input, int[] kernel)
    {
        var s = input[^3..];
        if (s[0] < kernel[0] || s[1] < kernel[1] || s[2] < kernel[2])
            throw new ArgumentException($"input image (T: {s[0]} H: {s[1]} W: {s[2]}) smaller than kernel size (kT: {kernel[0]} kH: {kernel[1]} kW: {kernel[2]})");
    }

    /// <summary>Checks an adaptive pooling input [N, C, spatial…] or [C, spatial…] and output size, with PyTorch's messages.</summary>
    internal static void CheckAdaptivePool(string op, int rank, ReadOnlySpan<int> input, ReadOnlySpan<int> output)
    {
        if (input.Length != rank + 1 && input.Length != rank + 2)
            throw new ArgumentException($"{op}(): Expected {rank + 1}D or {rank + 2}D tensor, but got {Format(input)}");
        for (int i = input.Length - rank; i < input.Length; i++)
            if (input[i] == 0)
                throw new ArgumentException($"{op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {Format(input)} with dimension {i} being empty");
        if (output.Length != rank) throw new ArgumentException($"{op}: output_size must be {rank}, got {output.Length} values");
        foreach (var o in output)
            if (o < 0) throw new ArgumentException($"{op}: elements of output_size must be greater than or equal to 0 but received {Format(output)}");
    }
}

public static partial class Shape
{
    /// <summary>max_unpool's spatial output size: (in − 1)·s − 2p + k, or a requested size within ±(s − 1) of it (PyTorch's <c>_unpool_output_size</c>).</summary>
    public static int[] UnpoolOutputSize(ReadOnlySpan<int> input, int[] kernel, int[] stride, int[] padding, int[]? requested)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(stride);
        ArgumentNullException.ThrowIfNull(padding);
        int rank = kernel.Length;
        var size = new int[rank];
        for (int d = 0; d < rank; d++)
            size[d] = CheckedSize((long)(input[d] - 1) * stride[d] + kernel[d] - 2L * padding[d], "max_unpool's output size");
        if (requested is null) return size;
        var r = requested.Length == rank + 2 ? requested[2..] : requested;
        if (r.Length != rank)
            throw new ArgumentException($"output_size should be a sequence containing {rank} or {rank + 2} elements, but it has a length of '{requested.Length}'");
        for (int d = 0; d < rank; d++)
        {
            long min = (long)size[d] - stride[d], max = (long)size[d] + stride[d];
            if (!(min < r[d] && r[d] < max))
                throw new ArgumentException($"invalid output_size \"{Format(requested)}\" (dim {d} must be between {min} and {max})");
        }
        return (int[])r.Clone();
    }
}
