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
/// batch order, so the results are bitwise the same for any thread count. A channel's whole pass runs in
/// one item: the forward's statistics, its scalars and its affine map, or the backward's sums, its scalars
/// and its input gradient, so the channel's rows are read the second time from the core's cache, and a
/// pass needs one parallel region instead of two.
/// <para>
/// An activation that follows the batch norm (<see cref="RowActivation{T}"/>) can be fused in:
/// the forward applies it to each row in the affine map's loop, and the backward makes the activation's
/// gradient in the loops that use it, so neither the normalised values nor the activation's gradient
/// ever make a pass over memory. Each element goes through the same IEEE operations as in the separate
/// ops, so the results are bitwise theirs.
/// </para>
/// </remarks>
internal static unsafe partial class BatchNormKernels
{
    /// <summary>
    /// The cost of one <see cref="TensorPrimitives"/> call on a row beyond its elements, in element operations, for
    /// <see cref="Threading.For(int, long, Action{int})"/>'s serial threshold: with 4×4 planes (the last layers of the
    /// DCGAN pair) a channel's time goes into its 64 rows' calls, not their 16 elements, and counting the elements
    /// alone left 0.3–1.4 ms passes serial. The rows are single loops now, but each still costs a loop's setup and
    /// a horizontal sum. Channels are the items either way, so this decides only serial or parallel.
    /// </summary>
    private const long RowCallCost = 64;

    /// <summary>The work of a pass over x's <paramref name="rows"/> rows: element operations plus the rows' calls.</summary>
    private static long Work(int length, int rows, int opsPerElement, int callsPerRow) => (long)opsPerElement * length + callsPerRow * RowCallCost * rows;

    /// <summary>
    /// The training forward: per channel the mean and Σ(x − mean)² (two passes, the second on centred values),
    /// invstd = 1/√(Σ(x − mean)²/count + eps), α = invstd·weight, β = bias − mean·α (in double, then rounded to
    /// <typeparamref name="T"/>), and y = act(x·α + β) for the channel's rows.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int n, int c, int inner, double eps, double[]? weight, double[]? bias,
                                  Span<double> mean, Span<double> sqSum, Span<double> invstd, Span<T> y, RowActivation<T> activation = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * inner;
        var (means, sqs, invs) = (new double[c], new double[c], new double[c]);
        fixed (T* px = x, py = y)
        {
            var (xp, yp, length) = ((nint)px, (nint)py, x.Length);
            Threading.For(c, Work(length, n * c, 4, 6), ch =>
            {
                ChannelStats((T*)xp, length, n, c, inner, ch, out double m, out double sq);
                double inv = 1 / Math.Sqrt(sq / count + eps);
                var (alpha, beta) = AffineScalars(m, inv, weight, bias, ch);
                (means[ch], sqs[ch], invs[ch]) = (m, sq, inv);
                ChannelAffine((T*)xp, (T*)yp, length, n, c, inner, ch, T.CreateChecked(alpha), T.CreateChecked(beta), activation);
            });
        }
        means.CopyTo(mean);
        sqs.CopyTo(sqSum);
        invs.CopyTo(invstd);
    }

    /// <summary>
    /// Channel <paramref name="ch"/>'s affine scalars in double, with batch or running statistics: α = invstd·weight,
    /// β = bias − mean·α (weight 1 and bias 0 when absent).
    /// </summary>
    public static (double Alpha, double Beta) AffineScalars(double mean, double invstd, double[]? weight, double[]? bias, int ch)
    {
        double alpha = invstd * (weight?[ch] ?? 1);
        return (alpha, (bias?[ch] ?? 0) - mean * alpha);
    }

    /// <summary>y = act(x·α[c] + β[c]) for every row of channel c (the forward with given statistics).</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, int n, int c, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta, Span<T> y,
                                 RowActivation<T> activation = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (al, be) = (alpha[..c].ToArray(), beta[..c].ToArray());
        fixed (T* px = x, py = y)
        {
            var (xp, yp, length) = ((nint)px, (nint)py, x.Length);
            Threading.For(c, Work(length, n * c, 2, 3), ch => ChannelAffine((T*)xp, (T*)yp, length, n, c, inner, ch, al[ch], be[ch], activation));
        }
    }

    /// <summary>
    /// The backward: per channel Σg and Σ(x − mean)·g, then the input gradient. With batch statistics:
    /// dx = (g − ḡ − (x − mean)·k)·a with ḡ = Σg/count and k = Σ(x − mean)g·invstd²/count; without (running
    /// statistics are constants): dx = g·a. Here a = invstd·weight. With a fused activation, g is the
    /// activation's gradient, made from the incoming <paramref name="g"/> and the activation's output <paramref name="z"/>.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int inner, bool batchStats,
                                   ReadOnlySpan<double> mean, ReadOnlySpan<double> invstd, double[]? weight, Span<double> sumG, Span<double> dot, Span<T> dx,
                                   RowActivation<T> activation = default, ReadOnlySpan<T> z = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * inner;
        var (means, invs) = (mean[..c].ToArray(), invstd[..c].ToArray());
        var (sums, dots) = (new double[c], new double[c]);
        fixed (T* px = x, pg = g, pd = dx, pz = z)
        {
            var (xp, gp, dp, zp, length) = ((nint)px, (nint)pg, (nint)pd, (nint)pz, x.Length);
            Threading.For(c, Work(length, n * c, 8, 9), ch =>
            {
                var m = T.CreateChecked(means[ch]);
                var zRows = activation.IsNone ? null : (T*)zp;
                var (s, d) = ChannelSums((T*)xp, (T*)gp, zRows, length, n, c, inner, ch, m, activation);
                (sums[ch], dots[ch]) = (s, d);
                double a = invs[ch] * (weight?[ch] ?? 1);
                double gradMean = s / count;
                double k = d * invs[ch] * invs[ch] / count;
                ChannelInputGrad((T*)xp, (T*)gp, zRows, (T*)dp, length, n, c, inner, ch, batchStats, m,
                                 T.CreateChecked(k), T.CreateChecked(gradMean), T.CreateChecked(a), activation);
            });
        }
        sums.CopyTo(sumG);
        dots.CopyTo(dot);
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
