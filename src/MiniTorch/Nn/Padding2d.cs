namespace MiniTorch.Nn;

/// <summary>
/// The padding argument of a 2-D convolution: explicit (height, width) amounts, or the string
/// modes <see cref="Same"/> and <see cref="Valid"/>. It converts implicitly from an <c>int</c>, an
/// <c>(int, int)</c> tuple and a <see cref="Size2"/>, so <c>padding: 1</c> and
/// <c>padding: (1, 2)</c> read as in PyTorch. It is a struct, not an enum, so a literal <c>0</c>
/// can only mean "zero padding".
/// </summary>
public readonly record struct Padding2d
{
    private readonly ConvPaddingKind _kind;

    /// <summary>Explicit padding of <paramref name="h"/> rows (top and bottom) and <paramref name="w"/> columns (left and right).</summary>
    public Padding2d(int h, int w) { H = h; W = w; _kind = ConvPaddingKind.Explicit; }

    private Padding2d(ConvPaddingKind kind) { _kind = kind; }

    /// <summary>Rows added at the top and at the bottom (0 for <see cref="Same"/> and <see cref="Valid"/>).</summary>
    public int H { get; }

    /// <summary>Columns added at the left and at the right (0 for <see cref="Same"/> and <see cref="Valid"/>).</summary>
    public int W { get; }

    /// <summary>
    /// PyTorch's <c>padding='same'</c> for Conv2d: total padding d(k−1) per dimension, total/2 on the
    /// top/left and the rest on the bottom/right (stride 1 only). For ConvTranspose2d it is Keras'
    /// <c>'same'</c>: output = input·stride.
    /// </summary>
    public static Padding2d Same => new(ConvPaddingKind.Same);

    /// <summary>
    /// <c>padding='valid'</c>: no padding for Conv2d; for ConvTranspose2d Keras' <c>'valid'</c>,
    /// output = (input−1)·stride + max(d(k−1)+1, stride).
    /// </summary>
    public static Padding2d Valid => new(ConvPaddingKind.Valid);

    /// <summary>True for <see cref="Same"/>.</summary>
    public bool IsSame => _kind == ConvPaddingKind.Same;

    /// <summary>True for <see cref="Valid"/>.</summary>
    public bool IsValid => _kind == ConvPaddingKind.Valid;

    /// <summary>The same explicit padding on both dimensions.</summary>
    public static implicit operator Padding2d(int value) => new(value, value);

    /// <summary>Explicit (height, width) padding.</summary>
    public static implicit operator Padding2d((int H, int W) value) => new(value.H, value.W);

    /// <summary>Explicit padding from a <see cref="Size2"/>.</summary>
    public static implicit operator Padding2d(Size2 value) => new(value.H, value.W);

    /// <summary>PyTorch's string form: <c>"same"</c> or <c>"valid"</c> (anything else throws, with PyTorch's message).</summary>
    public static implicit operator Padding2d(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return new(PaddingModes.Parse(mode));
    }

    /// <summary>Formats as PyTorch prints the argument: <c>(1, 2)</c>, <c>'same'</c> or <c>'valid'</c>.</summary>
    public override string ToString() => ToConv().ToString();

    internal ConvPadding ToConv() => new(_kind, [H, W]);
}
