namespace MiniTorch;

/// <summary>Numbers as PyTorch's C++ messages print them (<c>std::ostream</c>'s default: 6 significant digits).</summary>
internal static class Numbers
{
    /// <summary>Like C++'s <c>os &lt;&lt; value</c>: <c>nan</c>, <c>inf</c>, <c>1e+10</c>, <c>0.5</c>, <c>2</c>.</summary>
    public static string Cpp(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        var s = value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        if (e < 0) return s;
        // C# writes E+10 / E-05; C++ writes e+10 / e-05 (at least two exponent digits).
        var mantissa = s[..e];
        var sign = s[e + 1];
        var digits = s[(e + 2)..].TrimStart('0').PadLeft(2, '0');
        return $"{mantissa}e{sign}{digits}";
    }
}
