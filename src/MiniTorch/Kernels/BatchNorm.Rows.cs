using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// The element-wise parts of the batch-norm passes as one loop per row, where each was a chain of
/// <see cref="System.Numerics.Tensors.TensorPrimitives"/> calls. On DCGAN's small planes (4×4 and 8×8: rows of 16
/// and 64 values) a row is one to four vectors and the calls' fixed cost, not the arithmetic, was the time.
/// </summary>
/// <remarks>
/// Each element goes through the same IEEE operations in the same order as the call chain did, each rounded
/// to <typeparamref name="T"/> (no fused multiply-add: the JIT never contracts a product and a sum), so the
/// values are bitwise the chain's whatever the vector width, the row's length or its alignment.
/// </remarks>
internal static class BatchNormRows<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>y = x·α + β (the chain Multiply(x, α) then Add(·, β)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShift(ReadOnlySpan<T> x, T alpha, T beta, Span<T> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length");
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (a, b) = (Vector512.Create(alpha), Vector512.Create(beta));
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xs, (nuint)i) * a + b).StoreUnsafe(ref ys, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (a, b) = (Vector256.Create(alpha), Vector256.Create(beta));
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xs, (nuint)i) * a + b).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) * alpha + beta;
    }

    /// <summary>y = x − m (TensorPrimitives.Subtract(x, m), without its call's fixed cost).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract(ReadOnlySpan<T> x, T m, Span<T> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length");
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var v = Vector512.Create(m);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xs, (nuint)i) - v).StoreUnsafe(ref ys, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var v = Vector256.Create(m);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xs, (nuint)i) - v).StoreUnsafe(ref ys, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ys, i) = Unsafe.Add(ref xs, i) - m;
    }

    /// <summary>
    /// dx = (g − (x − mean)·k − ḡ)·a (the chain Subtract(x, mean), Multiply(·, k), Subtract(g, ·),
    /// Subtract(·, ḡ), Multiply(·, a)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InputGrad(ReadOnlySpan<T> x, ReadOnlySpan<T> g, T mean, T k, T gradMean, T a, Span<T> dx)
    {
        if (x.Length != dx.Length || g.Length != dx.Length) throw new ArgumentException("x, g and dx must have the same length");
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T gs = ref MemoryMarshal.GetReference(g);
        ref T ds = ref MemoryMarshal.GetReference(dx);
        int n = dx.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (m, kv, gm, av) = (Vector512.Create(mean), Vector512.Create(k), Vector512.Create(gradMean), Vector512.Create(a));
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var t = (Vector512.LoadUnsafe(ref xs, (nuint)i) - m) * kv;
                ((Vector512.LoadUnsafe(ref gs, (nuint)i) - t - gm) * av).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (m, kv, gm, av) = (Vector256.Create(mean), Vector256.Create(k), Vector256.Create(gradMean), Vector256.Create(a));
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var t = (Vector256.LoadUnsafe(ref xs, (nuint)i) - m) * kv;
                ((Vector256.LoadUnsafe(ref gs, (nuint)i) - t - gm) * av).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T t = (Unsafe.Add(ref xs, i) - mean) * k;
            Unsafe.Add(ref ds, i) = (Unsafe.Add(ref gs, i) - t - gradMean) * a;
        }
    }
    /// <summary>
    /// z = act(x·α + β) in one loop: the chain Multiply(x, α), Add(·, β), then the activation's own call
    /// (ReLU: TensorPrimitives.Max(·, 0), IEEE maximum; leaky ReLU: y &gt; 0 ? y : y·slope as <c>Activation.LeakyRelu</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShiftActivate(ReadOnlySpan<T> x, T alpha, T beta, RowActivation<T> activation, Span<T> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length");
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        int n = y.Length, i = 0;
        var (relu, leaky, slope) = (activation.IsRelu, activation.IsLeakyRelu, activation.Slope);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (a, b, s) = (Vector512.Create(alpha), Vector512.Create(beta), Vector512.Create(slope));
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i) * a + b;
                if (relu) v = Vector512.Max(v, Vector512<T>.Zero);
                else if (leaky) v = Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<T>.Zero), v, v * s);
                v.StoreUnsafe(ref ys, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (a, b, s) = (Vector256.Create(alpha), Vector256.Create(beta), Vector256.Create(slope));
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref xs, (nuint)i) * a + b;
                if (relu) v = Vector256.Max(v, Vector256<T>.Zero);
                else if (leaky) v = Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<T>.Zero), v, v * s);
                v.StoreUnsafe(ref ys, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref xs, i) * alpha + beta;
            if (relu) v = T.Max(v, T.Zero);
            else if (leaky) v = v > T.Zero ? v : v * slope;
            Unsafe.Add(ref ys, i) = v;
        }
    }

    /// <summary>
    /// <see cref="InputGrad"/> (with batch statistics) or dx = g·a (without), with g first turned into the gradient
    /// entering the batch norm by the fused activation's backward (z &gt; 0 ? g : g·slope, as
    /// <c>Activation.LeakyReluBackward</c>): one loop where the chain wrote the activation's gradient to a buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ActivatedInputGrad(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> z, T slope, bool batchStats, T mean, T k, T gradMean, T a,
                                          Span<T> dx)
    {
        if (x.Length != dx.Length || g.Length != dx.Length || z.Length != dx.Length) throw new ArgumentException("x, g, z and dx must have the same length");
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T gs = ref MemoryMarshal.GetReference(g);
        ref T zs = ref MemoryMarshal.GetReference(z);
        ref T ds = ref MemoryMarshal.GetReference(dx);
        int n = dx.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (m, kv, gm, av, s) = (Vector512.Create(mean), Vector512.Create(k), Vector512.Create(gradMean), Vector512.Create(a), Vector512.Create(slope));
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var gv = Vector512.LoadUnsafe(ref gs, (nuint)i);
                gv = Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref zs, (nuint)i), Vector512<T>.Zero), gv, gv * s);
                if (batchStats) gv = gv - (Vector512.LoadUnsafe(ref xs, (nuint)i) - m) * kv - gm;
                (gv * av).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (m, kv, gm, av, s) = (Vector256.Create(mean), Vector256.Create(k), Vector256.Create(gradMean), Vector256.Create(a), Vector256.Create(slope));
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var gv = Vector256.LoadUnsafe(ref gs, (nuint)i);
                gv = Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref zs, (nuint)i), Vector256<T>.Zero), gv, gv * s);
                if (batchStats) gv = gv - (Vector256.LoadUnsafe(ref xs, (nuint)i) - m) * kv - gm;
                (gv * av).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T gi = Unsafe.Add(ref gs, i);
            gi = Unsafe.Add(ref zs, i) > T.Zero ? gi : gi * slope;
            if (batchStats) gi = gi - (Unsafe.Add(ref xs, i) - mean) * k - gradMean;
            Unsafe.Add(ref ds, i) = gi * a;
        }
    }
}
