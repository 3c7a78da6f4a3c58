using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// In-place parameter updates of SGD and Adam over spans, in PyTorch 1.13's order of
/// operations and roundings (<c>_single_tensor_sgd</c>, <c>_single_tensor_adam</c>). Scalars are
/// rounded to the element type first, as ATen does. Where ATen's vectorised CPU kernel fuses
/// (<c>add(x, alpha)</c> is <c>fmadd(x, alpha, self)</c>) we fuse too; <c>addcmul</c> and
/// <c>addcdiv</c> are not fused there and are not fused here.
/// </summary>
internal static class OptimKernels
{
    /// <summary>
    /// One SGD step. <paramref name="momentumBuffer"/> is ignored when momentum is 0 and is
    /// initialised with the (decayed) gradient when <paramref name="initBuffer"/> is set.
    /// </summary>
    public static void Sgd<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, bool initBuffer,
                              double lr, double momentum, double dampening, double weightDecay, bool nesterov)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Chunks keep the temporaries and the several passes in cache; each element sees the same operations.
        var scratch = new T[Math.Min(param.Length, Chunk)];
        for (int at = 0; at < param.Length; at += Chunk)
        {
            int len = Math.Min(Chunk, param.Length - at);
            SgdChunk(param.Slice(at, len), grad.Slice(at, len), momentum != 0 ? momentumBuffer.Slice(at, len) : default, initBuffer,
                     lr, momentum, dampening, weightDecay, nesterov, scratch.AsSpan(0, len));
        }
    }

    /// <summary>Elements per chunk: 4 spans of this many floats fit in a 256 KiB L2 with room to spare.</summary>
    private const int Chunk = 4096;

    private static void SgdChunk<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, bool initBuffer,
                                    double lr, double momentum, double dampening, double weightDecay, bool nesterov, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // d_p = grad.add(param, alpha=weight_decay)
        if (weightDecay != 0) TensorPrimitives.FusedMultiplyAdd(param, T.CreateChecked(weightDecay), grad, d);
        else grad.CopyTo(d);
        if (momentum != 0)
        {
            if (initBuffer) d.CopyTo(momentumBuffer);
            else
            {
                // buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
                TensorPrimitives.Multiply(momentumBuffer, T.CreateChecked(momentum), momentumBuffer);
                TensorPrimitives.FusedMultiplyAdd(d, T.CreateChecked(1 - dampening), momentumBuffer, momentumBuffer);
            }
            // d_p = d_p.add(buf, alpha=momentum) with Nesterov, else d_p = buf
            if (nesterov) TensorPrimitives.FusedMultiplyAdd(momentumBuffer, T.CreateChecked(momentum), d, d);
            else momentumBuffer.CopyTo(d);
        }
        // param.add_(d_p, alpha=-lr)
        TensorPrimitives.FusedMultiplyAdd(d, T.CreateChecked(-lr), param, param);
    }

    /// <summary>
    /// One Adam step at step number <paramref name="step"/> (already incremented).
    /// <paramref name="maxExpAvgSq"/> is used only with amsgrad.
    /// </summary>
    public static void Adam<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq,
                               double step, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = Math.Min(param.Length, Chunk);
        T[] decayed = new T[size], tmp = new T[size], update = new T[size];
        for (int at = 0; at < param.Length; at += Chunk)
        {
            int len = Math.Min(Chunk, param.Length - at);
            AdamChunk(param.Slice(at, len), grad.Slice(at, len), expAvg.Slice(at, len), expAvgSq.Slice(at, len),
                      amsgrad ? maxExpAvgSq.Slice(at, len) : default, step, lr, beta1, beta2, eps, weightDecay, amsgrad,
                      decayed.AsSpan(0, len), tmp.AsSpan(0, len), update.AsSpan(0, len));
        }
    }

    private static void AdamChunk<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq,
                                     double step, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad,
                                     Span<T> decayed, Span<T> tmp, Span<T> update)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> g = grad;
        if (weightDecay != 0)
        {
            // grad = grad.add(param, alpha=weight_decay)
            TensorPrimitives.FusedMultiplyAdd(param, T.CreateChecked(weightDecay), grad, decayed);
            g = decayed;
        }
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        TensorPrimitives.Multiply(expAvg, T.CreateChecked(beta1), expAvg);
        TensorPrimitives.FusedMultiplyAdd(g, T.CreateChecked(1 - beta1), expAvg, expAvg);
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): self + (value·g)·g
        TensorPrimitives.Multiply(g, T.CreateChecked(1 - beta2), tmp);
        TensorPrimitives.Multiply(tmp, g, tmp);
        TensorPrimitives.Multiply(expAvgSq, T.CreateChecked(beta2), expAvgSq);
        TensorPrimitives.Add(expAvgSq, tmp, expAvgSq);

        // The bias corrections are Python floats (double) in PyTorch.
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);

        // denom = (v.sqrt() / bias_correction2_sqrt).add_(eps), v the running (or max) second moment
        ReadOnlySpan<T> v = expAvgSq;
        if (amsgrad)
        {
            TensorPrimitives.Max(maxExpAvgSq, expAvgSq, maxExpAvgSq);
            v = maxExpAvgSq;
        }
        var denom = tmp;
        TensorPrimitives.Sqrt(v, denom);
        TensorPrimitives.Divide(denom, T.CreateChecked(biasCorrection2Sqrt), denom);
        TensorPrimitives.Add(denom, T.CreateChecked(eps), denom);

        // param.addcdiv_(exp_avg, denom, value=-step_size): self + (value·exp_avg)/denom
        TensorPrimitives.Multiply(expAvg, T.CreateChecked(-stepSize), update);
        TensorPrimitives.Divide(update, denom, update);
        TensorPrimitives.Add(param, update, param);
    }
}
