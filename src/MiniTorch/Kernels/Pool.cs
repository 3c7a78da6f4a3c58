using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// The windows of a pooling along one spatial dimension: for every output index, the first input
/// position inside the input, the number of taps inside it (taps <see cref="Step"/> apart), and
/// the factor that dimension contributes to an average's divisor.
/// </summary>
internal sealed class PoolAxis
{
    public int In { get; private init; }
    public int Step { get; private init; } = 1;
    public int[] Start { get; private init; } = [];
    public int[] Count { get; private init; } = [];
    public int[] Factor { get; private init; } = [];
    public int Out => Start.Length;

    /// <summary>A dimension that is not pooled (size 1, one tap).</summary>
    public static PoolAxis Unit { get; } = new() { In = 1, Start = [0], Count = [1], Factor = [1] };

    /// <summary>
    /// Windows of kernel k, stride s, padding p, dilation d: window o starts at o·s − p; taps in the
    /// padding are skipped. The factor is PyTorch's average divisor along this dimension: with
    /// countIncludePad, the window clipped to the padded input; otherwise the taps inside the input.
    /// </summary>
    public static PoolAxis Regular(int size, int outSize, int k, int s, int p, int d, bool countIncludePad)
    {
        var start = new int[outSize];
        var count = new int[outSize];
        var factor = new int[outSize];
        for (int o = 0; o < outSize; o++)
        {
            int first = o * s - p;
            int t0 = first >= 0 ? 0 : (-first + d - 1) / d;                      // first tap at or after 0
            int t1 = Math.Min(k, first >= size ? 0 : (size - 1 - first) / d + 1); // taps before the end
            start[o] = first + t0 * d;
            count[o] = Math.Max(t1 - t0, 0);
            factor[o] = countIncludePad ? Math.Min(first + k, size + p) - first : count[o];
        }
        return new PoolAxis { In = size, Step = d, Start = start, Count = count, Factor = factor };
    }

    /// <summary>Adaptive windows: output o covers [⌊o·in/out⌋, ⌈(o + 1)·in/out⌉).</summary>
    public static PoolAxis Adaptive(int size, int outSize)
    {
        var start = new int[outSize];
        var count = new int[outSize];
        for (int o = 0; o < outSize; o++)
        {
            int a = (int)((long)o * size / outSize);
            int b = (int)(((long)(o + 1) * size + outSize - 1) / outSize);
            start[o] = a;
            count[o] = b - a;
        }
        return new PoolAxis { In = size, Start = start, Count = count, Factor = count };
    }
}

/// <summary>
/// Max and average pooling over [planes, D, H, W] (destination last), one plane per (sample,
/// channel), in PyTorch's order: taps row-major, ties to the first, a NaN always taken (so the
/// last NaN wins), an empty average window gives 0.
/// </summary>
internal static class Pool
{
    /// <summary>The windows of one pooling: D, H and W axes (unit axes for lower ranks).</summary>
    public readonly record struct Windows(PoolAxis D, PoolAxis H, PoolAxis W)
    {
        public int InPlane => D.In * H.In * W.In;
        public int OutPlane => D.Out * H.Out * W.Out;
    }

    /// <summary>y = the window maxima, idx = their flat positions within the input plane.</summary>
    public static void Max<T>(T[] x, int planes, Windows win, T[] y, long[] idx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Threading.For(planes, (long)planes * win.OutPlane * 8, p =>
        {
            int xi = p * win.InPlane, yi = p * win.OutPlane;
            for (int od = 0; od < win.D.Out; od++)
                for (int oh = 0; oh < win.H.Out; oh++)
                    for (int ow = 0; ow < win.W.Out; ow++, yi++)
                    {
                        int d0 = win.D.Start[od], h0 = win.H.Start[oh], w0 = win.W.Start[ow];
                        long best = (d0 * win.H.In + h0) * (long)win.W.In + w0;
                        T max = T.NegativeInfinity;
                        for (int a = 0, d = d0; a < win.D.Count[od]; a++, d += win.D.Step)
                            for (int b = 0, h = h0; b < win.H.Count[oh]; b++, h += win.H.Step)
                            {
                                int row = (d * win.H.In + h) * win.W.In;
                                for (int c = 0, w = w0; c < win.W.Count[ow]; c++, w += win.W.Step)
                                {
                                    T v = x[xi + row + w];
                                    if (v > max || T.IsNaN(v)) { max = v; best = row + w; }
                                }
                            }
                        y[yi] = max;
                        idx[yi] = best;
                    }
        });
    }

    /// <summary>
    /// y = the window sums divided by <paramref name="divisor"/> if given, else by the product of
    /// the axes' factors (regular pooling, one integer divisor) or by each factor in turn (adaptive
    /// pooling, as PyTorch's <c>sum / kh / kw</c>).
    /// </summary>
    public static void Average<T>(T[] x, int planes, Windows win, int? divisor, bool sequential, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Threading.For(planes, (long)planes * win.OutPlane * 8, p =>
        {
            int xi = p * win.InPlane, yi = p * win.OutPlane;
            for (int od = 0; od < win.D.Out; od++)
                for (int oh = 0; oh < win.H.Out; oh++)
                    for (int ow = 0; ow < win.W.Out; ow++, yi++)
                    {
                        if (win.D.Count[od] <= 0 || win.H.Count[oh] <= 0 || win.W.Count[ow] <= 0) { y[yi] = T.Zero; continue; }
                        T sum = T.Zero;
                        for (int a = 0, d = win.D.Start[od]; a < win.D.Count[od]; a++, d++)
                            for (int b = 0, h = win.H.Start[oh]; b < win.H.Count[oh]; b++, h++)
                            {
                                int row = xi + (d * win.H.In + h) * win.W.In;
                                for (int c = 0, w = win.W.Start[ow]; c < win.W.Count[ow]; c++, w++) sum += x[row + w];
                            }
                        y[yi] = Divide(sum, win, od, oh, ow, divisor, sequential);
                    }
        });
    }

    /// <summary>The adjoint of <see cref="Average{T}"/>: every tap of window o receives g[o] divided as the forward divides.</summary>
    public static void AverageAdjoint<T>(T[] g, int planes, Windows win, int? divisor, bool sequential, T[] gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Threading.For(planes, (long)planes * win.OutPlane * 8, p =>
        {
            int xi = p * win.InPlane, yi = p * win.OutPlane;
            for (int od = 0; od < win.D.Out; od++)
                for (int oh = 0; oh < win.H.Out; oh++)
                    for (int ow = 0; ow < win.W.Out; ow++, yi++)
                    {
                        if (win.D.Count[od] <= 0 || win.H.Count[oh] <= 0 || win.W.Count[ow] <= 0) continue;
                        T delta = Divide(g[yi], win, od, oh, ow, divisor, sequential);
                        for (int a = 0, d = win.D.Start[od]; a < win.D.Count[od]; a++, d++)
                            for (int b = 0, h = win.H.Start[oh]; b < win.H.Count[oh]; b++, h++)
                            {
                                int row = xi + (d * win.H.In + h) * win.W.In;
                                for (int c = 0, w = win.W.Start[ow]; c < win.W.Count[ow]; c++, w++) gx[row + w] += delta;
                            }
                    }
        });
    }

    private static T Divide<T>(T v, Windows win, int od, int oh, int ow, int? divisor, bool sequential) where T : IFloatingPointIeee754<T>
    {
        if (divisor is { } dv) return v / T.CreateChecked(dv);
        // Unit axes have factor 1, and dividing by 1 is exact.
        if (sequential) return v / T.CreateChecked(win.D.Factor[od]) / T.CreateChecked(win.H.Factor[oh]) / T.CreateChecked(win.W.Factor[ow]);
        return v / T.CreateChecked((long)win.D.Factor[od] * win.H.Factor[oh] * win.W.Factor[ow]);
    }

    /// <summary>y[p, idx[p, o]] = x[p, o] (max_unpool: an assignment, so repeated indices hold the value once).</summary>
    public static void Unpool<T>(T[] x, long[] idx, int planes, int inPlane, int outPlane, T[] y) where T : unmanaged
    {
        for (int p = 0; p < planes; p++)
            for (int o = 0; o < inPlane; o++)
                y[p * outPlane + (int)idx[p * inPlane + o]] = x[p * inPlane + o];
    }
}
