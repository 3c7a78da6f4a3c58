using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>Row reductions over a dense [rows, length] buffer: destination last.</summary>
internal static class Reduce
{
    /// <summary>y[r] = Σ_j x[r, j]. Each row is summed in a fixed order, so results never depend on threading.</summary>
    public static void SumRows<T>(ReadOnlySpan<T> x, int length, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < y.Length; r++) y[r] = length == 0 ? T.Zero : TensorPrimitives.Sum(x.Slice(r * length, length));
    }

    /// <summary>y[r] = max_j x[r, j] and idx[r] = the first j attaining it (NaN wins, as in PyTorch).</summary>
    public static void MaxRows<T>(ReadOnlySpan<T> x, int length, Span<T> y, Span<int> idx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < y.Length; r++)
        {
            var row = x.Slice(r * length, length);
            int best = 0;
            for (int j = 1; j < length; j++)
            {
                if (T.IsNaN(row[best])) break;
                if (T.IsNaN(row[j]) || row[j] > row[best]) best = j;
            }
            idx[r] = best;
            y[r] = row[best];
        }
    }
}
