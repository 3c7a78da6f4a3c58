namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// Checks an image to be saved: [C, H, W] with C = 1 (grayscale) or 3 (RGB), or [H, W], and
    /// positive sizes. Returns (C, H, W).
    /// </summary>
    public static (int C, int H, int W) Image(ReadOnlySpan<int> shape)
    {
        bool ok = shape.Length == 2 || shape.Length == 3 && shape[0] is 1 or 3;
        if (!ok) throw new ArgumentException($"expected an image of shape [C, H, W] with C = 1 or 3, or [H, W], got {Format(shape)}");
        int c = shape.Length == 3 ? shape[0] : 1, h = shape[^2], w = shape[^1];
        if (h <= 0 || w <= 0) throw new ArgumentException($"expected an image with positive height and width, got {Format(shape)}");
        return (c, h, w);
    }

    /// <summary>Checks a grayscale image: [1, H, W] or [H, W] with positive sizes. Returns (H, W).</summary>
    public static (int H, int W) GrayImage(ReadOnlySpan<int> shape)
    {
        if (!(shape.Length == 2 || shape.Length == 3 && shape[0] == 1))
            throw new ArgumentException($"expected a grayscale image of shape [1, H, W] or [H, W], got {Format(shape)}");
        var (_, h, w) = Image(shape);
        return (h, w);
    }

    /// <summary>
    /// Checks the input of an image grid: [N, C, H, W], [C, H, W] or [H, W], with C = 1 or 3 when
    /// <paramref name="grayOrRgb"/> (images to be saved). Returns it as (N, C, H, W).
    /// </summary>
    public static (int N, int C, int H, int W) ImageBatch(ReadOnlySpan<int> shape, bool grayOrRgb = false)
    {
        var nchw = shape.Length switch
        {
            2 => (1, 1, shape[0], shape[1]),
            3 => (1, shape[0], shape[1], shape[2]),
            4 => (shape[0], shape[1], shape[2], shape[3]),
            _ => throw new ArgumentException($"expected a batch of images of shape [N, C, H, W] (or [C, H, W], [H, W]), got {Format(shape)}"),
        };
        if (grayOrRgb && nchw.Item2 is not (1 or 3))
            throw new ArgumentException($"expected images of shape [N, C, H, W] with C = 1 or 3, got {Format(shape)}");
        return nchw;
    }
}
