namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>An affine map of the last dimension, like <c>torch.nn.functional.linear</c>.</summary>
    /// <remarks>y = x·Wᵀ + b, with W of shape [out, in] and x of shape [*, in].</remarks>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var y = input.MatMul(weight.T);
        return bias is null ? y : y + bias;
    }

    /// <summary>
    /// Randomly zeroes elements with probability <paramref name="p"/> and scales the rest by
    /// 1/(1−p) during training; the identity otherwise, like <c>torch.nn.functional.dropout</c>.
    /// </summary>
    /// <remarks>Effectively computes x · m / (1 − p) with m ~ Bernoulli(1 − p) drawn from <paramref name="generator"/>.</remarks>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!training || p == 0) return input;
        if (p == 1) return input * Torch.ZerosLike(input);
        var u = Torch.Rand(input.ShapeRef, generator, input.DType);
        // Keep where u < 1 − p, i.e. with probability 1 − p; the kept values are scaled so the mean is unchanged.
        var keep = Functions.Map.Binary(Torch.Scalar(1 - p, input.DType), u, new Kernels.Elementwise.Greater());
        return input * (keep / (1 - p));
    }

    /// <summary>Merges dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one, like <c>torch.flatten</c>.</summary>
    public static Tensor Flatten(Tensor input, int startDim = 0, int endDim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Reshape(Shape.Flatten(input.ShapeRef, startDim, endDim));
    }
}
