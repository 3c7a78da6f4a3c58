using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>Softplus, a smooth ReLU, like <c>torch.nn.functional.softplus</c>.</summary>
    /// <remarks>
    /// y = ln(1 + e^(βx))/β, and y = x where βx &gt; threshold (there the two agree to within the
    /// element type's precision, and e^(βx) could overflow). ∂y/∂x = σ(βx), exactly 1 above the
    /// threshold. Gradients of every order are available (a penalty's double backward needs them).
    /// </remarks>
    /// <param name="input">Any tensor.</param>
    /// <param name="beta">The sharpness β (finite and nonzero; PyTorch would return inf/NaN for 0).</param>
    /// <param name="threshold">Above βx = threshold the function is the identity.</param>
    public static Tensor Softplus(Tensor input, double beta = 1, double threshold = 20)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckSoftplus(beta, threshold);
        return SoftplusBackward0.Apply(input.RequireFloat("softplus_cpu"), beta, threshold);
    }
}
