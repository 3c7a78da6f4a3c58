using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>Parametric ReLU, like <c>torch.nn.functional.prelu</c>: one slope, or one per channel (dimension 1).</summary>
    /// <remarks>y = x if x &gt; 0 else weight[c]·x; effectively a leaky ReLU whose slope is learnt per channel.</remarks>
    public static Tensor Prelu(Tensor input, Tensor weight) => PreluBackward0.Apply(input, weight);
}
