using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using MiniTorch;
using MiniTorch.Storage;

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

    /// <summary>
    /// RGB [3, H, W] → (Y [1, 1, H, W], CbCr [1, 2, H, W]) in float32, the layout the upscaler
    /// feeds to the network and to bicubic interpolation; one vectorised pass, no temporaries.
    /// </summary>
    public static (Tensor Y, Tensor CbCr) ToYAndCbCr(Tensor rgb) => ToYAndCbCr(rgb, 0, rgb.Dim == 3 ? rgb.Size(1) : 0);

    /// <summary>
    /// <see cref="ToYAndCbCr(Tensor)"/> of rows [<paramref name="row"/>, <paramref name="row"/> + <paramref name="rows"/>)
    /// only: Y [1, 1, rows, W] and CbCr [1, 2, rows, W].
    /// </summary>
    public static (Tensor Y, Tensor CbCr) ToYAndCbCr(Tensor rgb, int row, int rows)
    {
        CheckImage(rgb);
        if (rgb.Size(0) != 3) throw new ArgumentException($"expected an RGB image [3, H, W], got [{string.Join(", ", rgb.Shape)}]");
        if (row < 0 || rows < 0 || row + rows > rgb.Size(1)) throw new ArgumentException($"rows [{row}, {row + rows}) are outside an image {rgb.Size(1)} rows high");
        var src = rgb.To(DType.Float32).Contiguous();
        int h = rgb.Size(1), w = rgb.Size(2), n = rows * w;
        var y = Torch.Zeros(1, 1, rows, w);
        var cbcr = Torch.Zeros(1, 2, rows, w);
        var all = Floats(src);
        Span<float> r = all.Slice(row * w, n), g = all.Slice((h + row) * w, n), b = all.Slice((2 * h + row) * w, n);
        var chroma = Floats(cbcr);
        Combine(r, 0.299f, g, 0.587f, b, 0.114f, 0f, Floats(y));
        Combine(r, -0.168736f, g, -0.331264f, b, 0.5f, 0.5f, chroma[..n]);
        Combine(r, 0.5f, g, -0.418688f, b, -0.081312f, 0.5f, chroma[n..]);
        return (y, cbcr);
    }

    /// <summary>
    /// Rows of (Y, Cb, Cr) → rows of R, G, B clamped to [0, 1] (the inverse of <see cref="ToYAndCbCr(Tensor)"/>);
    /// all spans have the same length.
    /// </summary>
    public static void ToRgbRows(ReadOnlySpan<float> y, ReadOnlySpan<float> cb, ReadOnlySpan<float> cr, Span<float> r, Span<float> g, Span<float> b)
    {
        // With u = Cb − ½ and v = Cr − ½: R = Y + 1.402 v, G = Y − 0.344136 u − 0.714136 v, B = Y + 1.772 u.
        Combine(y, 1f, cr, 1.402f, cb, 0f, -0.5f * 1.402f, r);
        Combine(y, 1f, cb, -0.344136f, cr, -0.714136f, 0.5f * (0.344136f + 0.714136f), g);
        Combine(y, 1f, cb, 1.772f, cr, 0f, -0.5f * 1.772f, b);
        Clamp01(r);
        Clamp01(g);
        Clamp01(b);
    }

    private static void Clamp01(Span<float> x)
    {
        TensorPrimitives.Max(x, 0f, x);
        TensorPrimitives.Min(x, 1f, x);
    }

    // dst = a·wa + b·wb + c·wc + bias, vectorised.
    private static void Combine(ReadOnlySpan<float> a, float wa, ReadOnlySpan<float> b, float wb, ReadOnlySpan<float> c, float wc, float bias, Span<float> dst)
    {
        TensorPrimitives.Multiply(a, wa, dst);
        if (wb != 0) TensorPrimitives.MultiplyAdd(b, wb, dst, dst);
        if (wc != 0) TensorPrimitives.MultiplyAdd(c, wc, dst, dst);
        if (bias != 0) TensorPrimitives.Add(dst, bias, dst);
    }

    /// <summary>The elements of a contiguous float32 tensor.</summary>
    internal static Span<float> Floats(Tensor t)
    {
        if (t.DType != DType.Float32 || !t.IsContiguous) throw new ArgumentException("expected a contiguous float32 tensor");
        return ((TensorStorage<float>)t.Storage).Data.AsSpan(t.Offset, t.Numel);
    }

    private static void CheckImage(Tensor image)
    {
        if (image.Dim != 3 || image.Size(0) is not (1 or 3))
            throw new ArgumentException($"expected an image of shape [C, H, W] with C = 1 or 3, got [{string.Join(", ", image.Shape)}]");
    }
}
