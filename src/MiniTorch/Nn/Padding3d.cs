namespace MiniTorch.Nn;

/// <summary>
/// The padding argument of a 3-d convolution: explicit (depth, height, width) amounts, or the
/// string modes <see cref="Same"/> and <see cref="Valid"/>. It converts implicitly from an
/// <c>int</c>, an <c>(int, int, int)</c> tuple, a <see cref="Size3"/> and the strings <c>"same"</c> /
/// <c>"valid"</c>; a struct, not an enum, so a literal <c>0</c> can only mean "zero padding".
/// </summary>
public readonly record struct Padding3d
{
    private readonly ConvPaddingKind _kind;

    /// <summary>Explicit padding of <paramref name="d"/> planes, <paramref name="h"/> rows and <paramref name="w"/> columns on each side.</summary>
    public Padding3d(int d, int h, int w) { D = d; H = h; W = w; _kind = ConvPaddingKind.Explicit; }

    private Padding3d(ConvPaddingKind kind) { _kind = kind; }

    /// <summary>Planes added at the front and at the back (0 for <see cref="Same"/> and <see cref="Valid"/>).</summary>
    public int D { get; }

    /// <summary>Rows added at the top and at the bottom (0 for <see cref="Same"/> and <see cref="Valid"/>).</summary>
    public int H { get; }

    /// <summary>Columns added at the left and at the right (0 for <see cref="Same"/> and <see cref="Valid"/>).</summary>
    public int W { get; }

    /// <summary>
    /// <c>padding='same'</c>: for Conv3d PyTorch's (total d(k−1) per dimension, half before; stride 1
    /// only); for ConvTranspose3d Keras' (output = input·stride).
    /// </summary>
    public static Padding3d Same => new(ConvPaddingKind.Same);

    /// <summary><c>padding='valid'</c>: no padding for Conv3d; Keras' (input−1)·stride + max(d(k−1)+1, stride) for ConvTranspose3d.</summary>
    public static Padding3d Valid => new(ConvPaddingKind.Valid);

    /// <summary>True for <see cref="Same"/>.</summary>
    public bool IsSame => _kind == ConvPaddingKind.Same;

    /// <summary>True for <see cref="Valid"/>.</summary>
    public bool IsValid => _kind == ConvPaddingKind.Valid;

    /// <summary>The same explicit padding on all three dimensions.</summary>
    public static implicit operator Padding3d(int value) => new(value, value, value);

    /// <summary>Explicit (depth, height, width) padding.</summary>
    public static implicit operator Padding3d((int D, int H, int W) value) => new(value.D, value.H, value.W);

    /// <summary>Explicit padding from a <see cref="Size3"/>.</summary>
    public static implicit operator Padding3d(Size3 value) => new(value.D, value.H, value.W);

    /// <summary>PyTorch's string form: <c>"same"</c> or <c>"valid"</c> (anything else throws, with PyTorch's message).</summary>
    public static implicit operator Padding3d(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return new(PaddingModes.Parse(mode));
    }

    /// <summary>Formats as PyTorch prints the argument: <c>(1, 2, 2)</c>, <c>'same'</c> or <c>'valid'</c>.</summary>
    public override string ToString() => ToConv().ToString();

    internal ConvPadding ToConv() => new(_kind, [D, H, W]);
}
