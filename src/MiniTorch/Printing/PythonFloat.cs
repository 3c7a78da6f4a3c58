using System.Globalization;
using System.Numerics;

namespace MiniTorch.Printing;

/// <summary>
/// Python's <c>'{:.Nf}'</c> and <c>'{:.Ne}'</c> formatting of a double, digit for digit.
/// </summary>
/// <remarks>
/// Python rounds the exact binary value of the double half-to-even. .NET's "F4"/"E4" round the
/// decimal digits half away from zero, so ties such as 0.03125 print differently (Python:
/// 0.0312), and .NET writes three exponent digits. So the value is scaled exactly with
/// <see cref="BigInteger"/> and rounded here; printing is not a hot path.
/// </remarks>
internal static class PythonFloat
{
    /// <summary>Like Python's <c>'{:.{precision}f}'.format(value)</c>.</summary>
    public static string Fixed(double value, int precision)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        var digits = ScaledRound(Math.Abs(value), precision).ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= precision) digits = new string('0', precision + 1 - digits.Length) + digits;
        var text = precision == 0 ? digits : digits[..^precision] + "." + digits[^precision..];
        return (double.IsNegative(value) ? "-" : "") + text;
    }

    /// <summary>Like Python's <c>'{:.{precision}e}'.format(value)</c>: at least two exponent digits.</summary>
    public static string Scientific(double value, int precision)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        double a = Math.Abs(value);
        int exponent = 0;
        BigInteger n = BigInteger.Zero;
        if (a != 0)
        {
            // Find the exponent with 10^precision ≤ round(a·10^(precision−exponent)) < 10^(precision+1);
            // log10 gives it up to an off-by-one that the loop corrects.
            exponent = (int)Math.Floor(Math.Log10(a));
            var low = BigInteger.Pow(10, precision);
            var high = low * 10;
            while (true)
            {
                n = ScaledRound(a, precision - exponent);
                if (n >= high) exponent++;
                else if (n < low) exponent--;
                else break;
            }
        }
        var digits = n.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        var mantissa = precision == 0 ? digits : digits[..1] + "." + digits[1..];
        var exp = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(2, '0');
        return (double.IsNegative(value) ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }

    /// <summary>Like Python's <c>repr(value)</c>: the shortest digits that round-trip, fixed for 1e-4 ≤ |v| &lt; 1e16, else scientific (<c>1e-05</c>).</summary>
    public static string Repr(double value)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // "E16" would not be shortest; "R" is, in one of two notations: normalise both to digits and an exponent.
        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = 0;
        int ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0) { e = int.Parse(r[(ePos + 1)..], CultureInfo.InvariantCulture); r = r[..ePos]; }
        int dot = r.IndexOf('.');
        string digits = dot < 0 ? r : r[..dot] + r[(dot + 1)..];
        int pointAt = (dot < 0 ? r.Length : dot) + e; // digits[..pointAt] is the integer part
        int lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointAt -= lead;
        if (digits.Length == 0) digits = "0";
        int exponent = pointAt - 1;
        string text;
        if (exponent >= -4 && exponent < 16)
        {
            if (pointAt <= 0) text = "0." + new string('0', -pointAt) + digits;
            else if (pointAt >= digits.Length) text = digits + new string('0', pointAt - digits.Length) + ".0";
            else text = digits[..pointAt] + "." + digits[pointAt..];
        }
        else
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return (value < 0 ? "-" : "") + text;
    }

    // Python prints nan without a sign.
    private static string NonFinite(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    /// <summary>round-half-even(a · 10^k) for a finite a ≥ 0, computed exactly.</summary>
    private static BigInteger ScaledRound(double a, int k)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        // a = mantissa · 2^binaryExponent exactly.
        BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int binaryExponent = (biased == 0 ? 1 : biased) - 1075;
        BigInteger num = mantissa, den = BigInteger.One;
        if (k >= 0) num *= BigInteger.Pow(10, k); else den *= BigInteger.Pow(10, -k);
        if (binaryExponent >= 0) num <<= binaryExponent; else den <<= -binaryExponent;
        var q = BigInteger.DivRem(num, den, out var r);
        int cmp = (r * 2).CompareTo(den);
        return cmp > 0 || (cmp == 0 && !q.IsEven) ? q + 1 : q;
    }
}
