using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Experimental;

/// <summary>
/// PROTOTYPE, private to the example until MiniTorch's minibatch standard deviation lands (issue 12,
/// library half). StyleGAN's layer (Karras et al., 2018): splits the batch into groups of
/// <see cref="GroupSize"/>, takes each feature's standard deviation over the group, averages it
/// over features and positions, and appends that number as one more constant channel, so D can
/// see a batch's lack of variety.
/// </summary>
public sealed class MinibatchStdDev(int groupSize = 4) : Module
{
    /// <summary>Samples per group.</summary>
    public int GroupSize { get; } = groupSize;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        int n = input.Size(0), c = input.Size(1), h = input.Size(2), w = input.Size(3);
        int g = Math.Min(GroupSize, n);
        if (n % g != 0) throw new ArgumentException($"batch size {n} is not divisible by the group size {g}");
        var y = input.Reshape(g, n / g, c, h, w);
        y = y - y.Mean(0, keepdim: true);
        y = (y.Pow(2).Mean(0) + 1e-8).Sqrt();           // [n/g, c, h, w]
        y = y.Mean([1, 2, 3]).Reshape(1, n / g, 1, 1, 1); // [1, n/g, 1, 1, 1]
        y = y.Expand(g, n / g, 1, h, w).Reshape(n, 1, h, w);
        return Torch.Cat([input, y], 1);
    }
}
