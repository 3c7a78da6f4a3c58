using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// The backward of leaky ReLU and ReLU as one op of the incoming gradient: g ↦ g where x &gt; 0, else g·slope
/// (x is a constant of it: the input for leaky ReLU, the output for ReLU with slope 0).
/// </summary>
/// <remarks>
/// One fused pass instead of materialising the local slope and multiplying (bitwise the same:
/// g·1 = g). The map is linear and diagonal in g, so its own backward is itself on the same x;
/// its derivative with respect to x is zero almost everywhere, and none is propagated, as before.
/// </remarks>
internal sealed class LeakyReluGrad : Function
{
    private SavedTensor _x = null!;
    private double _slope;
    private string _name = "";
    public override string Name => _name;

    /// <param name="g">The incoming gradient (shape of x).</param>
    /// <param name="x">Where the slope is 1 (x &gt; 0) or <paramref name="slope"/>.</param>
    /// <param name="slope">The slope elsewhere, rounded to the element type as PyTorch's negval.</param>
    /// <param name="name">PyTorch's grad_fn name of this backward node.</param>
    public static Tensor Apply(Tensor g, Tensor x, double slope, string name)
    {
        if (g.DType != x.DType)
            throw new ArgumentException($"expected both operands to have the same dtype, got {g.DType} and {x.DType}");
        var (gc, xc) = (g.Contiguous(), x.Contiguous());
        var y = Map.Output(xc.ShapeRef, x.DType);
        bool relu = slope == 0 && name == ReluName;
        if (x.DType == DType.Float32) Run<float>(xc, gc, slope, relu, y);
        else Run<double>(xc, gc, slope, relu, y);
        var fn = new LeakyReluGrad { _slope = slope, _name = name };
        fn._x = fn.Save(x);
        return fn.Record(y, g);
    }

    // Lane-pure and element-wise, so chunks on all cores give the whole-span call's bits (see Threading.ForChunks).
    private static unsafe void Run<T>(Tensor x, Tensor g, double slope, bool relu, Tensor y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x.Span<T>(), gs = g.Span<T>();
        var ys = y.Span<T>();
        var s = T.CreateChecked(slope);
        if (ys.Length != xs.Length || gs.Length != xs.Length) throw new ArgumentException("all spans must have the same length");
        if (!Threading.MayChunk(ys.Length, OpsPerElement))
        {
            Activation.LeakyReluBackward(xs, gs, s, ys, threshold: relu);
            return;
        }
        fixed (T* px = xs, pg = gs, py = ys)
        {
            var (xp, gp, yp) = ((nint)px, (nint)pg, (nint)py);
            Threading.ForChunks(ys.Length, Threading.LeadTo64(yp, sizeof(T)), OpsPerElement, (at, n) =>
                Activation.LeakyReluBackward(new ReadOnlySpan<T>((T*)xp + at, n), new ReadOnlySpan<T>((T*)gp + at, n), s, new Span<T>((T*)yp + at, n), threshold: relu));
        }
    }

    /// <summary>Work per element given to <see cref="Threading.ForChunks"/>: two loads, a compare and select, a store.</summary>
    private const long OpsPerElement = 5;

    /// <summary>ReLU's backward node: PyTorch's threshold_backward, which passes g where the output is NaN.</summary>
    public const string ReluName = "ThresholdBackwardBackward0";

    protected internal override Tensor?[] Backward(Tensor g) => [Apply(g, _x.Value, _slope, _name)];
}
