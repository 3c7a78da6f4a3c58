using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>Parametric ReLU, like <c>torch.nn.functional.prelu</c>: one slope, or one per channel (dimension 1).</summary>
    /// <remarks>y = x if x &gt; 0 else weight[c]·x; effectively a leaky ReLU whose slope is learnt per channel.</remarks>
    public static Tensor Prelu(Tensor input, Tensor weight) => PreluBackward0.Apply(input, weight);

    /// <summary>
    /// <see cref="Prelu"/> in place, for inference: overwrites <paramref name="input"/> (which must be
    /// contiguous) and returns it. Nothing is recorded, so it throws when grad mode is on and the
    /// input or the weight requires grad.
    /// </summary>
    /// <remarks>
    /// Same values as <see cref="Prelu"/>, without allocating an output. MiniTorch keeps no version
    /// counters: do not use it on a tensor that an op recorded earlier saved for its backward.
    /// PyTorch has no in-place prelu; the trailing underscore follows its naming of in-place ops.
    /// </remarks>
    public static Tensor Prelu_(Tensor input, Tensor weight) => PreluBackward0.ApplyInPlace(input, weight);
}
