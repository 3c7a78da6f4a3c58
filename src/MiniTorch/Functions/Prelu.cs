using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>PReLU: x where x &gt; 0, otherwise weight[c]·x with c the channel (dimension 1).</summary>
/// <remarks>
/// ∂/∂x = g where x &gt; 0, else g·w[c]; ∂/∂w[c] = Σ g·x over the positions of channel c with x ≤ 0.
/// The mask m = [x &gt; 0] is a constant of x, so the backward, written as g·(m + (1−m)·w) and
/// Σ g·x·(1−m), is differentiable in g, x and w and double backward works.
/// </remarks>
internal sealed class PreluBackward0 : Function
{
    private SavedTensor _x = null!, _w = null!;
    public override string Name => "PreluBackward0";

    public static Tensor Apply(Tensor x, Tensor weight)
    {
        Shape.CheckPrelu(x.ShapeRef, weight.ShapeRef);
        if (x.DType != weight.DType)
            throw new ArgumentException($"expected both operands to have the same dtype, got {x.DType} and {weight.DType}");
        var xc = x.Contiguous();
        var y = Torch.Zeros(xc.ShapeRef, xc.DType);
        Run(xc, weight, y);
        var fn = new PreluBackward0();
        (fn._x, fn._w) = (fn.Save(x), fn.Save(weight));
        return fn.Record(y, x, weight);
    }

    /// <summary>
    /// PReLU written over <paramref name="x"/> itself, through the in-place path every <c>*_</c> op
    /// takes (version count, autograd checks, recorded when something requires grad). With nothing
    /// to record, a contiguous x is rewritten by the kernel directly, without an intermediate tensor.
    /// </summary>
    public static Tensor ApplyInPlace(Tensor x, Tensor weight)
    {
        Shape.CheckPrelu(x.ShapeRef, weight.ShapeRef);
        if (x.DType != weight.DType)
            throw new ArgumentException($"expected both operands to have the same dtype, got {x.DType} and {weight.DType}");
        return x.InPlace((old, w) => Apply(old, w[0]), [weight], direct: (self, w) =>
        {
            if (self.IsContiguous) Run(self, w[0], self);
            else if (!RunRowPlanes(self, w[0])) return false;
            return true;
        });
    }

    // In place over [N, C, H, W] whose planes are contiguous but further apart (a row range of a taller tensor):
    // plane by plane, the same elementwise values as the contiguous kernel. False for any other layout.
    private static bool RunRowPlanes(Tensor x, Tensor weight)
    {
        if (x.Dim != 4) return false;
        var st = x.StridesRef;
        int c = x.Size(1), h = x.Size(2), w = x.Size(3), plane = h * w;
        if (st[3] != 1 || st[2] != w || st[1] < plane || st[0] < c * st[1]) return false;
        var wc = weight.Contiguous();
        if (x.DType == DType.Float32) RunRowPlanes<float>(x, wc.Span<float>().ToArray(), plane);
        else RunRowPlanes<double>(x, wc.Span<double>().ToArray(), plane);
        return true;
    }

    private static void RunRowPlanes<T>(Tensor x, T[] slopes, int plane) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (data, st, c) = (x.Data<T>(), x.StridesRef, x.Size(1));
        for (int n = 0; n < x.Size(0); n++)
            for (int k = 0; k < c; k++)
            {
                int at = x.Offset + n * st[0] + k * st[1];
                Prelu.Forward(data, at, slopes.Length == 1 ? slopes : [slopes[k]], plane, plane, data, at);
            }
    }

    // y = PReLU(x) over contiguous x and y (which may be the same tensor).
    private static void Run(Tensor x, Tensor weight, Tensor y)
    {
        var wc = weight.Contiguous();
        int inner = Shape.PreluInner(x.ShapeRef);
        if (x.DType == DType.Float32) Run<float>(x, wc, inner, y);
        else Run<double>(x, wc, inner, y);
    }

    private static void Run<T>(Tensor x, Tensor w, int inner, Tensor y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The kernel wants the slopes as an array of their own (a weight may be a view into a larger storage).
        var slopes = w.Offset == 0 && w.Data<T>().Length == w.Numel ? w.Data<T>() : w.Span<T>().ToArray();
        Prelu.Forward(x.Data<T>(), x.Offset, slopes, inner, x.Numel, y.Data<T>(), y.Offset);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var (x, weight) = (_x.Value, _w.Value);
        var positive = Map.Unary(x, new PositiveMask());
        var w = Broadcastable(weight, x.Dim);
        var dx = NeedsGrad(0) ? g * (positive + (1.0 - positive) * w) : null;
        Tensor? dw = null;
        if (NeedsGrad(1))
        {
            var perPosition = g * x * (1.0 - positive);
            dw = weight.Numel == 1 ? perPosition.Sum().Reshape(weight.Shape) : perPosition.SumTo(w.ShapeRef).Reshape(weight.Shape);
        }
        return [dx, dw];
    }

    /// <summary>The weight shaped to broadcast along dimension 1 of a rank-<paramref name="rank"/> input: [C, 1, …, 1].</summary>
    private static Tensor Broadcastable(Tensor w, int rank)
    {
        if (w.Numel == 1 || rank < 2) return w.Numel == 1 ? w.Reshape([]) : w;
        var shape = Enumerable.Repeat(1, rank - 1).ToArray();
        shape[0] = w.Numel;
        return w.Reshape(shape);
    }

    private readonly struct PositiveMask : IUnaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Activation.LeakyReluSlope(x, T.Zero, y);
    }
}
