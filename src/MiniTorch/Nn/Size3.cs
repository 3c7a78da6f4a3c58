namespace MiniTorch.Nn;

/// <summary>
/// A (depth, height, width) triple for 3-d kernel sizes, strides, paddings and dilations. It
/// converts implicitly from an <c>int</c> (all three equal) and from an <c>(int, int, int)</c> tuple,
/// so calls read like PyTorch's: <c>stride: 2</c>, <c>padding: (1, 2, 2)</c>.
/// </summary>
/// <param name="D">The size along the depth.</param>
/// <param name="H">The size along the height (rows).</param>
/// <param name="W">The size along the width (columns).</param>
public readonly record struct Size3(int D, int H, int W)
{
    /// <summary>The same value for all three sides.</summary>
    public static implicit operator Size3(int value) => new(value, value, value);

    /// <summary>A (depth, height, width) tuple.</summary>
    public static implicit operator Size3((int D, int H, int W) value) => new(value.D, value.H, value.W);

    /// <summary>Formats as PyTorch prints a triple, e.g. <c>(3, 3, 3)</c>.</summary>
    public override string ToString() => $"({D}, {H}, {W})";

    internal int[] ToArray() => [D, H, W];
}
