using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MiniTorch.Kernels;

/// <summary>
/// Element type conversions, as PyTorch's <c>.to(dtype)</c> on the CPU: floats to integers truncate
/// toward zero, anything to bool is "not zero" (NaN is true), bool to numbers is 0 or 1.
/// </summary>
/// <remarks>
/// The <c>typeof</c> tests are constants to the JIT, which compiles one branch-free loop per pair
/// of value types.
/// </remarks>
internal static class Conversion
{
    /// <summary>Converts <paramref name="x"/> into the dense tensor <paramref name="y"/> of any dtype.</summary>
    public static void Run<TFrom>(ReadOnlySpan<TFrom> x, Tensor y) where TFrom : unmanaged
    {
        switch (y.DType)
        {
            case DType.Float32: To(x, y.Span<float>()); break;
            case DType.Float64: To(x, y.Span<double>()); break;
            case DType.Int64: To(x, y.Span<long>()); break;
            default: To(x, y.Span<bool>()); break;
        }
    }

    /// <summary>y[i] = x[i] converted (destination last).</summary>
    public static void To<TFrom, TTo>(ReadOnlySpan<TFrom> x, Span<TTo> y) where TFrom : unmanaged where TTo : unmanaged
    {
        if (typeof(TFrom) == typeof(TTo)) { MemoryMarshal.Cast<TFrom, TTo>(x).CopyTo(y); return; }
        if (typeof(TFrom) == typeof(float) && typeof(TTo) == typeof(double))
        {
            TensorPrimitives.ConvertChecked(MemoryMarshal.Cast<TFrom, float>(x), MemoryMarshal.Cast<TTo, double>(y));
            return;
        }
        if (typeof(TFrom) == typeof(double) && typeof(TTo) == typeof(float))
        {
            TensorPrimitives.ConvertTruncating(MemoryMarshal.Cast<TFrom, double>(x), MemoryMarshal.Cast<TTo, float>(y));
            return;
        }
        for (int i = 0; i < x.Length; i++) y[i] = One<TFrom, TTo>(x[i]);
    }

    private static TTo One<TFrom, TTo>(TFrom v) where TFrom : unmanaged where TTo : unmanaged
    {
        if (typeof(TTo) == typeof(bool))
        {
            bool b = typeof(TFrom) == typeof(float) ? Unsafe.As<TFrom, float>(ref v) != 0 || float.IsNaN(Unsafe.As<TFrom, float>(ref v))
                   : typeof(TFrom) == typeof(double) ? Unsafe.As<TFrom, double>(ref v) != 0 || double.IsNaN(Unsafe.As<TFrom, double>(ref v))
                   : Unsafe.As<TFrom, long>(ref v) != 0;
            return Unsafe.As<bool, TTo>(ref b);
        }
        if (typeof(TFrom) == typeof(long) || typeof(TFrom) == typeof(bool))
        {
            long l = typeof(TFrom) == typeof(bool) ? (Unsafe.As<TFrom, bool>(ref v) ? 1 : 0) : Unsafe.As<TFrom, long>(ref v);
            if (typeof(TTo) == typeof(float)) { float f = l; return Unsafe.As<float, TTo>(ref f); }
            if (typeof(TTo) == typeof(double)) { double d = l; return Unsafe.As<double, TTo>(ref d); }
            return Unsafe.As<long, TTo>(ref l);
        }
        // Floating point to int64 (the other float pairs are handled above).
        double x = typeof(TFrom) == typeof(float) ? Unsafe.As<TFrom, float>(ref v) : Unsafe.As<TFrom, double>(ref v);
        long r = TruncateToLong(x);
        return Unsafe.As<long, TTo>(ref r);
    }

    // C's cast, as PyTorch's: toward zero. Out of range (and NaN) is undefined in C; x86 gives int64's minimum.
    private static long TruncateToLong(double d) =>
        double.IsNaN(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18 ? long.MinValue : (long)d;
}
