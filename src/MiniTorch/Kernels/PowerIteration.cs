using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// The power method for the largest singular value of a row-major matrix W [rows, cols], as in
/// PyTorch's spectral norm: u ← normalize(W·v), v ← normalize(Wᵀ·u), in place, with
/// normalize(x) = x / max(‖x‖₂, eps). No allocation: u and v are the caller's buffers.
/// </summary>
internal static class PowerIteration
{
    public static void Run<T>(ReadOnlySpan<T> w, int rows, int cols, Span<T> u, Span<T> v, int iterations, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        if (w.Length != rows * cols || u.Length != rows || v.Length != cols)
            throw new ArgumentException($"power iteration: expected a {rows}x{cols} matrix, u of {rows} and v of {cols}, got {w.Length}, {u.Length} and {v.Length}");
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < rows; i++) u[i] = TensorPrimitives.Dot(w.Slice(i * cols, cols), v);
            Normalize(u, eps);
            // Wᵀu as a sum of rows scaled by u, so W is read row by row.
            v.Clear();
            for (int i = 0; i < rows; i++) TensorPrimitives.MultiplyAdd(w.Slice(i * cols, cols), u[i], v, v);
            Normalize(v, eps);
        }
    }

    /// <summary>x ← x / max(‖x‖₂, eps), dividing as PyTorch's <c>F.normalize</c> does.</summary>
    public static void Normalize<T>(Span<T> x, T eps) where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        T norm = TensorPrimitives.Norm<T>(x);
        TensorPrimitives.Divide(x, T.Max(norm, eps), x);
    }
}
