using System.Numerics;
using System.Runtime.CompilerServices;

namespace MiniTorch.Kernels;

/// <summary>One parameter of a multi-tensor Adam step: its spans and its own step number.</summary>
internal readonly struct AdamSlot<T>(Memory<T> param, ReadOnlyMemory<T> grad, Memory<T> expAvg, Memory<T> expAvgSq, Memory<T> maxExpAvgSq, double step)
    where T : unmanaged
{
    public readonly Memory<T> Param = param, ExpAvg = expAvg, ExpAvgSq = expAvgSq, MaxExpAvgSq = maxExpAvgSq;
    public readonly ReadOnlyMemory<T> Grad = grad;
    public readonly double Step = step;
}

/// <summary>
/// Adam over all parameters in one pass, like PyTorch's <c>foreach</c>/<c>fused</c> Adam: every
/// element is read and written once, with the whole update in registers, and the parameters' chunks
/// run on all cores. Each element goes through exactly the operations and roundings of
/// <see cref="OptimKernels.Adam{T}"/> (PyTorch 1.13's <c>_single_tensor_adam</c>), so the results are
/// bitwise the same; that kernel, which makes one pass per operation, is the reference it is tested against.
/// </summary>
internal static class OptimForeach
{
    /// <summary>Elements per work item: large enough to amortise the hand-out, small enough to balance.</summary>
    private const int Chunk = 1 << 15;

    /// <summary>One Adam step of every slot (each at its own, already incremented, step number).</summary>
    public static void Adam<T>(AdamSlot<T>[] slots, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var items = new List<(int Slot, int Start, int Length)>();
        long total = 0;
        for (int s = 0; s < slots.Length; s++)
        {
            int n = slots[s].Param.Length;
            for (int at = 0; at < n; at += Chunk) items.Add((s, at, Math.Min(Chunk, n - at)));
            total += n;
        }
        Threading.For(items.Count, 12 * total, i =>
        {
            var (s, at, len) = items[i];
            var slot = slots[s];
            // The scalars as _single_tensor_adam computes them: Python floats, rounded to T where they meet a tensor.
            double biasCorrection1 = 1 - Math.Pow(beta1, slot.Step);
            double biasCorrection2 = 1 - Math.Pow(beta2, slot.Step);
            double stepSize = lr / biasCorrection1;
            var k = new Scalars<T>(weightDecay, beta1, beta2, Math.Sqrt(biasCorrection2), eps, -stepSize);
            Run(slot.Param.Span.Slice(at, len), slot.Grad.Span.Slice(at, len), slot.ExpAvg.Span.Slice(at, len), slot.ExpAvgSq.Span.Slice(at, len),
                amsgrad ? slot.MaxExpAvgSq.Span.Slice(at, len) : default, k, weightDecay != 0, amsgrad);
        });
    }

    private readonly struct Scalars<T>(double weightDecay, double beta1, double beta2, double biasCorrection2Sqrt, double eps, double negStepSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T WeightDecay = T.CreateChecked(weightDecay), Beta1 = T.CreateChecked(beta1), OneMinusBeta1 = T.CreateChecked(1 - beta1),
                          Beta2 = T.CreateChecked(beta2), OneMinusBeta2 = T.CreateChecked(1 - beta2),
                          BiasCorrection2Sqrt = T.CreateChecked(biasCorrection2Sqrt), Eps = T.CreateChecked(eps), NegStepSize = T.CreateChecked(negStepSize);
    }

    private static void Run<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq,
                               in Scalars<T> k, bool decay, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var wd = new Vector<T>(k.WeightDecay);
            var (b1, omb1, b2, omb2) = (new Vector<T>(k.Beta1), new Vector<T>(k.OneMinusBeta1), new Vector<T>(k.Beta2), new Vector<T>(k.OneMinusBeta2));
            var (bc2, eps, nss) = (new Vector<T>(k.BiasCorrection2Sqrt), new Vector<T>(k.Eps), new Vector<T>(k.NegStepSize));
            for (; i <= param.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var p = new Vector<T>(param[i..]);
                var g = new Vector<T>(grad[i..]);
                if (decay) g = Fma(p, wd, g);                       // grad.add(param, alpha=weight_decay)
                var m = Fma(g, omb1, new Vector<T>(expAvg[i..]) * b1); // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                var t = g * omb2 * g;                                // addcmul: (value·g)·g
                var v = new Vector<T>(expAvgSq[i..]) * b2 + t;       // exp_avg_sq.mul_(beta2).addcmul_(...)
                var vv = v;
                if (amsgrad)
                {
                    vv = Vector.Max(new Vector<T>(maxExpAvgSq[i..]), v);
                    vv.CopyTo(maxExpAvgSq[i..]);
                }
                var denom = Vector.SquareRoot(vv) / bc2 + eps;       // (v.sqrt() / bias_correction2_sqrt).add_(eps)
                (p + m * nss / denom).CopyTo(param[i..]);            // param.addcdiv_(exp_avg, denom, value=-step_size)
                m.CopyTo(expAvg[i..]);
                v.CopyTo(expAvgSq[i..]);
            }
        }
        for (; i < param.Length; i++)
        {
            var p = param[i];
            var g = grad[i];
            if (decay) g = T.FusedMultiplyAdd(p, k.WeightDecay, g);
            var m = T.FusedMultiplyAdd(g, k.OneMinusBeta1, expAvg[i] * k.Beta1);
            var v = expAvgSq[i] * k.Beta2 + g * k.OneMinusBeta2 * g;
            var vv = v;
            if (amsgrad) maxExpAvgSq[i] = vv = T.Max(maxExpAvgSq[i], v);
            var denom = T.Sqrt(vv) / k.BiasCorrection2Sqrt + k.Eps;
            param[i] = p + m * k.NegStepSize / denom;
            expAvg[i] = m;
            expAvgSq[i] = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> z) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>();
        return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();
    }
}
