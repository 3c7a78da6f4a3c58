using System.Globalization;

namespace ConvTransposeTour;

/// <summary>Python's way of writing a float, so that numbers printed next to PyTorch tensors read the same way.</summary>
public static class PythonStyle
{
    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest digits that round-trip, fixed notation for exponents
    /// from −4 to 15 (always with a point: <c>4.0</c>), scientific otherwise with at least two
    /// exponent digits (<c>7.62939453125e-06</c>, not .NET's <c>7.62939453125E-06</c>).
    /// </summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string sign = double.IsNegative(value) ? "-" : "";
        if (value == 0) return sign + "0.0";
        // .NET's "R" gives the same shortest round-trip digits; only the layout differs.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E');
        string mantissa = e < 0 ? r : r[..e];
        int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string digits = mantissa.Replace(".", "");
        int integerDigits = dot < 0 ? mantissa.Length : dot;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        int point = integerDigits - lead + exponent; // value = 0.digits × 10^point
        int exp10 = point - 1;
        string body;
        if (exp10 >= -4 && exp10 < 16)
            body = point <= 0 ? "0." + new string('0', -point) + digits
                 : point >= digits.Length ? digits + new string('0', point - digits.Length) + ".0"
                 : digits[..point] + "." + digits[point..];
        else
            body = digits[..1] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (exp10 < 0 ? "-" : "+") +
                   Math.Abs(exp10).ToString("00", CultureInfo.InvariantCulture);
        return sign + body;
    }
}
