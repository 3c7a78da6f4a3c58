using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// One axis of a separable resampling: output index <c>o</c> reads the input indices
/// <c>Index[o·Taps + k]</c> with weights <c>Weight[o·Taps + k]</c>, k &lt; <see cref="Taps"/>.
/// Nearest modes have one tap, linear two, cubic four.
/// </summary>
internal sealed class AxisTaps<T>(int inSize, int outSize, int taps) where T : unmanaged, IFloatingPointIeee754<T>
{
    public int In { get; } = inSize;
    public int Out { get; } = outSize;
    public int Taps { get; } = taps;
    public int[] Index { get; } = new int[outSize * taps];
    public T[] Weight { get; } = new T[outSize * taps];
}

/// <summary>
/// Index and weight tables for each resampling mode, computed exactly as PyTorch 1.13's CPU
/// kernels compute them (UpSample.h, UpSampleKernel.cpp, AdaptiveAveragePooling.cpp): the same
/// scale, the same float32/float64 intermediate precision and the same special cases, so the
/// chosen source pixels agree with PyTorch's exactly and the weights to the last bit or so (the
/// compiled PyTorch fuses a few multiply-adds of the cubic weights). Verified against torch 1.13
/// by the golden tests.
/// </summary>
internal static partial class Interpolate
{
    /// <summary>
    /// PyTorch's <c>compute_scales_value</c>: with a user scale factor s &gt; 0 the kernel steps by
    /// 1/s (OpenCV's convention), otherwise by in/out; rounded to <typeparamref name="T"/>.
    /// </summary>
    public static T ScaleValue<T>(double? scale, int inSize, int outSize) where T : unmanaged, IFloatingPointIeee754<T> =>
        scale is > 0 ? T.CreateTruncating(1.0 / scale.Value) : T.CreateTruncating(inSize) / T.CreateTruncating(outSize);

    /// <summary>
    /// PyTorch's <c>area_pixel_compute_scale</c>: with aligned corners the corner pixel centres map
    /// onto each other, (in−1)/(out−1) (0 for a single output); otherwise <see cref="ScaleValue{T}"/>.
    /// </summary>
    public static T AreaPixelScale<T>(int inSize, int outSize, bool alignCorners, double? scale) where T : unmanaged, IFloatingPointIeee754<T> =>
        alignCorners
            ? outSize > 1 ? T.CreateTruncating(inSize - 1) / T.CreateTruncating(outSize - 1) : T.Zero
            : ScaleValue<T>(scale, inSize, outSize);

    /// <summary>
    /// The real source coordinate of output index <paramref name="dst"/> (PyTorch's
    /// <c>area_pixel_compute_source_index</c>), in double as PyTorch's accumulate type does.
    /// Half-pixel mode computes scale·(dst + 0.5) − 0.5 rounded once (PyTorch's compiled kernel
    /// fuses this multiply-add); linear modes clamp negative coordinates to 0, cubic does not.
    /// </summary>
    private static double SourceIndex(double scale, int dst, bool alignCorners, bool cubic)
    {
        if (alignCorners) return scale * dst;
        double src = Math.FusedMultiplyAdd(scale, dst + 0.5, -0.5);
        return !cubic && src < 0 ? 0 : src;
    }

    /// <summary>
    /// Nearest (PyTorch's legacy "nearest"): src = min(⌊dst·s⌋, in−1), with s and the product held
    /// in <typeparamref name="T"/> (float32 for float32 tensors) and floored through float32 (floorf),
    /// as PyTorch's kernel for [N, C, H, W] tensors does. PyTorch's backward (and its channels-last
    /// forward) instead special-cases out = in and out = 2·in; this forward does not, and the
    /// gradient here is always the exact adjoint of this forward.
    /// </summary>
    public static int NearestIndex<T>(int dst, int inSize, int outSize, double? scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s = ScaleValue<T>(scale, inSize, outSize);
        return Math.Min((int)MathF.Floor(float.CreateTruncating(T.CreateTruncating(dst) * s)), inSize - 1);
    }

    /// <summary>
    /// Nearest-exact (pixel centres, like Pillow and scipy): src = min(⌊(dst + 0.5)·s⌋, in−1), the
    /// product taken in double and rounded to float32 before the floor, as PyTorch's floorf does.
    /// </summary>
    public static int NearestExactIndex<T>(int dst, int inSize, int outSize, double? scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = double.CreateTruncating(ScaleValue<T>(scale, inSize, outSize));
        return Math.Min((int)MathF.Floor((float)((dst + 0.5) * s)), inSize - 1);
    }

    /// <summary>One tap per output with weight 1, for "nearest" or "nearest-exact".</summary>
    public static AxisTaps<T> NearestTaps<T>(int inSize, int outSize, double? scale, bool exact) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var taps = new AxisTaps<T>(inSize, outSize, 1);
        for (int o = 0; o < outSize; o++)
        {
            taps.Index[o] = exact ? NearestExactIndex<T>(o, inSize, outSize, scale) : NearestIndex<T>(o, inSize, outSize, scale);
            taps.Weight[o] = T.One;
        }
        return taps;
    }

    /// <summary>
    /// Linear: two neighbours i0 = ⌊src⌋ and i1 = min(i0 + 1, in−1) with weights 1−λ and λ,
    /// λ = src − i0 (PyTorch's <c>compute_source_index_and_lambda</c>, including its plain copy
    /// when the sizes are equal).
    /// </summary>
    public static AxisTaps<T> LinearTaps<T>(int inSize, int outSize, bool alignCorners, double? scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var taps = new AxisTaps<T>(inSize, outSize, 2);
        double s = double.CreateTruncating(AreaPixelScale<T>(inSize, outSize, alignCorners, scale));
        for (int o = 0; o < outSize; o++)
        {
            int i0, i1;
            T lambda1;
            if (outSize == inSize) { i0 = i1 = o; lambda1 = T.Zero; }
            else
            {
                double src = SourceIndex(s, o, alignCorners, cubic: false);
                i0 = (int)src;
                i1 = i0 + (i0 < inSize - 1 ? 1 : 0);
                lambda1 = T.CreateTruncating(Math.Clamp(src - i0, 0.0, 1.0));
            }
            taps.Index[2 * o] = i0; taps.Weight[2 * o] = T.One - lambda1;
            taps.Index[2 * o + 1] = i1; taps.Weight[2 * o + 1] = lambda1;
        }
        return taps;
    }

    /// <summary>
    /// Cubic convolution (Keys, A = −0.75): four neighbours ⌊src⌋−1 … ⌊src⌋+2, each read clamped
    /// into [0, in−1], with the weights of <see cref="CubicCoefficients{T}"/> at t = src − ⌊src⌋.
    /// </summary>
    public static AxisTaps<T> CubicTaps<T>(int inSize, int outSize, bool alignCorners, double? scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var taps = new AxisTaps<T>(inSize, outSize, 4);
        double s = double.CreateTruncating(AreaPixelScale<T>(inSize, outSize, alignCorners, scale));
        Span<T> w = stackalloc T[4];
        for (int o = 0; o < outSize; o++)
        {
            double src = SourceIndex(s, o, alignCorners, cubic: true);
            // PyTorch floors with floorf, so the coordinate passes through float32 first.
            int i = (int)MathF.Floor((float)src);
            CubicCoefficients(T.CreateTruncating(src - i), w);
            for (int k = 0; k < 4; k++)
            {
                taps.Index[4 * o + k] = Math.Clamp(i - 1 + k, 0, inSize - 1);
                taps.Weight[4 * o + k] = w[k];
            }
        }
        return taps;
    }

    /// <summary>
    /// The four cubic-convolution weights for a fractional offset t ∈ [0, 1): W(t+1), W(t),
    /// W(1−t), W(2−t) with W(x) = (A+2)|x|³ − (A+3)|x|² + 1 on [0, 1] and
    /// A|x|³ − 5A|x|² + 8A|x| − 4A on [1, 2], A = −0.75, evaluated in PyTorch's order.
    /// </summary>
    public static void CubicCoefficients<T>(T t, Span<T> w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T a = T.CreateTruncating(-0.75), one = T.One;
        T Near(T x) => ((a + T.CreateTruncating(2)) * x - (a + T.CreateTruncating(3))) * x * x + one;
        T Far(T x) => ((a * x - T.CreateTruncating(5) * a) * x + T.CreateTruncating(8) * a) * x - T.CreateTruncating(4) * a;
        T x2 = one - t;
        w[0] = Far(t + one);
        w[1] = Near(t);
        w[2] = Near(x2);
        w[3] = Far(x2 + one);
    }

    /// <summary>
    /// Adaptive average pooling windows [⌊a·in/out⌋, ⌈(a+1)·in/out⌉), computed in float32 as
    /// PyTorch's <c>start_index</c>/<c>end_index</c> do.
    /// </summary>
    public static (int[] Start, int[] End) AreaWindows(int inSize, int outSize)
    {
        var start = new int[outSize];
        var end = new int[outSize];
        for (int a = 0; a < outSize; a++)
        {
            start[a] = (int)MathF.Floor((float)((long)a * inSize) / outSize);
            end[a] = (int)MathF.Ceiling((float)((long)(a + 1) * inSize) / outSize);
        }
        return (start, end);
    }
}
