using MiniTorch;
using MiniTorch.Nn;

namespace SuperResolution;

/// <summary>
/// Upscales whole images: the network runs on the luma, chroma is upscaled bicubically. Large
/// images are processed in overlapping tiles so activations stay in cache-sized pieces; each tile
/// carries a halo wider than the network's receptive field, so the result equals one pass over
/// the whole image (up to float rounding).
/// </summary>
public static class Upscaler
{
    /// <summary>Low-resolution pixels each tile adds on every side: the receptive-field radius, rounded up.</summary>
    public static int Halo(FSRCNN model) => 2 + model.M + 1 + (4 + model.Scale - 1) / model.Scale + 2;

    /// <summary>
    /// Upscales a luma plane [1, 1, H, W] to [1, 1, scale·H, scale·W] in tiles of <paramref name="tile"/> LR
    /// pixels (0: one pass).
    /// </summary>
    public static Tensor UpscaleLuma(FSRCNN model, Tensor y, int tile = 192)
    {
        model.Eval();
        using var _ = Torch.NoGrad();
        int h = y.Size(2), w = y.Size(3), s = model.Scale;
        Tensor Run(Tensor x) => model.Call(x);
        if (tile <= 0 || (h <= tile && w <= tile)) return Run(y);
        int halo = Halo(model);
        var rows = new List<Tensor>();
        for (int y0 = 0; y0 < h; y0 += tile)
        {
            int th = Math.Min(tile, h - y0);
            var row = new List<Tensor>();
            for (int x0 = 0; x0 < w; x0 += tile)
            {
                int tw = Math.Min(tile, w - x0);
                int top = Math.Min(halo, y0), left = Math.Min(halo, x0);
                int bottom = Math.Min(halo, h - y0 - th), right = Math.Min(halo, w - x0 - tw);
                var input = y.Narrow(2, y0 - top, th + top + bottom).Narrow(3, x0 - left, tw + left + right).Contiguous();
                var output = Run(input);
                row.Add(output.Narrow(2, top * s, th * s).Narrow(3, left * s, tw * s));
            }
            rows.Add(Torch.Cat([.. row], 3));
        }
        return Torch.Cat([.. rows], 2);
    }

    /// <summary>Upscales an image [C, H, W] (C = 1 or 3) in [0, 1]; returns [C, scale·H, scale·W] clamped to [0, 1].</summary>
    /// <param name="model">The network.</param>
    /// <param name="image">The image.</param>
    /// <param name="tile">Tile size in input pixels (0: one pass).</param>
    public static Tensor UpscaleImage(FSRCNN model, Tensor image, int tile = 192)
    {
        if (image.Dim != 3 || image.Size(0) is not (1 or 3))
            throw new ArgumentException($"expected an image of shape [C, H, W] with C = 1 or 3, got [{string.Join(", ", image.Shape)}]");
        if (image.Size(0) == 1) return UpscaleLuma(model, image.Unsqueeze(0), tile).Squeeze(0).Clamp(0, 1);
        var (y, cb, cr) = ColorSpace.ToYCbCr(image);
        var yUp = UpscaleLuma(model, y.Unsqueeze(0), tile).Squeeze(0);
        Tensor Chroma(Tensor c) => F.Interpolate(c.Unsqueeze(0), scaleFactor: model.Scale, mode: InterpolationMode.Bicubic).Squeeze(0);
        return ColorSpace.ToRgb(yUp, Chroma(cb), Chroma(cr));
    }
}
