using System.Numerics;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// Comparison masks in the element type (1 where the comparison holds, else 0; NaN compares false),
/// vectorised: a vector compare gives all-ones lanes, and all-ones AND 1.0 is exactly 1.0.
/// </summary>
internal static class Masks
{
    /// <summary>A comparison, written once for scalars and for 512/256-bit vectors.</summary>
    public interface IComparison
    {
        bool Scalar<T>(T x, T y) where T : IFloatingPointIeee754<T>;
        Vector512<T> Vector<T>(Vector512<T> x, Vector512<T> y);
        Vector256<T> Vector<T>(Vector256<T> x, Vector256<T> y);
    }

    public readonly struct Greater : IComparison
    {
        public bool Scalar<T>(T x, T y) where T : IFloatingPointIeee754<T> => x > y;
        public Vector512<T> Vector<T>(Vector512<T> x, Vector512<T> y) => Vector512.GreaterThan(x, y);
        public Vector256<T> Vector<T>(Vector256<T> x, Vector256<T> y) => Vector256.GreaterThan(x, y);
    }

    public readonly struct Equal : IComparison
    {
        public bool Scalar<T>(T x, T y) where T : IFloatingPointIeee754<T> => x == y;
        public Vector512<T> Vector<T>(Vector512<T> x, Vector512<T> y) => Vector512.Equals(x, y);
        public Vector256<T> Vector<T>(Vector256<T> x, Vector256<T> y) => Vector256.Equals(x, y);
    }

    /// <summary>
    /// y[i] = cmp(a[i], b[i]) ? 1 : 0. A side given as a single value has length 1 and is broadcast
    /// (<paramref name="aScalar"/>, <paramref name="bScalar"/>).
    /// </summary>
    public static void Run<T, TCmp>(ReadOnlySpan<T> a, bool aScalar, ReadOnlySpan<T> b, bool bScalar, Span<T> y, TCmp cmp = default)
        where T : unmanaged, IFloatingPointIeee754<T> where TCmp : struct, IComparison
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            int w = Vector512<T>.Count;
            var one = Vector512<T>.One;
            var sa = aScalar ? Vector512.Create(a[0]) : default;
            var sb = bScalar ? Vector512.Create(b[0]) : default;
            for (; i <= y.Length - w; i += w)
            {
                var x = aScalar ? sa : Vector512.Create(a.Slice(i, w));
                var z = bScalar ? sb : Vector512.Create(b.Slice(i, w));
                (cmp.Vector(x, z) & one).CopyTo(y.Slice(i, w));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            int w = Vector256<T>.Count;
            var one = Vector256<T>.One;
            var sa = aScalar ? Vector256.Create(a[0]) : default;
            var sb = bScalar ? Vector256.Create(b[0]) : default;
            for (; i <= y.Length - w; i += w)
            {
                var x = aScalar ? sa : Vector256.Create(a.Slice(i, w));
                var z = bScalar ? sb : Vector256.Create(b.Slice(i, w));
                (cmp.Vector(x, z) & one).CopyTo(y.Slice(i, w));
            }
        }
        for (; i < y.Length; i++)
            y[i] = cmp.Scalar(aScalar ? a[0] : a[i], bScalar ? b[0] : b[i]) ? T.One : T.Zero;
    }
}
