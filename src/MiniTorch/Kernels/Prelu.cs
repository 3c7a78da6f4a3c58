using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>Span kernels for PReLU: a leaky ReLU whose slope changes from channel to channel.</summary>
internal static class Prelu
{
    /// <summary>
    /// y = x &gt; 0 ? x : x·slope[c] over dense [outer, channels, inner] data, where
    /// channels = slope.Length (a single slope applies to everything).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> slope, int inner, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length) throw new ArgumentException("destination length must match the source");
        if (slope.Length == 1) { Activation.LeakyRelu(x, slope[0], y); return; }
        // Each [inner] plane has one slope, so the vectorised leaky-ReLU loop runs per plane.
        int channels = slope.Length;
        for (int p = 0, start = 0; start < x.Length; p++, start += inner)
            Activation.LeakyRelu(x.Slice(start, inner), slope[p % channels], y.Slice(start, inner));
    }
}
