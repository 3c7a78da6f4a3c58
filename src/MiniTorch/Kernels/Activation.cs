using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>Span kernels for piecewise-linear activations (destination last).</summary>
internal static class Activation
{
    /// <summary>y = x &gt; 0 ? x : x·slope (PyTorch's <c>leaky_relu</c> kernel; NaN stays NaN).</summary>
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, T slope, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Select(x, slope, y, keepValue: true);

    /// <summary>y = x &gt; 0 ? 1 : slope: the local slope that the backward multiplies the gradient by.</summary>
    public static void LeakyReluSlope<T>(ReadOnlySpan<T> x, T slope, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => Select(x, slope, y, keepValue: false);

    /// <summary>
    /// y = x &gt; 0 ? g : g·slope: the backward of leaky ReLU (and of ReLU, slope 0, with x its output)
    /// in one pass, bitwise equal to g·(x &gt; 0 ? 1 : slope) without materialising the slope tensor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, T slope, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length || g.Length != x.Length) throw new ArgumentException("all spans must have the same length");
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var s = Vector512.Create(slope);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.Create(g[i..]);
                Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Create(x[i..]), Vector512<T>.Zero), v, v * s).CopyTo(y[i..]);
            }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var s = Vector256.Create(slope);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.Create(g[i..]);
                Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Create(x[i..]), Vector256<T>.Zero), v, v * s).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] > T.Zero ? g[i] : g[i] * slope;
    }

    // One loop for both: with keepValue, positive lanes keep x and the others get x·slope;
    // without, positive lanes get 1 and the others slope.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private static void Select<T>(ReadOnlySpan<T> x, T slope, Span<T> y, bool keepValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length) throw new ArgumentException("destination length must match the source");
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var s = Vector512.Create(slope);
            var one = Vector512<T>.One;
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.Create(x[i..]);
                var pos = Vector512.GreaterThan(v, Vector512<T>.Zero);
                (keepValue ? Vector512.ConditionalSelect(pos, v, v * s) : Vector512.ConditionalSelect(pos, one, s)).CopyTo(y[i..]);
            }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var s = Vector256.Create(slope);
            var one = Vector256<T>.One;
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.Create(x[i..]);
                var pos = Vector256.GreaterThan(v, Vector256<T>.Zero);
                (keepValue ? Vector256.ConditionalSelect(pos, v, v * s) : Vector256.ConditionalSelect(pos, one, s)).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++)
            y[i] = x[i] > T.Zero ? (keepValue ? x[i] : T.One) : (keepValue ? x[i] * slope : slope);
    }
}
