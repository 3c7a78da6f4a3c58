using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Matrix product of 2-D tensors, or batched with broadcast batch dimensions.</summary>
/// <remarks>C = A·B; ∂/∂A = g·Bᵀ and ∂/∂B = Aᵀ·g, summed over broadcast batch dimensions.</remarks>
internal sealed class MatMulBackward : Function
{
    private SavedTensor? _a, _b;
    private int[] _aShape = [], _bShape = [];
    private bool _batched;
    public override string Name => _batched ? "BmmBackward0" : "MmBackward0";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        if (a.Dim == 0 || b.Dim == 0) throw new ArgumentException("both arguments to matmul need to be at least 1D, but they are " + $"{a.Dim}D and {b.Dim}D");
        // A vector·vector product is a 0-d tensor, as in PyTorch (dot).
        if (a.Dim == 1 && b.Dim == 1) return Apply(a.Unsqueeze(0), b).Squeeze(0);
        if (a.Dim == 1) return Apply(a.Unsqueeze(0), b).Squeeze(-2);
        if (b.Dim == 1) return Apply(a, b.Unsqueeze(-1)).Squeeze(-1);
        if (a.DType != b.DType) throw new ArgumentException($"expected m1 and m2 to have the same dtype, but got: {a.DType} != {b.DType}");
        int m = a.ShapeRef[^2], k = a.ShapeRef[^1], k2 = b.ShapeRef[^2], n = b.ShapeRef[^1];
        if (k != k2)
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})");
        var batch = Shape.Broadcast(a.ShapeRef[..^2], b.ShapeRef[..^2]);
        int[] outShape = [.. batch, m, n];
        var ac = a.ExpandView([.. batch, m, k]).Contiguous();
        var bc = b.ExpandView([.. batch, k, n]).Contiguous();
        var y = Torch.Zeros(outShape, a.DType);
        int count = Shape.Numel(batch);
        if (a.DType == DType.Float32) Batched.MatMul<float>(count, m, n, k, ac.Span<float>(), bc.Span<float>(), y.Span<float>());
        else Batched.MatMul<double>(count, m, n, k, ac.Span<double>(), bc.Span<double>(), y.Span<double>());
        // As PyTorch's mm/bmm: b is saved only when a needs a gradient, a only when b does.
        var fn = new MatMulBackward { _aShape = a.ShapeRef, _bShape = b.ShapeRef, _batched = batch.Length > 0 };
        if (a.RequiresGrad) fn._b = fn.Save(b);
        if (b.RequiresGrad) fn._a = fn.Save(a);
        return fn.Record(y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g) =>
        [NeedsGrad(0) ? g.MatMul(_b!.Value.Transpose(-1, -2)).SumTo(_aShape) : null,
         NeedsGrad(1) ? _a!.Value.Transpose(-1, -2).MatMul(g).SumTo(_bShape) : null];
}
