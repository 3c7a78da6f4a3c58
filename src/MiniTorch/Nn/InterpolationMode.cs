namespace MiniTorch.Nn;

/// <summary>The resampling algorithm of <see cref="F.Interpolate"/> and <see cref="Upsample"/> (PyTorch's <c>mode</c> strings).</summary>
public enum InterpolationMode
{
    /// <summary>"nearest": src = min(⌊dst·scale⌋, in−1), PyTorch's (and OpenCV's) legacy nearest neighbour.</summary>
    Nearest,
    /// <summary>"nearest-exact": src = min(⌊(dst + 0.5)·scale⌋, in−1), nearest pixel centre (Pillow, scipy).</summary>
    NearestExact,
    /// <summary>"bilinear": linear in each axis between the two nearest pixels.</summary>
    Bilinear,
    /// <summary>"bicubic": cubic convolution with A = −0.75 over 4×4 pixels, reads clamped at the border.</summary>
    Bicubic,
    /// <summary>"area": adaptive average pooling to the output size.</summary>
    Area,
}
