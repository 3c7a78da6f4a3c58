using System.Globalization;

namespace MiniTorch.Nn;

/// <summary>
/// A (height, width) pair of scale factors. It converts implicitly from a <c>double</c> (both
/// sides equal) and from a <c>(double, double)</c> tuple, so <c>scaleFactor: 2.0</c> and
/// <c>scaleFactor: (1.5, 2.0)</c> both read like PyTorch's <c>scale_factor</c>.
/// </summary>
/// <param name="H">The factor along the height (rows).</param>
/// <param name="W">The factor along the width (columns).</param>
public readonly record struct Scale2(double H, double W)
{
    /// <summary>The same factor for both sides.</summary>
    public static implicit operator Scale2(double value) => new(value, value);

    /// <summary>A (height, width) tuple.</summary>
    public static implicit operator Scale2((double H, double W) value) => new(value.H, value.W);

    /// <summary>Formats as Python prints it: <c>2.0</c> for equal sides, else <c>(1.5, 2.0)</c>.</summary>
    public override string ToString() => H.Equals(W) ? Python(H) : $"({Python(H)}, {Python(W)})";

    /// <summary>A float as Python's repr writes it (always with a decimal point).</summary>
    internal static string Python(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        var s = v.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }
}
