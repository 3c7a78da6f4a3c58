using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Models;

/// <summary>
/// Nearest-neighbour ×2 upsampling written with views: [N, C, H, W] → [N, C, H, 1, W, 1] →
/// expand to [N, C, H, 2, W, 2] → reshape to [N, C, 2H, 2W]. Equal to
/// <c>F.interpolate(x, scale_factor=2, mode='nearest')</c>; its gradient sums each 2×2 block.
/// </summary>
public sealed class NearestUpsample2x : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        var s = input.Shape;
        return input.Reshape(s[0], s[1], s[2], 1, s[3], 1).Expand(s[0], s[1], s[2], 2, s[3], 2).Reshape(s[0], s[1], 2 * s[2], 2 * s[3]);
    }
}
