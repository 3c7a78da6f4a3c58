namespace MiniTorch.Nn;

/// <summary>
/// The padding argument of a 1-d convolution: an explicit amount, or the string modes
/// <see cref="Same"/> and <see cref="Valid"/>. It converts implicitly from an <c>int</c> and from
/// the strings <c>"same"</c> / <c>"valid"</c>, so <c>padding: 1</c> and <c>padding: "same"</c> read as in
/// PyTorch; a struct, not an enum, so a literal <c>0</c> can only mean "zero padding".
/// </summary>
public readonly record struct Padding1d
{
    private readonly ConvPaddingKind _kind;

    /// <summary>Explicit padding of <paramref name="length"/> elements at both ends.</summary>
    public Padding1d(int length) { Length = length; _kind = ConvPaddingKind.Explicit; }

    private Padding1d(ConvPaddingKind kind) { _kind = kind; }

    /// <summary>Elements added at each end (0 for <see cref="Same"/> and <see cref="Valid"/>).</summary>
    public int Length { get; }

    /// <summary>
    /// <c>padding='same'</c>: for Conv1d PyTorch's (total d(k−1), half before; stride 1 only); for
    /// ConvTranspose1d Keras' (output = input·stride).
    /// </summary>
    public static Padding1d Same => new(ConvPaddingKind.Same);

    /// <summary><c>padding='valid'</c>: no padding for Conv1d; Keras' (input−1)·stride + max(d(k−1)+1, stride) for ConvTranspose1d.</summary>
    public static Padding1d Valid => new(ConvPaddingKind.Valid);

    /// <summary>True for <see cref="Same"/>.</summary>
    public bool IsSame => _kind == ConvPaddingKind.Same;

    /// <summary>True for <see cref="Valid"/>.</summary>
    public bool IsValid => _kind == ConvPaddingKind.Valid;

    /// <summary>Explicit padding at both ends.</summary>
    public static implicit operator Padding1d(int value) => new(value);

    /// <summary>PyTorch's string form: <c>"same"</c> or <c>"valid"</c> (anything else throws, with PyTorch's message).</summary>
    public static implicit operator Padding1d(string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        return new(PaddingModes.Parse(mode));
    }

    /// <summary>Formats as PyTorch prints the argument: <c>(1,)</c>, <c>'same'</c> or <c>'valid'</c>.</summary>
    public override string ToString() => ToConv().ToString();

    internal ConvPadding ToConv() => new(_kind, [Length]);
}
