using MiniTorch.Nn;

namespace MiniTorch.Teaching;

/// <summary>A 2-D overlap map: how many kernel taps of a transposed convolution reach each output position.</summary>
/// <param name="Counts">Counts [height, width]; the outer product of the two 1-D maps.</param>
public sealed record OverlapMap(int[,] Counts)
{
    /// <summary>Counts [height, width]; the outer product of the two 1-D maps.</summary>
    public int[,] Counts { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Counts);

    /// <summary>Rows.</summary>
    public int Height => Counts.GetLength(0);
    /// <summary>Columns.</summary>
    public int Width => Counts.GetLength(1);
    /// <summary>The smallest count.</summary>
    public int Min => Counts.Cast<int>().Min();
    /// <summary>The largest count.</summary>
    public int Max => Counts.Cast<int>().Max();

    /// <summary>The counts as a tensor [height, width] in <paramref name="dtype"/>.</summary>
    public Tensor ToTensor(DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        var values = new double[Height * Width];
        for (int r = 0; r < Height; r++)
            for (int q = 0; q < Width; q++) values[r * Width + q] = Counts[r, q];
        var t = Torch.FromArray(values, Height, Width);
        return t.To(dtype);
    }
}

public static partial class TransposedConv
{
    /// <summary>
    /// Counts, for each output position of a 1-D transposed convolution over <paramref name="length"/>
    /// inputs, how many kernel taps land on it. Uneven counts in the interior (k not divisible by s)
    /// are the source of checkerboard artifacts.
    /// </summary>
    /// <remarks>
    /// count[o] = #{(h, i) : h·s + i·d − p = o}; it equals ConvTranspose2d of ones with a ones kernel.
    /// In the interior it repeats with period s, taking the values ⌈k/s⌉ and ⌊k/s⌋ (for d = 1).
    /// </remarks>
    /// <param name="kernel">Kernel length k.</param>
    /// <param name="stride">Stride s.</param>
    /// <param name="length">Input length.</param>
    /// <param name="padding">Positions cropped from each end (default 0).</param>
    /// <param name="dilation">Spacing of the taps (default 1).</param>
    /// <param name="outputPadding">Extra (zero-count) positions at the far end (default 0).</param>
    public static int[] Overlap(int kernel, int stride, int length, int padding = 0, int dilation = 1, int outputPadding = 0)
    {
        Shape.OverlapArguments(kernel, stride, length, padding, dilation, outputPadding);
        int full = (length - 1) * stride + dilation * (kernel - 1) + 1 + outputPadding;
        var counts = new int[full - 2 * padding];
        for (int h = 0; h < length; h++)
            for (int i = 0; i < kernel; i++)
            {
                int o = h * stride + i * dilation - padding;
                if (o >= 0 && o < counts.Length) counts[o]++;
            }
        return counts;
    }

    /// <summary>The 2-D overlap map: taps reaching each output position of a 2-D transposed convolution.</summary>
    /// <remarks>count[r, q] = count_H[r]·count_W[q], because each 2-D tap is a pair of 1-D taps.</remarks>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="length">Input height and width.</param>
    /// <param name="padding">Cropped from each side (default 0).</param>
    /// <param name="dilation">Spacing of the taps (default 1).</param>
    /// <param name="outputPadding">Extra (zero-count) rows/columns at the bottom/right (default 0).</param>
    public static OverlapMap Overlap(Size2 kernel, Size2 stride, Size2 length, Size2? padding = null, Size2? dilation = null, Size2? outputPadding = null)
    {
        Size2 p = padding ?? 0, d = dilation ?? 1, op = outputPadding ?? 0;
        Shape.OverlapArguments(kernel.H, stride.H, length.H, p.H, d.H, op.H);
        Shape.OverlapArguments(kernel.W, stride.W, length.W, p.W, d.W, op.W);
        int fullH = (length.H - 1) * stride.H + d.H * (kernel.H - 1) + 1 + op.H, fullW = (length.W - 1) * stride.W + d.W * (kernel.W - 1) + 1 + op.W;
        var counts = new int[fullH - 2 * p.H, fullW - 2 * p.W];
        // Count 2-D taps directly (not as the outer product) so the product rule is something a test can check.
        for (int h = 0; h < length.H; h++)
        for (int v = 0; v < length.W; v++)
        for (int i = 0; i < kernel.H; i++)
        for (int j = 0; j < kernel.W; j++)
        {
            int r = h * stride.H + i * d.H - p.H, q = v * stride.W + j * d.W - p.W;
            if (r >= 0 && r < counts.GetLength(0) && q >= 0 && q < counts.GetLength(1)) counts[r, q]++;
        }
        return new OverlapMap(counts);
    }
}
