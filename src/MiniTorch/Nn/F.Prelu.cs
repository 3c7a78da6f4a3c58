using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>Parametric ReLU, like <c>torch.nn.functional.prelu</c>: one slope, or one per channel (dimension 1).</summary>
    /// <remarks>y = x if x &gt; 0 else weight[c]·x; effectively a leaky ReLU whose slope is learnt per channel.</remarks>
    public static Tensor Prelu(Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return PreluBackward0.Apply(input, weight);
    }

    /// <summary>
    /// <see cref="Prelu"/> in place: overwrites <paramref name="input"/> and returns it, like PyTorch's
    /// other <c>*_</c> ops (the write bumps the input's version; with grad mode on, a leaf input that
    /// requires grad is refused, and otherwise the op is recorded when the input or weight requires grad).
    /// </summary>
    /// <remarks>
    /// Same values as <see cref="Prelu"/>. When nothing is recorded and the input is contiguous, or
    /// [N, C, H, W] with contiguous rows whose channels are further apart (a row range of a taller
    /// tensor), the kernel rewrites it directly, without allocating an output (inference). PyTorch has no in-place
    /// prelu; the trailing underscore follows its naming of in-place ops.
    /// </remarks>
    public static Tensor Prelu_(Tensor input, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        return PreluBackward0.ApplyInPlace(input, weight);
    }
}
