using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>Leaky ReLU, like <c>torch.nn.functional.leaky_relu</c>.</summary>
    /// <remarks>y = x if x &gt; 0 else negativeSlope·x; the gradient at exactly 0 is negativeSlope, as in PyTorch.</remarks>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01)
    {
        ArgumentNullException.ThrowIfNull(input);
        return LeakyReluBackward0.Apply(input, negativeSlope);
    }

    /// <summary>max(x, 0), like <c>torch.nn.functional.relu</c> (gradient 0 at 0).</summary>
    public static Tensor Relu(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }

    /// <summary>The hyperbolic tangent, like <c>torch.tanh</c>.</summary>
    public static Tensor Tanh(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }

    /// <summary>The logistic sigmoid 1/(1+e⁻ˣ), like <c>torch.sigmoid</c>.</summary>
    public static Tensor Sigmoid(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sigmoid();
    }
}
