using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Σ over some dimensions (all when none are given), optionally keeping them as size 1.</summary>
/// <remarks>∂/∂x = g broadcast back over the summed dimensions.</remarks>
internal sealed class SumBackward : Function
{
    private int[] _shape = [];
    private bool[] _reduced = [];
    private bool _keepDim, _all;
    public override string Name => _all ? "SumBackward0" : "SumBackward1";

    public static Tensor Apply(Tensor x, int[]? dims, bool keepDim)
    {
        var reduced = Reduction.Mask(x.Dim, dims);
        var fn = new SumBackward { _shape = x.ShapeRef, _reduced = reduced, _keepDim = keepDim, _all = dims is null };
        var (src, dst, length) = Reduction.Prepare(x, reduced, keepDim);
        if (src.DType == DType.Float32) Reduce.SumRows<float>(src.Span<float>(), length, dst.Span<float>());
        else Reduce.SumRows<double>(src.Span<double>(), length, dst.Span<double>());
        return fn.Record(dst, x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [Reduction.Unreduce(g, _shape, _reduced, _keepDim)];
}

/// <summary>The shared bookkeeping of reductions: which dimensions, and how to go back.</summary>
internal static class Reduction
{
    public static bool[] Mask(int rank, int[]? dims)
    {
        var mask = new bool[rank];
        if (dims is null) { Array.Fill(mask, true); return mask; }
        foreach (var d in dims)
        {
            int w = Shape.WrapDim(d, rank);
            if (rank == 0) continue;
            if (mask[w]) throw new ArgumentException($"dim {w} appears multiple times in the list of dims");
            mask[w] = true;
        }
        return mask;
    }

    public static int[] ReducedShape(int[] shape, bool[] reduced, bool keepDim)
    {
        var result = new List<int>();
        for (int i = 0; i < shape.Length; i++)
            if (!reduced[i]) result.Add(shape[i]);
            else if (keepDim) result.Add(1);
        return [.. result];
    }

    /// <summary>
    /// Moves the reduced dimensions last and makes the data dense as [rows, length]; returns it
    /// with the (zeroed) result, which holds one value per row.
    /// </summary>
    public static (Tensor Source, Tensor Result, int Length) Prepare(Tensor x, bool[] reduced, bool keepDim)
    {
        var perm = Enumerable.Range(0, x.Dim).Where(i => !reduced[i]).Concat(Enumerable.Range(0, x.Dim).Where(i => reduced[i])).ToArray();
        int length = 1;
        for (int i = 0; i < x.Dim; i++) if (reduced[i]) length *= x.ShapeRef[i];
        var outShape = ReducedShape(x.ShapeRef, reduced, keepDim);
        Tensor src;
        using (Torch.NoGrad()) src = x.Permute(perm).Contiguous();
        return (src, Torch.Zeros(outShape, x.DType), length);
    }

    /// <summary>Broadcasts a reduced gradient back to the input shape (differentiably).</summary>
    public static Tensor Unreduce(Tensor g, int[] shape, bool[] reduced, bool keepDim)
    {
        if (!keepDim)
        {
            var kept = new int[shape.Length];
            for (int i = 0; i < shape.Length; i++) kept[i] = reduced[i] ? 1 : shape[i];
            g = g.Reshape(kept);
        }
        return g.Expand(shape);
    }
}
