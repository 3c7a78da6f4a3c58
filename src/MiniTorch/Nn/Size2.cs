namespace MiniTorch.Nn;

/// <summary>
/// A (height, width) pair for kernel sizes, strides, paddings and dilations. It converts
/// implicitly from an <c>int</c> (both sides equal) and from an <c>(int, int)</c> tuple, so calls
/// read like PyTorch's: <c>stride: 2</c>, <c>padding: (1, 2)</c>.
/// </summary>
/// <param name="H">The size along the height (rows).</param>
/// <param name="W">The size along the width (columns).</param>
public readonly record struct Size2(int H, int W)
{
    /// <summary>The same value for both sides.</summary>
    public static implicit operator Size2(int value) => new(value, value);

    /// <summary>A (height, width) tuple.</summary>
    public static implicit operator Size2((int H, int W) value) => new(value.H, value.W);

    /// <summary>Formats as PyTorch prints a pair, e.g. <c>(3, 3)</c>.</summary>
    public override string ToString() => $"({H}, {W})";

    internal int[] ToArray() => [H, W];
}
