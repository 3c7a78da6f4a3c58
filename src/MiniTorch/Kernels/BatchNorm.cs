using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Batch-norm kernels over a dense [N, C, inner] layout (inner = H·W): per-channel statistics
/// accumulated in double as ATen's CPU kernel does, the per-channel affine map y = x·α + β, and
/// the reductions and input gradient of the backward pass. Rows of <c>inner</c> elements are
/// contiguous, so each row is one vectorised <see cref="TensorPrimitives"/> call.
/// </summary>
/// <remarks>
/// Work items are channels, run on all cores: each channel's sums are accumulated by one thread in
/// batch order, so the results are bitwise the same for any thread count.
/// </remarks>
internal static unsafe class BatchNormKernels
{
    /// <summary>Per channel: the mean and Σ(x − mean)² (two passes, the second on centred values).</summary>
    public static void Stats<T>(ReadOnlySpan<T> x, int n, int c, int inner, Span<double> mean, Span<double> sqSum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * inner;
        var means = new double[c];
        var sqs = new double[c];
        fixed (T* px = x)
        {
            var (xp, length) = ((nint)px, x.Length);
            Threading.For(c, 2L * x.Length, ch =>
            {
                var xs = new ReadOnlySpan<T>((T*)xp, length);
                var buf = ArrayPool<T>.Shared.Rent(inner);
                var tmp = buf.AsSpan(0, inner);
                double sum = 0;
                for (int b = 0; b < n; b++) sum += double.CreateChecked(TensorPrimitives.Sum(xs.Slice((b * c + ch) * inner, inner)));
                means[ch] = sum / count;
                var m = T.CreateChecked(means[ch]);
                double sq = 0;
                for (int b = 0; b < n; b++)
                {
                    TensorPrimitives.Subtract(xs.Slice((b * c + ch) * inner, inner), m, tmp);
                    sq += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(tmp));
                }
                sqs[ch] = sq;
                ArrayPool<T>.Shared.Return(buf);
            });
        }
        means.CopyTo(mean);
        sqs.CopyTo(sqSum);
    }

    /// <summary>y = x·α[c] + β[c] for every row of channel c.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, int n, int c, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (al, be) = (alpha[..c].ToArray(), beta[..c].ToArray());
        fixed (T* px = x, py = y)
        {
            var (xp, yp, length) = ((nint)px, (nint)py, x.Length);
            Threading.For(c, 2L * x.Length, ch =>
            {
                var xs = new ReadOnlySpan<T>((T*)xp, length);
                var ys = new Span<T>((T*)yp, length);
                for (int b = 0; b < n; b++)
                {
                    var dst = ys.Slice((b * c + ch) * inner, inner);
                    TensorPrimitives.Multiply(xs.Slice((b * c + ch) * inner, inner), al[ch], dst);
                    TensorPrimitives.Add(dst, be[ch], dst);
                }
            });
        }
    }

    /// <summary>Per channel: Σg and Σ(x − mean)·g, the two reductions of the backward pass.</summary>
    public static void BackwardSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int inner, ReadOnlySpan<double> mean,
                                       Span<double> sumG, Span<double> dot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var means = mean[..c].ToArray();
        var sums = new double[c];
        var dots = new double[c];
        fixed (T* px = x, pg = g)
        {
            var (xp, gp, length) = ((nint)px, (nint)pg, x.Length);
            Threading.For(c, 3L * x.Length, ch =>
            {
                var xs = new ReadOnlySpan<T>((T*)xp, length);
                var gs = new ReadOnlySpan<T>((T*)gp, length);
                var buf = ArrayPool<T>.Shared.Rent(inner);
                var tmp = buf.AsSpan(0, inner);
                double s = 0, d = 0;
                var m = T.CreateChecked(means[ch]);
                for (int b = 0; b < n; b++)
                {
                    int at = (b * c + ch) * inner;
                    s += double.CreateChecked(TensorPrimitives.Sum(gs.Slice(at, inner)));
                    TensorPrimitives.Subtract(xs.Slice(at, inner), m, tmp);
                    d += double.CreateChecked(TensorPrimitives.Dot<T>(tmp, gs.Slice(at, inner)));
                }
                sums[ch] = s;
                dots[ch] = d;
                ArrayPool<T>.Shared.Return(buf);
            });
        }
        sums.CopyTo(sumG);
        dots.CopyTo(dot);
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
        var (means, gradMeans, ks, As) = (mean[..c].ToArray(), gradMean[..c].ToArray(), k[..c].ToArray(), a[..c].ToArray());
        fixed (T* px = x, pg = g, pd = dx)
        {
            var (xp, gp, dp, length) = ((nint)px, (nint)pg, (nint)pd, x.Length);
            Threading.For(c, 5L * x.Length, ch =>
            {
                var xs = new ReadOnlySpan<T>((T*)xp, length);
                var gs = new ReadOnlySpan<T>((T*)gp, length);
                var ds = new Span<T>((T*)dp, length);
                for (int b = 0; b < n; b++)
                {
                    int at = (b * c + ch) * inner;
                    var dst = ds.Slice(at, inner);
                    if (batchStats)
                    {
                        TensorPrimitives.Subtract(xs.Slice(at, inner), T.CreateChecked(means[ch]), dst);
                        TensorPrimitives.Multiply(dst, T.CreateChecked(ks[ch]), dst);
                        TensorPrimitives.Subtract(gs.Slice(at, inner), dst, dst);
                        TensorPrimitives.Subtract(dst, T.CreateChecked(gradMeans[ch]), dst);
                        TensorPrimitives.Multiply(dst, T.CreateChecked(As[ch]), dst);
                    }
                    else TensorPrimitives.Multiply(gs.Slice(at, inner), T.CreateChecked(As[ch]), dst);
                }
            });
        }
    }
}
