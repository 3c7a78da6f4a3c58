using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Leaky ReLU: x where x &gt; 0, otherwise negativeSlope·x.</summary>
/// <remarks>
/// ∂/∂x = g where x &gt; 0, else g·negativeSlope — so at exactly 0 the slope applies, as in
/// PyTorch's <c>leaky_relu_backward</c> (<c>self &gt; 0 ? grad : grad * negval</c>). The local slope
/// is a constant of x, so the backward is linear in g and its own derivative with respect to x is 0.
/// </remarks>
internal sealed class LeakyReluBackward0 : Function
{
    private SavedTensor _x = null!;
    private double _slope;
    public override string Name => "LeakyReluBackward0";

    public static Tensor Apply(Tensor x, double negativeSlope)
    {
        var fn = new LeakyReluBackward0 { _slope = negativeSlope };
        fn._x = fn.Save(x);
        return fn.Record(Map.Unary(x, new Kernel(negativeSlope, keepValue: true)), x);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [LeakyReluGrad.Apply(g, _x.Value, _slope, "LeakyReluBackwardBackward0")];

    private readonly struct Kernel(double slope, bool keepValue) : IUnaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // The slope is rounded to the element type first, as PyTorch's negval.to<scalar_t>().
            var s = T.CreateChecked(slope);
            if (keepValue) Activation.LeakyRelu(x, s, y); else Activation.LeakyReluSlope(x, s, y);
        }
    }
}
