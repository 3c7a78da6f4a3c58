using System.Globalization;

namespace MiniTorch.Nn;

/// <summary>
/// Minibatch standard deviation, the layer StyleGAN puts before a discriminator's last block
/// (Karras et al. 2018, §3; StyleGAN2's <c>MinibatchStdLayer</c>): it appends, as extra channels,
/// how much the samples of a small group differ, so the discriminator can see a batch with too
/// little variety — a direct signal against mode collapse.
/// </summary>
/// <remarks>
/// With G = min(groupSize, N) and F = numChannels: the batch is split into N/G groups of G samples
/// (sample b is in group b mod N/G, as StyleGAN2's reshape does) and the channels into F groups of
/// C/F. Per group, s = mean over the C/F channels and H×W pixels of √(Var_G(x) + 10⁻⁸), the
/// population variance over the G samples; s is appended as F constant channels to every sample of
/// the group: [N, C, H, W] → [N, C + F, H, W]. Built from differentiable tensor ops.
/// </remarks>
public sealed class MinibatchStdDev : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="groupSize">Samples per group (StyleGAN2 uses 4); capped at the batch size, which it must divide. Null: the whole batch.</param>
    /// <param name="numChannels">Channels appended (F); must divide the input's channels.</param>
    public MinibatchStdDev(int? groupSize = 4, int numChannels = 1)
    {
        if (groupSize is < 1) throw new ArgumentException($"MinibatchStdDev: groupSize must be positive, got {groupSize}");
        if (numChannels < 1) throw new ArgumentException($"MinibatchStdDev: numChannels must be positive, got {numChannels}");
        (GroupSize, NumChannels) = (groupSize, numChannels);
    }

    /// <summary>Samples per group (null: the whole batch).</summary>
    public int? GroupSize { get; }

    /// <summary>The number of channels appended.</summary>
    public int NumChannels { get; }

    /// <summary>[N, C, H, W] → [N, C + F, H, W].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloat("minibatch_std");
        var s = input.ShapeRef;
        int g = Shape.CheckMinibatchStd(s, GroupSize, NumChannels);
        int n = s[0], c = s[1], h = s[2], w = s[3], f = NumChannels;
        var y = input.Reshape(g, n / g, f, c / f, h, w);
        y = y - y.Mean(0);                       // deviation from the group mean
        y = (y.Pow(2).Mean(0) + 1e-8).Sqrt();    // standard deviation over the group [n/g, F, c/F, H, W]
        y = y.Mean([2, 3, 4]).Reshape(n / g, f, 1, 1);
        return Torch.Cat([input, y.Repeat(g, 1, h, w)], 1);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"MinibatchStdDev(group_size={(GroupSize is { } gs ? gs.ToString(CultureInfo.InvariantCulture) : "None")}, num_channels={NumChannels})");
}
