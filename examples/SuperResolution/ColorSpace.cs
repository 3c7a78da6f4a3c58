using MiniTorch;

namespace SuperResolution;

/// <summary>
/// Full-range YCbCr (JPEG / BT.601 weights) on [C, H, W] tensors in [0, 1]: the network sees Y only,
/// chroma is upscaled bicubically, as FSRCNN's authors did.
/// </summary>
public static class ColorSpace
{
    /// <summary>The luma of an image [1 or 3, H, W] as [1, H, W]: Y = 0.299 R + 0.587 G + 0.114 B.</summary>
    public static Tensor Luma(Tensor image)
    {
        CheckImage(image);
        if (image.Size(0) == 1) return image;
        return (image[0] * 0.299 + image[1] * 0.587 + image[2] * 0.114).Unsqueeze(0);
    }

    /// <summary>RGB [3, H, W] → (Y, Cb, Cr), each [1, H, W].</summary>
    public static (Tensor Y, Tensor Cb, Tensor Cr) ToYCbCr(Tensor rgb)
    {
        var (r, g, b) = (rgb[0], rgb[1], rgb[2]);
        var y = r * 0.299 + g * 0.587 + b * 0.114;
        var cb = 0.5 + (r * -0.168736 + g * -0.331264 + b * 0.5);
        var cr = 0.5 + (r * 0.5 + g * -0.418688 + b * -0.081312);
        return (y.Unsqueeze(0), cb.Unsqueeze(0), cr.Unsqueeze(0));
    }

    /// <summary>(Y, Cb, Cr), each [1, H, W] → RGB [3, H, W], clamped to [0, 1].</summary>
    public static Tensor ToRgb(Tensor y, Tensor cb, Tensor cr)
    {
        var (u, v) = (cb - 0.5, cr - 0.5);
        var r = y + v * 1.402;
        var g = y + u * -0.344136 + v * -0.714136;
        var b = y + u * 1.772;
        return Torch.Cat([r, g, b], 0).Clamp(0, 1);
    }

    private static void CheckImage(Tensor image)
    {
        if (image.Dim != 3 || image.Size(0) is not (1 or 3))
            throw new ArgumentException($"expected an image of shape [C, H, W] with C = 1 or 3, got [{string.Join(", ", image.Shape)}]");
    }
}
