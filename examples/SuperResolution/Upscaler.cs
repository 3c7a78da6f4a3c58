using MiniTorch;
using MiniTorch.Nn;

namespace SuperResolution;

/// <summary>
/// Upscales whole images: the network runs on the luma, chroma is upscaled bicubically. Images are
/// processed in horizontal bands of rows (a <see cref="RowStream"/>), so activations stay a few
/// rows high instead of image-sized; the result equals one pass over the whole image.
/// </summary>
public static class Upscaler
{
    /// <summary>Input rows per band by default: 16 rows of a full-HD frame make 56-channel activations of ≈ 7 MB.</summary>
    public const int DefaultBand = 16;

    /// <summary>
    /// Upscales a luma plane [1, 1, H, W] to [1, 1, scale·H, scale·W], <paramref name="band"/> input rows at a
    /// time (0: the whole image in one pass of the model).
    /// </summary>
    public static Tensor UpscaleLuma(FSRCNN model, Tensor y, int band = DefaultBand, LayerProfile? profile = null)
    {
        CheckLuma(y);
        model.Eval();
        using var _ = Torch.NoGrad();
        int s = model.Scale;
        if (band <= 0) return profile is null ? model.Call(y) : Profiled(model, y, profile);
        var output = Torch.Zeros(1, 1, s * y.Size(2), s * y.Size(3));
        StreamLuma(model, y, band, (row, rows) => output.Narrow(2, row, rows.Size(2)).CopyFrom(rows), profile);
        return output;
    }

    /// <summary>
    /// Runs the network over <paramref name="y"/> [1, 1, H, W] in bands and hands every finished block of
    /// output rows to <paramref name="sink"/> (first output row, rows [1, 1, n, scale·W]), top to bottom.
    /// </summary>
    public static void StreamLuma(FSRCNN model, Tensor y, int band, Action<int, Tensor> sink, LayerProfile? profile = null)
    {
        CheckLuma(y);
        if (band < 1) throw new ArgumentException($"band must be at least 1 row, got {band}");
        model.Eval();
        using var _ = Torch.NoGrad();
        int h = y.Size(2), row = 0;
        var stream = new RowStream(model, y.Size(3), profile);
        for (int r0 = 0; r0 < h; r0 += band)
        {
            int n = Math.Min(band, h - r0);
            var rows = stream.Push(y.Narrow(2, r0, n), last: r0 + n == h);
            if (rows is null) continue;
            sink(row, rows);
            row += rows.Size(2);
        }
    }

    private static Tensor Profiled(FSRCNN model, Tensor x, LayerProfile profile)
    {
        int i = 0;
        foreach (var layer in model.FirstPart.Concat(model.MidPart).Append(model.LastPart))
            x = profile.Measure($"{i++,2} {LayerName(layer)}", () => layer.Call(x));
        return x;
    }

    /// <summary>A short name for a layer in profiles: <c>conv 3x3 12-&gt;12</c>, <c>prelu 12</c>.</summary>
    public static string LayerName(Module layer) => layer switch
    {
        ConvTranspose2d t => $"conv_t {t.KernelSize.H}x{t.KernelSize.W} {t.InChannels}->{t.OutChannels}",
        Conv2d c => $"conv {c.KernelSize.H}x{c.KernelSize.W} {c.InChannels}->{c.OutChannels}",
        PReLU p => $"prelu {p.NumParameters}",
        _ => layer.GetType().Name,
    };

    /// <summary>Upscales an image [C, H, W] (C = 1 or 3) in [0, 1]; returns [C, scale·H, scale·W] clamped to [0, 1].</summary>
    /// <param name="model">The network.</param>
    /// <param name="image">The image.</param>
    /// <param name="band">Input rows per band (0: the whole image in one pass).</param>
    /// <param name="profile">Where to add every step's costs (null: no accounting).</param>
    public static Tensor UpscaleImage(FSRCNN model, Tensor image, int band = DefaultBand, LayerProfile? profile = null)
    {
        if (image.Dim != 3 || image.Size(0) is not (1 or 3))
            throw new ArgumentException($"expected an image of shape [C, H, W] with C = 1 or 3, got [{string.Join(", ", image.Shape)}]");
        T Step<T>(string name, Func<T> f) => profile is null ? f() : profile.Measure(name, f);
        if (image.Size(0) == 1) return UpscaleLuma(model, image.Unsqueeze(0), band, profile).Squeeze(0).Clamp(0, 1);
        var (y, cbcr) = Step("RGB to YCbCr", () => ColorSpace.ToYAndCbCr(image));
        int s = model.Scale, h = image.Size(1), w = image.Size(2);
        if (band <= 0)
        {
            var yUp = UpscaleLuma(model, y, 0, profile);
            var cUp = Step("chroma bicubic", () => Bicubic(cbcr, s));
            return Step("YCbCr to RGB", () =>
            {
                var rgb = Torch.Zeros(3, s * h, s * w);
                ToRgbRows(yUp, cUp, 0, rgb, 0);
                return rgb;
            });
        }
        var output = Torch.Zeros(3, s * h, s * w);
        StreamLuma(model, y, band, (row, luma) =>
        {
            // Chroma of the same output rows: bicubic reads input rows up to 2 away, so interpolating rows
            // [a − 2, b + 2) (clipped to the image, where PyTorch clamps too) gives rows [s·a, s·b) exactly.
            int a = row / s, b = a + luma.Size(2) / s, lo = Math.Max(0, a - 2), hi = Math.Min(h, b + 2);
            var chroma = Step("chroma bicubic", () => Bicubic(cbcr.Narrow(2, lo, hi - lo), s));
            Step("YCbCr to RGB", () => ToRgbRows(luma, chroma, s * (a - lo), output, row));
        }, profile);
        return output;
    }

    private static Tensor Bicubic(Tensor planes, int scale) => F.Interpolate(planes, scaleFactor: scale, mode: InterpolationMode.Bicubic);

    // Writes the RGB of luma [1, 1, n, W'] and rows [first, first + n) of chroma [1, 2, ·, W'] into rows [row, row + n) of output [3, ·, W'].
    private static int ToRgbRows(Tensor luma, Tensor chroma, int first, Tensor output, int row)
    {
        int n = luma.Size(2), w = luma.Size(3), count = n * w;
        var yv = ColorSpace.Floats(luma.Contiguous());
        var c = ColorSpace.Floats(chroma.Contiguous());
        int plane = chroma.Size(2) * w;
        var o = ColorSpace.Floats(output);
        int outPlane = output.Size(1) * w;
        ColorSpace.ToRgbRows(yv, c.Slice(first * w, count), c.Slice(plane + first * w, count),
                             o.Slice(row * w, count), o.Slice(outPlane + row * w, count), o.Slice(2 * outPlane + row * w, count));
        return n;
    }

    private static void CheckLuma(Tensor y)
    {
        if (y.Dim != 4 || y.Size(0) != 1 || y.Size(1) != 1)
            throw new ArgumentException($"expected a luma plane of shape [1, 1, H, W], got [{string.Join(", ", y.Shape)}]");
    }
}
