using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>The element-wise operations on int64 that PyTorch allows (destination last).</summary>
internal enum IntegerOp { Add, Sub, Mul, Pow, Maximum, Minimum, BitAnd, BitOr, BitXor }

/// <summary>A comparison of two values; NaN compares false except for <see cref="Ne"/>, as in IEEE and PyTorch.</summary>
internal enum CompareOp { Eq, Ne, Lt, Le, Gt, Ge }

/// <summary>Span kernels for int64 and bool tensors, and comparisons and selection for any element type.</summary>
internal static class Integer
{
    /// <summary>y[i] = a[i] op b[i] (wrapping on overflow, as C's int64 arithmetic in PyTorch).</summary>
    public static void Run(IntegerOp op, ReadOnlySpan<long> a, ReadOnlySpan<long> b, Span<long> y)
    {
        switch (op)
        {
            case IntegerOp.Add: TensorPrimitives.Add(a, b, y); break;
            case IntegerOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case IntegerOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            case IntegerOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case IntegerOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            case IntegerOp.BitAnd: TensorPrimitives.BitwiseAnd(a, b, y); break;
            case IntegerOp.BitOr: TensorPrimitives.BitwiseOr(a, b, y); break;
            case IntegerOp.BitXor: TensorPrimitives.Xor(a, b, y); break;
            case IntegerOp.Pow: for (int i = 0; i < y.Length; i++) y[i] = Pow(a[i], b[i]); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    /// <summary>
    /// Integer power by squaring (wrapping), as PyTorch's <c>powi</c>: a negative exponent gives
    /// 1 for base 1, ±1 for base −1, and 0 otherwise.
    /// </summary>
    public static long Pow(long b, long e)
    {
        if (e < 0) return b == 1 ? 1 : b == -1 ? ((e & 1) == 0 ? 1 : -1) : 0;
        long result = 1;
        unchecked
        {
            while (e > 0)
            {
                if ((e & 1) == 1) result *= b;
                b *= b;
                e >>= 1;
            }
        }
        return result;
    }

    /// <summary>y = −x (wrapping at int64's minimum, as C).</summary>
    public static void Negate(ReadOnlySpan<long> x, Span<long> y) { for (int i = 0; i < y.Length; i++) y[i] = unchecked(-x[i]); }

    /// <summary>y = |x| (wrapping at int64's minimum, as C).</summary>
    public static void Abs(ReadOnlySpan<long> x, Span<long> y) { for (int i = 0; i < y.Length; i++) y[i] = x[i] < 0 ? unchecked(-x[i]) : x[i]; }

    /// <summary>y = a op b for booleans: and (also ·, min), or (also +, max), xor.</summary>
    public static void Logical(IntegerOp op, ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> y)
    {
        switch (op)
        {
            case IntegerOp.BitAnd or IntegerOp.Mul or IntegerOp.Minimum: for (int i = 0; i < y.Length; i++) y[i] = a[i] & b[i]; break;
            case IntegerOp.BitOr or IntegerOp.Add or IntegerOp.Maximum: for (int i = 0; i < y.Length; i++) y[i] = a[i] | b[i]; break;
            case IntegerOp.BitXor: for (int i = 0; i < y.Length; i++) y[i] = a[i] ^ b[i]; break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    /// <summary>y[i] = a[i] cmp b[i].</summary>
    public static void Compare<T>(CompareOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> y) where T : INumber<T>
    {
        switch (op)
        {
            case CompareOp.Eq: for (int i = 0; i < y.Length; i++) y[i] = a[i] == b[i]; break;
            case CompareOp.Ne: for (int i = 0; i < y.Length; i++) y[i] = a[i] != b[i]; break;
            case CompareOp.Lt: for (int i = 0; i < y.Length; i++) y[i] = a[i] < b[i]; break;
            case CompareOp.Le: for (int i = 0; i < y.Length; i++) y[i] = a[i] <= b[i]; break;
            case CompareOp.Gt: for (int i = 0; i < y.Length; i++) y[i] = a[i] > b[i]; break;
            default: for (int i = 0; i < y.Length; i++) y[i] = a[i] >= b[i]; break;
        }
    }

    /// <summary>y[i] = c[i] ? a[i] : b[i].</summary>
    public static void Select<T>(ReadOnlySpan<bool> c, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = c[i] ? a[i] : b[i];
    }

    /// <summary>y[r] = Σ_j x[r, j] over a dense [rows, length] buffer, wrapping on overflow as C.</summary>
    public static void SumRows(ReadOnlySpan<long> x, int length, Span<long> y)
    {
        for (int r = 0; r < y.Length; r++)
        {
            long s = 0;
            foreach (var v in x.Slice(r * length, length)) s = unchecked(s + v);
            y[r] = s;
        }
    }

    /// <summary>
    /// idx[r] = the first j where x[r, j] is largest (<paramref name="max"/>) or smallest; a NaN
    /// counts as the extreme, and the first NaN wins, as PyTorch's argmax/argmin.
    /// </summary>
    public static void ArgExtremeRows<T>(ReadOnlySpan<T> x, int length, bool max, Span<long> idx) where T : INumber<T>
    {
        for (int r = 0; r < idx.Length; r++)
        {
            var row = x.Slice(r * length, length);
            int best = 0;
            for (int j = 1; j < length && !T.IsNaN(row[best]); j++)
                if (T.IsNaN(row[j]) || (max ? row[j] > row[best] : row[j] < row[best])) best = j;
            idx[r] = best;
        }
    }
}
