using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>Element-wise binary cross-entropy between probabilities x and targets y, logs clamped at −100.</summary>
/// <remarks>
/// ℓ = −w·(y·max(ln x, −100) + (1 − y)·max(ln(1 − x), −100)). As in PyTorch,
/// ∂ℓ/∂x = g·w·(x − y)/max(x(1 − x), 1e−12), which stays finite at x = 0 and x = 1 where the
/// derivative of the clamped logs would give 0·∞, and ∂ℓ/∂y = −g·w·logit(x) (unclamped, as PyTorch's <c>binary_cross_entropy_target_backward</c>).
/// Both are written in differentiable tensor operations, so gradients of gradients work.
/// The weight is a constant (PyTorch does not differentiate it either).
/// </remarks>
internal sealed class BinaryCrossEntropyBackward0 : Function
{
    private const double LogClamp = -100;
    // ATen's EPSILON is a float constant (1e-12f), so its value in double is 9.9999998e-13.
    private const double Epsilon = 1e-12f;
    private SavedTensor _x = null!, _y = null!;
    private SavedTensor? _w;
    public override string Name => "BinaryCrossEntropyBackward0";

    public static Tensor Apply(Tensor x, Tensor y, Tensor? weight)
    {
        if (x.Numel > 0)
        {
            var values = x.Detach().Contiguous();
            double lo = values.DType == DType.Float32 ? System.Numerics.Tensors.TensorPrimitives.Min(values.Span<float>()) : System.Numerics.Tensors.TensorPrimitives.Min(values.Span<double>());
            double hi = values.DType == DType.Float32 ? System.Numerics.Tensors.TensorPrimitives.Max(values.Span<float>()) : System.Numerics.Tensors.TensorPrimitives.Max(values.Span<double>());
            if (!(lo >= 0 && hi <= 1)) throw new ArgumentException("all elements of input should be between 0 and 1");
        }
        var w = weight?.Detach();
        Tensor loss;
        using (Torch.NoGrad())
        {
            // PyTorch's kernel: (y − 1)·max(ln(1 − x), −100) − y·max(ln x, −100).
            loss = (y - 1) * ClampedLog(1 - x) - y * ClampedLog(x);
            if (w is not null) loss = loss * w;
        }
        var fn = new BinaryCrossEntropyBackward0();
        (fn._x, fn._y) = (fn.Save(x), fn.Save(y));
        if (w is not null) fn._w = fn.Save(w);
        return fn.Record(loss, x, y);
    }

    private static Tensor ClampedLog(Tensor t) => Map.Binary(Map.Unary(t, new Elementwise.Log()), Torch.Scalar(LogClamp, t.DType), new Elementwise.Maximum());

    protected internal override Tensor?[] Backward(Tensor g)
    {
        Tensor? gx = null, gy = null;
        var (x, y, w) = (_x.Value, _y.Value, _w?.Value);
        if (NeedsGrad(0))
        {
            gx = g * (x - y) / (x * (1 - x)).Clamp(min: Epsilon);
            if (w is not null) gx = gx * w;
        }
        if (NeedsGrad(1))
        {
            // PyTorch's binary_cross_entropy_target_backward: −logit(x), not clamped (±∞ at x = 0 or 1).
            gy = g * -(x / (1 - x)).Log();
            if (w is not null) gy = gy * w;
        }
        return [gx, gy];
    }
}
