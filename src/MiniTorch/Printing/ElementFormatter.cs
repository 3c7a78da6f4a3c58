namespace MiniTorch.Printing;

/// <summary>
/// PyTorch's <c>_Formatter</c> (torch/_tensor_str.py, 1.13) for floating tensors: looks at the
/// non-zero finite values once to choose integer mode (<c>1.</c>), fixed mode (<c>1.0000</c>) or
/// scientific mode (<c>1.0000e+00</c>), and the column width every element is padded to.
/// </summary>
/// <remarks>
/// The width is measured on the non-zero finite values only, starting from 1, exactly as PyTorch
/// does, so zeros, nan and inf can be wider than <see cref="Width"/> (then they are not padded and
/// the row wrapping, which uses <see cref="Width"/>, lets lines grow past 80 characters, as in
/// PyTorch).
/// </remarks>
internal sealed class ElementFormatter
{
    /// <summary>PyTorch's default print precision (digits after the point).</summary>
    public const int Precision = 4;

    private readonly bool _intMode = true, _sciMode;

    /// <summary>The width every formatted element is left-padded to.</summary>
    public int Width { get; } = 1;

    public ElementFormatter(IEnumerable<double> values)
    {
        var finite = values.Where(v => double.IsFinite(v) && v != 0).ToList();
        if (finite.Count == 0) return;
        // PyTorch takes min and max of |x| in the tensor's dtype and divides them as doubles;
        // for float32 values widened to double that is the same arithmetic.
        double min = finite.Min(Math.Abs), max = finite.Max(Math.Abs);
        _intMode = finite.All(v => v == Math.Ceiling(v));
        if (_intMode)
        {
            if (max / min > 1000.0 || max > 1.0e8) _sciMode = true;
            else Width = Math.Max(Width, finite.Max(v => PythonFloat.Fixed(v, 0).Length + 1));
        }
        else _sciMode = max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4;
        if (_sciMode) Width = Math.Max(Width, finite.Max(v => PythonFloat.Scientific(v, Precision).Length));
        else if (!_intMode) Width = Math.Max(Width, finite.Max(v => PythonFloat.Fixed(v, Precision).Length));
    }

    /// <summary>One element as PyTorch prints it, left-padded to <see cref="Width"/>.</summary>
    public string Format(double value)
    {
        string text;
        if (_sciMode) text = PythonFloat.Scientific(value, Precision);
        else if (_intMode)
        {
            text = PythonFloat.Fixed(value, 0);
            if (double.IsFinite(value)) text += ".";
        }
        else text = PythonFloat.Fixed(value, Precision);
        return text.PadLeft(Width);
    }
}
