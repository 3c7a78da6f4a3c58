namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Rearranges [*, C·r², H, W] into [*, C, H·r, W·r], like <c>torch.nn.functional.pixel_shuffle</c>
    /// (sub-pixel convolution's upsampling step).
    /// </summary>
    /// <remarks>y[…, c, h·r + i, w·r + j] = x[…, c·r² + i·r + j, h, w]: a reshape, a permutation and a reshape, so the gradient is the inverse rearrangement.</remarks>
    public static Tensor PixelShuffle(Tensor input, int upscaleFactor)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = Shape.PixelShuffle(input.ShapeRef, upscaleFactor, unshuffle: false);
        int r = upscaleFactor, lead = input.Dim - 3;
        var batch = input.ShapeRef[..lead];
        int c = s[lead], h = input.ShapeRef[^2], w = input.ShapeRef[^1];
        var perm = Enumerable.Range(0, lead).Concat([lead, lead + 3, lead + 1, lead + 4, lead + 2]).ToArray();
        return input.Reshape([.. batch, c, r, r, h, w]).Permute(perm).Reshape(s);
    }

    /// <summary>
    /// Rearranges [*, C, H·r, W·r] into [*, C·r², H, W], like <c>torch.nn.functional.pixel_unshuffle</c>
    /// (the inverse of <see cref="PixelShuffle"/>).
    /// </summary>
    public static Tensor PixelUnshuffle(Tensor input, int downscaleFactor)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = Shape.PixelShuffle(input.ShapeRef, downscaleFactor, unshuffle: true);
        int r = downscaleFactor, lead = input.Dim - 3;
        var batch = input.ShapeRef[..lead];
        int c = input.ShapeRef[lead], h = s[^2], w = s[^1];
        var perm = Enumerable.Range(0, lead).Concat([lead, lead + 2, lead + 4, lead + 1, lead + 3]).ToArray();
        return input.Reshape([.. batch, c, h, r, w, r]).Permute(perm).Reshape(s);
    }

    /// <summary>
    /// Channel dropout, like <c>torch.nn.functional.dropout2d</c>: in training, each whole channel
    /// (every (n, c) slice of an input of rank ≥ 2) is zeroed with probability p and the others are
    /// scaled by 1/(1 − p).
    /// </summary>
    /// <remarks>
    /// As PyTorch 1.13, a 3-D input is taken as batched (N, C, L), not as an unbatched (C, H, W).
    /// Masks are drawn from <paramref name="generator"/> (MiniTorch's stream, not PyTorch's).
    /// </remarks>
    public static Tensor Dropout2d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FeatureDropout(input, p, training, generator);
    }

    /// <summary>Channel dropout of [N, C, L] (or unbatched [C, L]) inputs, like <c>torch.nn.functional.dropout1d</c>.</summary>
    public static Tensor Dropout1d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckNormRank(input.ShapeRef, 2, 3);
        return input.Dim == 2 ? FeatureDropout(input.Unsqueeze(0), p, training, generator).Squeeze(0) : FeatureDropout(input, p, training, generator);
    }

    /// <summary>Channel dropout of [N, C, D, H, W] (or unbatched [C, D, H, W]) inputs, like <c>torch.nn.functional.dropout3d</c>.</summary>
    public static Tensor Dropout3d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape.CheckNormRank(input.ShapeRef, 4, 5);
        return input.Dim == 4 ? FeatureDropout(input.Unsqueeze(0), p, training, generator).Squeeze(0) : FeatureDropout(input, p, training, generator);
    }

    // PyTorch's feature_dropout: one Bernoulli(1 − p) draw per (n, c), broadcast over the rest.
    private static Tensor FeatureDropout(Tensor input, double p, bool training, Generator? generator)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (input.Dim < 2) throw new ArgumentException("Feature dropout requires at least 2 dimensions in the input");
        if (!training || p == 0) return input;
        var noise = Enumerable.Repeat(1, input.Dim).ToArray();
        noise[0] = input.ShapeRef[0];
        noise[1] = input.ShapeRef[1];
        if (p == 1) return input * Torch.Zeros(noise, input.DType);
        var keep = Torch.Rand(noise, generator, input.DType) < 1 - p;
        return input * (keep.To(input.DType) / (1 - p));
    }
}
