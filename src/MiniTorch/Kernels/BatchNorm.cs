using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Batch-norm kernels over a dense [N, C, inner] layout (inner = H·W): per-channel statistics
/// accumulated in double as ATen's CPU kernel does, the per-channel affine map y = x·α + β, and
/// the reductions and input gradient of the backward pass. Rows of <c>inner</c> elements are
/// contiguous: each row's sums are one pass in <see cref="TensorPrimitives"/>' own summation order
/// (<see cref="RowSums{T}"/>, with the row's transform fused in: x − mean, the activation's backward), its
/// element-wise chains one loop (<see cref="BatchNormRows{T}"/>).
/// </summary>
/// <remarks>
/// Work items are channels, run on all cores: each channel's sums are accumulated by one thread in
/// batch order, so the results are bitwise the same for any thread count.
/// <para>
/// An activation that follows the batch norm (<see cref="RowActivation{T}"/>) can be fused in:
/// the forward applies it to each row while the row is in cache, and the backward turns each row of
/// the incoming gradient into the activation's gradient in a row buffer just before using it, so
/// neither the normalised values nor the activation's gradient ever make a pass over memory. Each
/// row goes through the same kernels as the separate ops, so the results are bitwise theirs.
/// </para>
/// </remarks>
internal static unsafe class BatchNormKernels
{
    /// <summary>
    /// The cost of one <see cref="TensorPrimitives"/> call on a row beyond its elements, in element operations, for
    /// <see cref="Threading.For(int, long, Action{int})"/>'s serial threshold: with 4×4 planes (the last layers of the
    /// DCGAN pair) a channel's time goes into its 64 rows' calls, not their 16 elements, and counting the elements
    /// alone left 0.3–1.4 ms passes serial. Channels are the items either way, so this decides only serial or parallel.
    /// </summary>
    private const long RowCallCost = 64;

    /// <summary>The work of a pass over x's <paramref name="rows"/> rows: element operations plus the rows' calls.</summary>
    private static long Work(int length, int rows, int opsPerElement, int callsPerRow) => (long)opsPerElement * length + callsPerRow * RowCallCost * rows;

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
            Threading.For(c, Work(length, n * c, 2, 3), ch =>
            {
                if (RowSums<T>.Replicated)
                {
                    // One pass per row with the library's summation order (RowSums): no buffer, no calls.
                    double sum = 0;
                    for (int b = 0; b < n; b++)
                    {
                        var terms = new RowValueTerms<T>((T*)xp + (b * c + ch) * inner);
                        RowSums<T>.Sum(ref terms, inner, out T s, out _);
                        sum += double.CreateChecked(s);
                    }
                    means[ch] = sum / count;
                    var m = T.CreateChecked(means[ch]);
                    double sq = 0;
                    for (int b = 0; b < n; b++)
                    {
                        var terms = new CentredSquareTerms<T>((T*)xp + (b * c + ch) * inner, m);
                        RowSums<T>.Sum(ref terms, inner, out T s, out _);
                        sq += double.CreateChecked(s);
                    }
                    sqs[ch] = sq;
                }
                else StatsByCalls(new ReadOnlySpan<T>((T*)xp, length), n, c, inner, ch, count, means, sqs);
            });
        }
        means.CopyTo(mean);
        sqs.CopyTo(sqSum);
    }

    /// <summary>Channel <paramref name="ch"/>'s statistics by one <see cref="TensorPrimitives"/> call per row: the reference order.</summary>
    private static void StatsByCalls<T>(ReadOnlySpan<T> xs, int n, int c, int inner, int ch, double count, double[] means, double[] sqs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buf = ArrayPool<T>.Shared.Rent(inner);
        var tmp = buf.AsSpan(0, inner);
        double sum = 0;
        for (int b = 0; b < n; b++) sum += double.CreateChecked(TensorPrimitives.Sum(xs.Slice((b * c + ch) * inner, inner)));
        means[ch] = sum / count;
        var m = T.CreateChecked(means[ch]);
        double sq = 0;
        for (int b = 0; b < n; b++)
        {
            BatchNormRows<T>.Subtract(xs.Slice((b * c + ch) * inner, inner), m, tmp);
            sq += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(tmp));
        }
        sqs[ch] = sq;
        ArrayPool<T>.Shared.Return(buf);
    }

    /// <summary>y = x·α[c] + β[c] for every row of channel c, then the activation, if any.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, int n, int c, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta, Span<T> y,
                                 RowActivation<T> activation = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (al, be) = (alpha[..c].ToArray(), beta[..c].ToArray());
        fixed (T* px = x, py = y)
        {
            var (xp, yp, length) = ((nint)px, (nint)py, x.Length);
            Threading.For(c, Work(length, n * c, 2, 3), ch =>
            {
                var xs = new ReadOnlySpan<T>((T*)xp, length);
                var ys = new Span<T>((T*)yp, length);
                for (int b = 0; b < n; b++)
                {
                    var dst = ys.Slice((b * c + ch) * inner, inner);
                    BatchNormRows<T>.ScaleShiftActivate(xs.Slice((b * c + ch) * inner, inner), al[ch], be[ch], activation, dst);
                }
            });
        }
    }

    /// <summary>
    /// Per channel: Σg and Σ(x − mean)·g, the two reductions of the backward pass. With a fused
    /// activation, g is the activation's gradient, made row by row from the incoming
    /// <paramref name="g"/> and the activation's output <paramref name="z"/>.
    /// </summary>
    public static void BackwardSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int inner, ReadOnlySpan<double> mean,
                                       Span<double> sumG, Span<double> dot, RowActivation<T> activation = default, ReadOnlySpan<T> z = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var means = mean[..c].ToArray();
        var sums = new double[c];
        var dots = new double[c];
        fixed (T* px = x, pg = g, pz = z)
        {
            var (xp, gp, zp, length) = ((nint)px, (nint)pg, (nint)pz, x.Length);
            Threading.For(c, Work(length, n * c, 3, 4), ch =>
            {
                var m = T.CreateChecked(means[ch]);
                if (RowSums<T>.Replicated)
                {
                    // Activation backward, Σg and Σ(x − m)·g in one pass per row, in the library's summation order.
                    double s = 0, d = 0;
                    T slope = activation.Slope;
                    T* zRows = activation.IsNone ? null : (T*)zp;
                    for (int b = 0; b < n; b++)
                    {
                        int at = (b * c + ch) * inner;
                        var terms = new GradTerms<T>((T*)xp + at, (T*)gp + at, zRows == null ? null : zRows + at, m, slope);
                        RowSums<T>.Sum(ref terms, inner, out T rowSum, out T rowDot);
                        s += double.CreateChecked(rowSum);
                        d += double.CreateChecked(rowDot);
                    }
                    (sums[ch], dots[ch]) = (s, d);
                }
                else
                {
                    var zs = new ReadOnlySpan<T>((T*)zp, activation.IsNone ? 0 : length);
                    (sums[ch], dots[ch]) = BackwardSumsByCalls(new ReadOnlySpan<T>((T*)xp, length), new ReadOnlySpan<T>((T*)gp, length), n, c, inner, ch, m, activation, zs);
                }
            });
        }
        sums.CopyTo(sumG);
        dots.CopyTo(dot);
    }

    /// <summary>Channel <paramref name="ch"/>'s backward sums by <see cref="TensorPrimitives"/> calls per row: the reference order.</summary>
    private static (double Sum, double Dot) BackwardSumsByCalls<T>(ReadOnlySpan<T> xs, ReadOnlySpan<T> gs, int n, int c, int inner, int ch, T m,
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

    /// <summary>
    /// The input gradient. With batch statistics: dx = (g − ḡ − (x − mean)·k)·a with
    /// k = Σ(x − mean)g·invstd²/count; without (running statistics are constants): dx = g·a.
    /// Here a = invstd·weight. With a fused activation, g is made row by row as in <see cref="BackwardSums{T}"/>.
    /// </summary>
    public static void InputGrad<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int inner, bool batchStats,
                                    ReadOnlySpan<double> mean, ReadOnlySpan<double> gradMean, ReadOnlySpan<double> k, ReadOnlySpan<double> a, Span<T> dx,
                                    RowActivation<T> activation = default, ReadOnlySpan<T> z = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (means, gradMeans, ks, As) = (mean[..c].ToArray(), gradMean[..c].ToArray(), k[..c].ToArray(), a[..c].ToArray());
        fixed (T* px = x, pg = g, pd = dx, pz = z)
        {
            var (xp, gp, dp, zp, length) = ((nint)px, (nint)pg, (nint)pd, (nint)pz, x.Length);
            Threading.For(c, Work(length, n * c, 5, 5), ch =>
            {
                var xs = new ReadOnlySpan<T>((T*)xp, length);
                var gs = new ReadOnlySpan<T>((T*)gp, length);
                var ds = new Span<T>((T*)dp, length);
                var zs = new ReadOnlySpan<T>((T*)zp, activation.IsNone ? 0 : length);
                var (m, kc, gm, ac) = (T.CreateChecked(means[ch]), T.CreateChecked(ks[ch]), T.CreateChecked(gradMeans[ch]), T.CreateChecked(As[ch]));
                for (int b = 0; b < n; b++)
                {
                    int at = (b * c + ch) * inner;
                    var dst = ds.Slice(at, inner);
                    if (!activation.IsNone)
                    {
                        BatchNormRows<T>.ActivatedInputGrad(xs.Slice(at, inner), gs.Slice(at, inner), zs.Slice(at, inner), activation.Slope, batchStats, m, kc, gm, ac, dst);
                        continue;
                    }
                    var gRow = gs.Slice(at, inner);
                    if (batchStats) BatchNormRows<T>.InputGrad(xs.Slice(at, inner), gRow, m, kc, gm, ac, dst);
                    else TensorPrimitives.Multiply(gRow, ac, dst);
                }
            });
        }
    }
}

/// <summary>
/// The activation fused after a batch norm: none, ReLU, or leaky ReLU with a slope ≥ 0 (whose gradient
/// mask can be read from its output: z &gt; 0 exactly where its input is &gt; 0).
/// </summary>
internal readonly struct RowActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly byte _kind; // 0 none, 1 ReLU, 2 leaky ReLU
    private readonly T _slope;

    private RowActivation(byte kind, T slope) => (_kind, _slope) = (kind, slope);

    /// <summary>ReLU: max(y, 0), as <c>F.Relu</c>.</summary>
    public static RowActivation<T> Relu => new(1, T.Zero);

    /// <summary>Leaky ReLU with the slope rounded to <typeparamref name="T"/> as <c>F.LeakyRelu</c> does; it must be ≥ 0.</summary>
    public static RowActivation<T> LeakyRelu(T slope) =>
        slope >= T.Zero ? new(2, slope) : throw new ArgumentOutOfRangeException(nameof(slope), "a fused leaky ReLU needs a slope >= 0");

    public bool IsNone => _kind == 0;

    /// <summary>Whether the activation is ReLU.</summary>
    public bool IsRelu => _kind == 1;

    /// <summary>Whether the activation is leaky ReLU.</summary>
    public bool IsLeakyRelu => _kind == 2;

    /// <summary>The backward's factor where the output is not positive: the leaky slope, 0 for ReLU (unused without an activation).</summary>
    public T Slope => _slope;

    /// <summary>
    /// The row [at, at + length) of the gradient entering the batch norm: <paramref name="g"/>'s own row
    /// without an activation, else the activation's backward (z &gt; 0 ? g : g·slope, slope 0 for ReLU)
    /// written into <paramref name="buffer"/>.
    /// </summary>
    public ReadOnlySpan<T> Backward(ReadOnlySpan<T> z, ReadOnlySpan<T> g, int at, int length, Span<T> buffer)
    {
        if (_kind == 0) return g.Slice(at, length);
        var row = buffer[..length];
        Activation.LeakyReluBackward(z.Slice(at, length), g.Slice(at, length), _slope, row);
        return row;
    }
}
