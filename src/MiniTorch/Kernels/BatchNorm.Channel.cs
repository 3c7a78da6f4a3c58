using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>One channel's parts of the batch-norm passes: its rows are (b·C + ch)·inner … + inner for b = 0 … N − 1.</summary>
internal static unsafe partial class BatchNormKernels
{
    /// <summary>Channel <paramref name="ch"/>'s mean and Σ(x − mean)², each row summed in TensorPrimitives' order, rows added in batch order in double.</summary>
    private static void ChannelStats<T>(T* x, int length, int n, int c, int inner, int ch, out double mean, out double sqSum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * inner;
        if (!RowSums<T>.Replicated)
        {
            (mean, sqSum) = ChannelStatsByCalls(new ReadOnlySpan<T>(x, length), n, c, inner, ch, count);
            return;
        }
        // One pass per row with the library's summation order (RowSums): no buffer, no calls.
        double sum = 0;
        for (int b = 0; b < n; b++)
        {
            var terms = new RowValueTerms<T>(x + (b * c + ch) * inner);
            RowSums<T>.Sum(ref terms, inner, out T s, out _);
            sum += double.CreateChecked(s);
        }
        mean = sum / count;
        var m = T.CreateChecked(mean);
        double sq = 0;
        for (int b = 0; b < n; b++)
        {
            var terms = new CentredSquareTerms<T>(x + (b * c + ch) * inner, m);
            RowSums<T>.Sum(ref terms, inner, out T s, out _);
            sq += double.CreateChecked(s);
        }
        sqSum = sq;
    }

    /// <summary>Channel <paramref name="ch"/>'s statistics by one <see cref="TensorPrimitives"/> call per row: the reference order.</summary>
    private static (double Mean, double SqSum) ChannelStatsByCalls<T>(ReadOnlySpan<T> xs, int n, int c, int inner, int ch, double count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buf = ArrayPool<T>.Shared.Rent(inner);
        var tmp = buf.AsSpan(0, inner);
        double sum = 0;
        for (int b = 0; b < n; b++) sum += double.CreateChecked(TensorPrimitives.Sum(xs.Slice((b * c + ch) * inner, inner)));
        double mean = sum / count;
        var m = T.CreateChecked(mean);
        double sq = 0;
        for (int b = 0; b < n; b++)
        {
            BatchNormRows<T>.Subtract(xs.Slice((b * c + ch) * inner, inner), m, tmp);
            sq += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(tmp));
        }
        ArrayPool<T>.Shared.Return(buf);
        return (mean, sq);
    }

    /// <summary>y = act(x·α + β) for channel <paramref name="ch"/>'s rows.</summary>
    private static void ChannelAffine<T>(T* x, T* y, int length, int n, int c, int inner, int ch, T alpha, T beta, RowActivation<T> activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = new ReadOnlySpan<T>(x, length);
        var ys = new Span<T>(y, length);
        for (int b = 0; b < n; b++)
        {
            int at = (b * c + ch) * inner;
            BatchNormRows<T>.ScaleShiftActivate(xs.Slice(at, inner), alpha, beta, activation, ys.Slice(at, inner));
        }
    }

    /// <summary>
    /// Channel <paramref name="ch"/>'s Σg and Σ(x − m)·g, with g the activation's gradient when one is fused
    /// (<paramref name="z"/> its output, null without one).
    /// </summary>
    private static (double Sum, double Dot) ChannelSums<T>(T* x, T* g, T* z, int length, int n, int c, int inner, int ch, T m, RowActivation<T> activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!RowSums<T>.Replicated)
            return ChannelSumsByCalls(new ReadOnlySpan<T>(x, length), new ReadOnlySpan<T>(g, length), n, c, inner, ch, m, activation,
                                      new ReadOnlySpan<T>(z, z == null ? 0 : length));
        // Activation backward, Σg and Σ(x − m)·g in one pass per row, in the library's summation order.
        double s = 0, d = 0;
        T slope = activation.Slope;
        for (int b = 0; b < n; b++)
        {
            int at = (b * c + ch) * inner;
            var terms = new GradTerms<T>(x + at, g + at, z == null ? null : z + at, m, slope);
            RowSums<T>.Sum(ref terms, inner, out T rowSum, out T rowDot);
            s += double.CreateChecked(rowSum);
            d += double.CreateChecked(rowDot);
        }
        return (s, d);
    }

    /// <summary>Channel <paramref name="ch"/>'s backward sums by <see cref="TensorPrimitives"/> calls per row: the reference order.</summary>
    private static (double Sum, double Dot) ChannelSumsByCalls<T>(ReadOnlySpan<T> xs, ReadOnlySpan<T> gs, int n, int c, int inner, int ch, T m,
                                                                  RowActivation<T> activation, ReadOnlySpan<T> zs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buf = ArrayPool<T>.Shared.Rent(2 * inner);
        var tmp = buf.AsSpan(0, inner);
        var rowGrad = buf.AsSpan(inner, inner);
        double s = 0, d = 0;
        for (int b = 0; b < n; b++)
        {
            int at = (b * c + ch) * inner;
            var gRow = activation.Backward(zs, gs, at, inner, rowGrad);
            s += double.CreateChecked(TensorPrimitives.Sum(gRow));
            BatchNormRows<T>.Subtract(xs.Slice(at, inner), m, tmp);
            d += double.CreateChecked(TensorPrimitives.Dot<T>(tmp, gRow));
        }
        ArrayPool<T>.Shared.Return(buf);
        return (s, d);
    }

    /// <summary>Channel <paramref name="ch"/>'s rows of the input gradient (see <see cref="Backward{T}"/>).</summary>
    private static void ChannelInputGrad<T>(T* x, T* g, T* z, T* dx, int length, int n, int c, int inner, int ch, bool batchStats,
                                            T m, T k, T gradMean, T a, RowActivation<T> activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var xs = new ReadOnlySpan<T>(x, length);
        var gs = new ReadOnlySpan<T>(g, length);
        var ds = new Span<T>(dx, length);
        var zs = new ReadOnlySpan<T>(z, z == null ? 0 : length);
        for (int b = 0; b < n; b++)
        {
            int at = (b * c + ch) * inner;
            var dst = ds.Slice(at, inner);
            if (z != null) BatchNormRows<T>.ActivatedInputGrad(xs.Slice(at, inner), gs.Slice(at, inner), zs.Slice(at, inner), activation.Slope, batchStats, m, k, gradMean, a, dst);
            else if (batchStats) BatchNormRows<T>.InputGrad(xs.Slice(at, inner), gs.Slice(at, inner), m, k, gradMean, a, dst);
            else TensorPrimitives.Multiply(gs.Slice(at, inner), a, dst);
        }
    }
}
