using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Batch-norm kernels over a dense [N, C, inner] layout (inner = H·W): per-channel statistics
/// accumulated in double as ATen's CPU kernel does, the per-channel affine map y = x·α + β, and
/// the reductions and input gradient of the backward pass. Rows of <c>inner</c> elements are
/// contiguous, so each row is one vectorised <see cref="TensorPrimitives"/> call.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>Per channel: the mean and Σ(x − mean)² (two passes, the second on centred values).</summary>
    public static void Stats<T>(ReadOnlySpan<T> x, int n, int c, int inner, Span<double> mean, Span<double> sqSum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tmp = new T[inner].AsSpan();
        double count = (double)n * inner;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += double.CreateChecked(TensorPrimitives.Sum(x.Slice((b * c + ch) * inner, inner)));
            mean[ch] = sum / count;
            var m = T.CreateChecked(mean[ch]);
            double sq = 0;
            for (int b = 0; b < n; b++)
            {
                TensorPrimitives.Subtract(x.Slice((b * c + ch) * inner, inner), m, tmp);
                sq += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(tmp));
            }
            sqSum[ch] = sq;
        }
    }

    /// <summary>y = x·α[c] + β[c] for every row of channel c.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, int n, int c, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                var dst = y.Slice((b * c + ch) * inner, inner);
                TensorPrimitives.Multiply(x.Slice((b * c + ch) * inner, inner), alpha[ch], dst);
                TensorPrimitives.Add(dst, beta[ch], dst);
            }
    }

    /// <summary>Per channel: Σg and Σ(x − mean)·g, the two reductions of the backward pass.</summary>
    public static void BackwardSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int inner, ReadOnlySpan<double> mean,
                                       Span<double> sumG, Span<double> dot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tmp = new T[inner].AsSpan();
        for (int ch = 0; ch < c; ch++)
        {
            double s = 0, d = 0;
            var m = T.CreateChecked(mean[ch]);
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * inner;
                s += double.CreateChecked(TensorPrimitives.Sum(g.Slice(at, inner)));
                TensorPrimitives.Subtract(x.Slice(at, inner), m, tmp);
                d += double.CreateChecked(TensorPrimitives.Dot<T>(tmp, g.Slice(at, inner)));
            }
            sumG[ch] = s;
            dot[ch] = d;
        }
    }

    /// <summary>
    /// The input gradient. With batch statistics: dx = (g − ḡ − (x − mean)·k)·a with
    /// k = Σ(x − mean)g·invstd²/count; without (running statistics are constants): dx = g·a.
    /// Here a = invstd·weight.
    /// </summary>
    public static void InputGrad<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int inner, bool batchStats,
                                    ReadOnlySpan<double> mean, ReadOnlySpan<double> gradMean, ReadOnlySpan<double> k, ReadOnlySpan<double> a, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                int at = (b * c + ch) * inner;
                var dst = dx.Slice(at, inner);
                if (batchStats)
                {
                    TensorPrimitives.Subtract(x.Slice(at, inner), T.CreateChecked(mean[ch]), dst);
                    TensorPrimitives.Multiply(dst, T.CreateChecked(k[ch]), dst);
                    TensorPrimitives.Subtract(g.Slice(at, inner), dst, dst);
                    TensorPrimitives.Subtract(dst, T.CreateChecked(gradMean[ch]), dst);
                    TensorPrimitives.Multiply(dst, T.CreateChecked(a[ch]), dst);
                }
                else TensorPrimitives.Multiply(g.Slice(at, inner), T.CreateChecked(a[ch]), dst);
            }
    }
}
