using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// Span kernels of softplus, ln(1 + e^(βx))/β, and of its derivative, written as PyTorch's CPU
/// kernels (<c>softplus_kernel</c>, <c>softplus_backward_kernel</c>). Scalar loops: the exponential
/// and logarithm dominate, and softplus runs on a discriminator's logits, one value per image.
/// </summary>
internal static class Softplus
{
    /// <summary>y = βx &gt; threshold ? x : log1p(e^(βx))/β, with βx and the division in the element type.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, T beta, T threshold, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length) throw new ArgumentException("destination length must match the source");
        for (int i = 0; i < x.Length; i++)
        {
            T bx = x[i] * beta;
            y[i] = bx > threshold ? x[i] : T.CreateTruncating(Pointwise.Log1p(Math.Exp(double.CreateTruncating(bx)))) / beta;
        }
    }

    /// <summary>
    /// y = βx &gt; threshold ? g : g·z/(z + 1) with z = e^(βx): the incoming gradient g times the
    /// derivative σ(βx), in the order PyTorch's backward kernel multiplies and divides.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, T beta, T threshold, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length != x.Length || g.Length != x.Length) throw new ArgumentException("all spans must have the same length");
        for (int i = 0; i < x.Length; i++)
        {
            T bx = x[i] * beta;
            T z = T.Exp(bx);
            y[i] = bx > threshold ? g[i] : g[i] * z / (z + T.One);
        }
    }
}
