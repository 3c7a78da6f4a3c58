using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>The smooth and piecewise activations with one input (destination last).</summary>
internal enum Activation1
{
    Elu, Celu, Gelu, GeluTanh, Silu, Mish, Softsign, Hardtanh, Hardsigmoid, Hardswish, Threshold, LogSigmoid,
}

/// <summary>
/// Forward values and derivatives dy/dx of <see cref="Activation1"/>s, PyTorch's formulas (including
/// which side of a kink the derivative takes). Parameters a and b are per kind: ELU/CELU/SELU α
/// and scale, Hardtanh min and max, Threshold threshold and value.
/// </summary>
internal static class Pointwise
{
    // SELU's constants, as PyTorch's (to double precision).
    public const double SeluAlpha = 1.6732632423543772848170429916717, SeluScale = 1.0507009873554804934193349852946;
    private const double Sqrt1_2 = 0.70710678118654752440, Sqrt2OverPi = 0.79788456080286535588, InvSqrt2Pi = 0.39894228040143267794, Kappa = 0.044715;

    public static void Forward<T>(Activation1 kind, double a, double b, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length == 0) return; // TensorPrimitives rejects empty spans in some functions
        T A = T.CreateChecked(a), B = T.CreateChecked(b), zero = T.Zero, one = T.One;
        switch (kind)
        {
            case Activation1.Elu: // a = α, b = scale; x·scale if x > 0, else α·scale·(e^x − 1)
                for (int i = 0; i < y.Length; i++) y[i] = x[i] > zero ? x[i] * B : A * B * (T.Exp(x[i]) - one);
                break;
            case Activation1.Celu: // a = α: max(0, x) + min(0, α(e^(x/α) − 1))
                for (int i = 0; i < y.Length; i++) y[i] = x[i] > zero ? x[i] : A * (T.Exp(x[i] / A) - one);
                break;
            case Activation1.Gelu:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] * T.CreateChecked(0.5) * (one + T.CreateChecked(Erf(double.CreateChecked(x[i]) * Sqrt1_2)));
                break;
            case Activation1.GeluTanh:
                for (int i = 0; i < y.Length; i++)
                {
                    T inner = T.CreateChecked(Sqrt2OverPi) * (x[i] + T.CreateChecked(Kappa) * x[i] * x[i] * x[i]);
                    y[i] = T.CreateChecked(0.5) * x[i] * (one + T.Tanh(inner));
                }
                break;
            case Activation1.Silu:
                ExpFamily.Sigmoid(x, y);
                TensorPrimitives.Multiply(x, y, y);
                break;
            case Activation1.Mish: // x·tanh(ln(1 + e^x))
                for (int i = 0; i < y.Length; i++) y[i] = x[i] * T.Tanh(Log1p(T.Exp(x[i])));
                break;
            case Activation1.Softsign:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] / (one + T.Abs(x[i]));
                break;
            case Activation1.Hardtanh: // a = min, b = max: min(max(x, a), b) as PyTorch's clamp (b wins when a > b); NaN stays NaN
                for (int i = 0; i < y.Length; i++) { T v = x[i] < A ? A : x[i]; y[i] = v > B ? B : v; }
                break;
            case Activation1.Hardsigmoid:
                for (int i = 0; i < y.Length; i++) y[i] = Clamp6(x[i] + T.CreateChecked(3)) / T.CreateChecked(6);
                break;
            case Activation1.Hardswish:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] * Clamp6(x[i] + T.CreateChecked(3)) / T.CreateChecked(6);
                break;
            case Activation1.Threshold: // a = threshold, b = value: x if x > threshold, else value (NaN stays NaN)
                for (int i = 0; i < y.Length; i++) y[i] = x[i] <= A ? B : x[i];
                break;
            case Activation1.LogSigmoid: // min(x, 0) − ln(1 + e^(−|x|)), stable for any x
                for (int i = 0; i < y.Length; i++) y[i] = T.Min(x[i], zero) - Log1p(T.Exp(-T.Abs(x[i])));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>d[i] = dy/dx at x[i] (what the backward multiplies g by).</summary>
    /// <summary>
    /// The input scale PyTorch's celu backward uses: <c>1.0 / alpha.toFloat()</c> (derivatives.yaml), so the
    /// gradient is that of e^(x·(1/float(α))), not exactly of the forward's e^(x/α) for an α float32 cannot hold.
    /// </summary>
    public static double CeluInputScale(double alpha) => 1.0 / (float)alpha;

    public static void Derivative<T>(Activation1 kind, double a, double b, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T A = T.CreateChecked(a), B = T.CreateChecked(b), zero = T.Zero, one = T.One;
        switch (kind)
        {
            case Activation1.Elu: // PyTorch's elu_backward: the x ≤ 0 branch at 0, and NaN at NaN (its vectorised kernel)
                for (int i = 0; i < d.Length; i++) d[i] = x[i] > zero ? B : A * B * T.Exp(x[i]);
                break;
            case Activation1.Celu: // PyTorch's celu backward: elu_backward with input_scale 1/float(α), so (1/float(α))·α·e^(x/float(α))
                {
                    T inv = T.CreateChecked(CeluInputScale(a));
                    for (int i = 0; i < d.Length; i++) d[i] = x[i] > zero ? one : inv * A * T.Exp(x[i] * inv);
                }
                break;
            case Activation1.Gelu:
                for (int i = 0; i < d.Length; i++)
                {
                    T cdf = T.CreateChecked(0.5) * (one + T.CreateChecked(Erf(double.CreateChecked(x[i]) * Sqrt1_2)));
                    T pdf = T.Exp(T.CreateChecked(-0.5) * x[i] * x[i]) * T.CreateChecked(InvSqrt2Pi);
                    d[i] = cdf + x[i] * pdf;
                }
                break;
            case Activation1.GeluTanh:
                for (int i = 0; i < d.Length; i++)
                {
                    T x2 = x[i] * x[i];
                    T t = T.Tanh(T.CreateChecked(Sqrt2OverPi) * (x[i] + T.CreateChecked(Kappa) * x2 * x[i]));
                    T left = T.CreateChecked(0.5) * x[i];
                    T leftDerivative = T.CreateChecked(0.5) * (one + t);
                    T rightDerivative = left * (one - t * t) * T.CreateChecked(Sqrt2OverPi) * (one + T.CreateChecked(3 * Kappa) * x2);
                    d[i] = leftDerivative + rightDerivative;
                }
                break;
            case Activation1.Silu:
                for (int i = 0; i < d.Length; i++)
                {
                    T s = one / (one + T.Exp(-x[i]));
                    d[i] = s * (one + x[i] * (one - s));
                }
                break;
            case Activation1.Mish:
                for (int i = 0; i < d.Length; i++)
                {
                    T s = one / (one + T.Exp(-x[i]));
                    T t = T.Tanh(Log1p(T.Exp(x[i])));
                    d[i] = t + x[i] * s * (one - t * t);
                }
                break;
            case Activation1.Softsign: // PyTorch's composite x/(1 + |x|) differentiated: 1/u − |x|/u² (NaN at ±∞, as PyTorch)
                for (int i = 0; i < d.Length; i++) { T u = one + T.Abs(x[i]); d[i] = one / u - T.Abs(x[i]) / (u * u); }
                break;
            case Activation1.Hardtanh: // 0 at and beyond the bounds, and at NaN (PyTorch's vectorised hardtanh_backward)
                for (int i = 0; i < d.Length; i++) d[i] = x[i] > A && x[i] < B ? one : zero;
                break;
            case Activation1.Hardsigmoid: // PyTorch's constant is the float 1.0f/6.0f, in double too
                for (int i = 0; i < d.Length; i++) d[i] = x[i] > T.CreateChecked(-3) && x[i] < T.CreateChecked(3) ? T.CreateChecked(1f / 6f) : zero;
                break;
            case Activation1.Hardswish:
                for (int i = 0; i < d.Length; i++)
                    d[i] = x[i] < T.CreateChecked(-3) ? zero : x[i] <= T.CreateChecked(3) ? x[i] / T.CreateChecked(3) + T.CreateChecked(0.5) : one;
                break;
            case Activation1.Threshold:
                for (int i = 0; i < d.Length; i++) d[i] = x[i] <= A ? zero : one;
                break;
            case Activation1.LogSigmoid: // σ(−x), as PyTorch's log_sigmoid_backward
                for (int i = 0; i < d.Length; i++)
                {
                    T z = T.Exp(-T.Abs(x[i]));
                    d[i] = x[i] < zero ? one - z / (one + z) : z / (one + z);
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static T Clamp6<T>(T v) where T : IFloatingPointIeee754<T> => T.Min(T.Max(v, T.Zero), T.CreateChecked(6));

    /// <summary>ln(1 + v), accurate for small v (the classic correction; .NET's LogP1 is ln(1 + v) as written).</summary>
    public static T Log1p<T>(T v) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + v;
        if (u == T.One) return v;
        if (T.IsPositiveInfinity(u)) return u;
        return T.Log(u) * (v / (u - T.One));
    }

    /// <summary>The error function (MathNet.Numerics, double precision).</summary>
    public static double Erf(double v) => MathNet.Numerics.SpecialFunctions.Erf(v);
}
