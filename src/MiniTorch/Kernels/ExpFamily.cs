using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace MiniTorch.Kernels;

/// <summary>
/// e^x, tanh x and σ(x) over spans, the same bits for an element wherever it sits and whenever it is computed.
/// <para>
/// <see cref="TensorPrimitives"/>' float32 versions are that (checked at every destination alignment, on tier-0 and
/// optimised JIT code, Vector512/256). Its float64 versions (System.Numerics.Tensors 11.0.0) are not: a vector that
/// holds a NaN, an infinity or a value outside exp's range computes its other lanes by another formula, so such an
/// element's last bit depends on which neighbours share its vector — on the destination's alignment — and on the JIT
/// tier running the call (tier-0 code and optimised code disagree there too). Float64 is MiniTorch's checking dtype, so
/// in float64 these three go element by element through <see cref="Math"/> (the C library's exp and tanh): slower, and
/// a function of the element alone. <c>ExpFamilyTests</c> hold both halves of that to every alignment.
/// </para>
/// </summary>
internal static class ExpFamily
{
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double)) { TensorPrimitives.Exp(x, y); return; }
        ReadOnlySpan<double> xs = Doubles(x); Span<double> ys = Doubles(y);
        for (int i = 0; i < ys.Length; i++) ys[i] = Math.Exp(xs[i]);
    }

    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double)) { TensorPrimitives.Tanh(x, y); return; }
        ReadOnlySpan<double> xs = Doubles(x); Span<double> ys = Doubles(y);
        for (int i = 0; i < ys.Length; i++) ys[i] = Math.Tanh(xs[i]);
    }

    /// <summary>1/(1+e^(−x)), as TensorPrimitives and PyTorch compute it: 0 below exp's range, never NaN for finite x.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double)) { TensorPrimitives.Sigmoid(x, y); return; }
        ReadOnlySpan<double> xs = Doubles(x); Span<double> ys = Doubles(y);
        for (int i = 0; i < ys.Length; i++) ys[i] = 1.0 / (1.0 + Math.Exp(-xs[i]));
    }

    private static ReadOnlySpan<double> Doubles<T>(ReadOnlySpan<T> s) where T : unmanaged => MemoryMarshal.Cast<T, double>(s);
    private static Span<double> Doubles<T>(Span<T> s) where T : unmanaged => MemoryMarshal.Cast<T, double>(s);
}
