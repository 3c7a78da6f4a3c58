using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Binary cross-entropy with logits and its two gradients, each one pass over memory: chunks of
/// <see cref="Chunk"/> elements go through every step of the formula in small buffers that stay in
/// L1, and the chunks run on all cores. The formulas and their order of operations are ATen's
/// (<c>binary_cross_entropy_with_logits</c> and its backward functions in PyTorch 1.13); each
/// element's result depends only on that element, so it is the same for any thread count.
/// </summary>
/// <remarks>
/// Spans are dense and of one length; <c>weight</c> and <c>posWeight</c> are already broadcast to it,
/// or empty when absent.
/// </remarks>
internal static class BceWithLogitsKernels
{
    private const int Chunk = 1024;

    /// <summary>
    /// ℓ = (1 − t)·x + m + ln(e^−m + e^(−x−m)) with m = max(−x, 0); with a positive weight p,
    /// ℓ = (1 − t)·x + ((p − 1)·t + 1)·(ln(e^−m + e^(−x−m)) + m); then ℓ·w.
    /// </summary>
    public static void Forward<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> t, ReadOnlyMemory<T> w, ReadOnlyMemory<T> posWeight, Memory<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Chunks(x.Length, 12, (at, len) =>
        {
            Span<T> m = stackalloc T[len], a = stackalloc T[len], b = stackalloc T[len];
            ReadOnlySpan<T> xs = x.Span.Slice(at, len), ts = t.Span.Slice(at, len);
            var dst = loss.Span.Slice(at, len);
            // max_val = (-input).clamp_min_(0)
            TensorPrimitives.Negate(xs, m);
            TensorPrimitives.Max(m, T.Zero, m);
            // log((-max_val).exp_() + (-input - max_val).exp_())
            TensorPrimitives.Negate(m, a);
            ExpFamily.Exp(a, a);
            TensorPrimitives.Negate(xs, b);
            TensorPrimitives.Subtract(b, m, b);
            ExpFamily.Exp(b, b);
            TensorPrimitives.Add(a, b, a);
            TensorPrimitives.Log(a, a);
            // (1 - target).mul_(input)
            TensorPrimitives.Subtract(T.One, ts, b);
            TensorPrimitives.Multiply(b, xs, b);
            if (posWeight.IsEmpty)
            {
                // .add_(max_val).add_(log(...))
                TensorPrimitives.Add(b, m, b);
                TensorPrimitives.Add(b, a, dst);
            }
            else
            {
                // .add_(log_weight.mul_(log(...).add_(max_val))), log_weight = (pos_weight - 1).mul(target).add_(1)
                TensorPrimitives.Add(a, m, a);
                TensorPrimitives.Subtract(posWeight.Span.Slice(at, len), T.One, m);
                TensorPrimitives.Multiply(m, ts, m);
                TensorPrimitives.Add(m, T.One, m);
                TensorPrimitives.Multiply(m, a, a);
                TensorPrimitives.Add(b, a, dst);
            }
            if (!w.IsEmpty) TensorPrimitives.Multiply(dst, w.Span.Slice(at, len), dst);
        });
    }

    /// <summary>
    /// ∂ℓ/∂x = (σ(x) − t)·g, or ((p·t + 1 − t)·σ(x) − p·t)·g with a positive weight; then ·w and ÷ <paramref name="divisor"/>.
    /// <paramref name="g"/> is the incoming gradient of each element, or empty for the single <paramref name="g0"/>.
    /// </summary>
    public static void InputGrad<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> t, ReadOnlyMemory<T> w, ReadOnlyMemory<T> posWeight,
                                    ReadOnlyMemory<T> g, T g0, T divisor, Memory<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Chunks(x.Length, 8, (at, len) =>
        {
            ReadOnlySpan<T> xs = x.Span.Slice(at, len), ts = t.Span.Slice(at, len);
            var dst = dx.Span.Slice(at, len);
            if (posWeight.IsEmpty)
            {
                // input.sigmoid() - target
                ExpFamily.Sigmoid(xs, dst);
                TensorPrimitives.Subtract(dst, ts, dst);
            }
            else
            {
                // t = pos_weight.mul(target); t.add(1).sub_(target).mul_(input.sigmoid()).sub_(t)
                Span<T> pt = stackalloc T[len], s = stackalloc T[len];
                TensorPrimitives.Multiply(posWeight.Span.Slice(at, len), ts, pt);
                TensorPrimitives.Add(pt, T.One, dst);
                TensorPrimitives.Subtract(dst, ts, dst);
                ExpFamily.Sigmoid(xs, s);
                TensorPrimitives.Multiply(dst, s, dst);
                TensorPrimitives.Subtract(dst, pt, dst);
            }
            Finish(g, g0, w, divisor, at, dst);
        });
    }

    /// <summary>
    /// ∂ℓ/∂t = −x·g, or (ln σ(−x) − p·ln σ(x))·g with a positive weight; then ·w and ÷ <paramref name="divisor"/>.
    /// </summary>
    public static void TargetGrad<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> posWeight,
                                     ReadOnlyMemory<T> g, T g0, T divisor, Memory<T> dt)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Chunks(x.Length, 16, (at, len) =>
        {
            var xs = x.Span.Slice(at, len);
            var dst = dt.Span.Slice(at, len);
            if (posWeight.IsEmpty) TensorPrimitives.Negate(xs, dst); // -self
            else
            {
                // log_sigmoid(-self).sub_(log_sigmoid(self).mul_(pos_weight))
                Span<T> s = stackalloc T[len];
                TensorPrimitives.Negate(xs, dst);
                LogSigmoid(dst, dst);
                LogSigmoid(xs, s);
                TensorPrimitives.Multiply(s, posWeight.Span.Slice(at, len), s);
                TensorPrimitives.Subtract(dst, s, dst);
            }
            Finish(g, g0, w, divisor, at, dst);
        });
    }

    /// <summary>ln σ(x) = min(x, 0) − ln(1 + e^−|x|), stable for any x (ATen's log_sigmoid).</summary>
    private static void LogSigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> e = stackalloc T[x.Length];
        TensorPrimitives.Abs(x, e);
        TensorPrimitives.Negate(e, e);
        ExpFamily.Exp(e, e);
        TensorPrimitives.LogP1(e, e);
        TensorPrimitives.Min(x, T.Zero, y);
        TensorPrimitives.Subtract(y, e, y);
    }

    /// <summary>.mul_(grad), then .mul_(weight), then ÷ numel for the mean (<paramref name="divisor"/> 1 otherwise).</summary>
    private static void Finish<T>(ReadOnlyMemory<T> g, T g0, ReadOnlyMemory<T> w, T divisor, int at, Span<T> dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.IsEmpty) TensorPrimitives.Multiply(dst, g0, dst);
        else TensorPrimitives.Multiply(dst, g.Span.Slice(at, dst.Length), dst);
        if (!w.IsEmpty) TensorPrimitives.Multiply(dst, w.Span.Slice(at, dst.Length), dst);
        if (divisor != T.One) TensorPrimitives.Divide(dst, divisor, dst);
    }

    /// <summary>Runs <paramref name="body"/>(start, length) over chunks of the range, on all cores when the work is large.</summary>
    private static void Chunks(int length, int opsPerElement, Action<int, int> body)
    {
        int count = (length + Chunk - 1) / Chunk;
        Threading.For(count, (long)opsPerElement * length, i => body(i * Chunk, Math.Min(Chunk, length - i * Chunk)));
    }
}
