using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Softmax and log-softmax along one dimension of a dense tensor viewed as [outer, size, inner]
/// (destination last), numerically stable: the maximum is subtracted before exponentiating.
/// </summary>
/// <remarks>
/// With inner = 1 each row is contiguous and every step is one <see cref="TensorPrimitives"/>
/// call over it; otherwise the size rows of each [size, inner] block are combined lane by lane,
/// which vectorises over inner. A NaN anywhere in a slice makes the whole slice NaN, and a slice
/// of −∞ (or containing +∞) gives NaN, as in PyTorch.
/// </remarks>
internal static class Softmax
{
    public static void Forward<T>(ReadOnlySpan<T> x, int outer, int size, int inner, bool log, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (size == 0 || inner == 0) return;
        if (inner == 1) { for (int o = 0; o < outer; o++) Row(x.Slice(o * size, size), log, y.Slice(o * size, size)); return; }
        var max = new T[inner];
        var sum = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            var xb = x.Slice(o * size * inner, size * inner);
            var yb = y.Slice(o * size * inner, size * inner);
            xb[..inner].CopyTo(max);
            for (int k = 1; k < size; k++) TensorPrimitives.Max(max, xb.Slice(k * inner, inner), max);
            Array.Clear(sum);
            for (int k = 0; k < size; k++)
            {
                var yr = yb.Slice(k * inner, inner);
                TensorPrimitives.Subtract(xb.Slice(k * inner, inner), max, yr);
                if (log)
                {
                    // Accumulate e^(x − max) without keeping it: y holds x − max for now.
                    for (int j = 0; j < inner; j++) sum[j] += T.Exp(yr[j]);
                }
                else
                {
                    ExpFamily.Exp(yr, yr);
                    TensorPrimitives.Add(sum, yr, sum);
                }
            }
            if (log) TensorPrimitives.Log(sum, sum);
            for (int k = 0; k < size; k++)
            {
                var yr = yb.Slice(k * inner, inner);
                if (log) TensorPrimitives.Subtract(yr, sum, yr); else TensorPrimitives.Divide(yr, sum, yr);
            }
        }
    }

    private static void Row<T>(ReadOnlySpan<T> x, bool log, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        if (log)
        {
            T sum = T.Zero;
            foreach (var v in y) sum += T.Exp(v);
            TensorPrimitives.Subtract(y, T.Log(sum), y);
        }
        else
        {
            ExpFamily.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
        }
    }
}
