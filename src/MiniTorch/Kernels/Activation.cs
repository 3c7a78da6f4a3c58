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
    /// <param name="x">Where the slope is 1 (x &gt; 0) or <paramref name="slope"/>.</param>
    /// <param name="g">The incoming gradient.</param>
    /// <param name="slope">The slope elsewhere.</param>
    /// <param name="y">The result.</param>
    /// <param name="threshold">
    /// ReLU's rule instead (PyTorch's <c>threshold_backward</c> on the output): g unless x ≤ 0, so a NaN
    /// output passes the gradient, where leaky ReLU's x &gt; 0 test gives g·slope.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, T slope, Span<T> y, bool threshold = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length || g.Length != x.Length) throw new ArgumentException("all spans must have the same length");
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var s = Vector512.Create(slope);
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.Create(g[i..]);
                var xv = Vector512.Create(x[i..]);
                var keep = threshold ? ~Vector512.LessThanOrEqual(xv, Vector512<T>.Zero) : Vector512.GreaterThan(xv, Vector512<T>.Zero);
                Vector512.ConditionalSelect(keep, v, v * s).CopyTo(y[i..]);
            }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var s = Vector256.Create(slope);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.Create(g[i..]);
                var xv = Vector256.Create(x[i..]);
                var keep = threshold ? ~Vector256.LessThanOrEqual(xv, Vector256<T>.Zero) : Vector256.GreaterThan(xv, Vector256<T>.Zero);
                Vector256.ConditionalSelect(keep, v, v * s).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = (threshold ? !(x[i] <= T.Zero) : x[i] > T.Zero) ? g[i] : g[i] * slope;
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
