using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace SuperResolution;

/// <summary>
/// Grey (luma) training images and the random 32×32 patches cut from them. The low-resolution
/// input is the patch shrunk by box averaging (area interpolation), so the network learns to undo a
/// real camera-like downsampling rather than aliasing.
/// </summary>
public sealed class PatchSource
{
    private readonly List<(float[] Pixels, int H, int W)> _train = [];
    private readonly List<(float[] Pixels, int H, int W)> _heldOut = [];

    /// <summary>The images: "procedural" (built in) or "folder:DIR" (image files, converted to luma).</summary>
    public static string Help => "procedural (built-in shapes, lines and gratings) or folder:DIR (JPEG, PNG, BMP, TIFF, WebP, PGM/PPM images)";

    private PatchSource() { }

    /// <summary>Opens a data source; about one image in eight is held out for evaluation.</summary>
    public static PatchSource Open(string spec, int patchSize, int proceduralCount = 48, int seed = 0)
    {
        var source = new PatchSource();
        if (spec == "procedural")
        {
            for (int i = 0; i < proceduralCount; i++)
            {
                var list = i % 8 == 7 ? source._heldOut : source._train;
                list.Add((Procedural.Image(96, 96, seed * 100_003 + i), 96, 96));
            }
        }
        else if (spec.StartsWith("folder:", StringComparison.Ordinal))
        {
            string dir = spec["folder:".Length..];
            if (!Directory.Exists(dir)) throw new ArgumentException($"--data: no such folder '{dir}'");
            int i = 0;
            foreach (var (path, image) in ImageIO.LoadFolder(dir))
            {
                var y = ColorSpace.Luma(image.Size(0) is 2 or 4 ? image.Narrow(0, 0, image.Size(0) - 1) : image); // alpha dropped
                if (y.Size(1) < patchSize || y.Size(2) < patchSize) continue;
                (i++ % 8 == 7 ? source._heldOut : source._train).Add((y.Contiguous().ToArray(), y.Size(1), y.Size(2)));
            }
            if (source._train.Count == 0) throw new ArgumentException($"--data: no image ({string.Join(", ", ImageIO.ImageExtensions)}) of at least {patchSize}×{patchSize} in '{dir}'");
            if (source._heldOut.Count == 0) source._heldOut.Add(source._train[^1]);
        }
        else throw new ArgumentException($"--data: expected {Help}, got '{spec}'");
        source.PatchSize = patchSize;
        return source;
    }

    /// <summary>The high-resolution patch side.</summary>
    public int PatchSize { get; private set; }

    /// <summary>Training images.</summary>
    public int TrainCount => _train.Count;

    /// <summary>Held-out images.</summary>
    public int HeldOutCount => _heldOut.Count;

    /// <summary>A batch of random training patches [B, 1, P, P] (with a random flip/transpose each).</summary>
    public Tensor SampleBatch(int batchSize, Random rng) => Batch(_train, batchSize, rng);

    /// <summary>The held-out images as [1, 1, H, W] luma, cropped to a multiple of <paramref name="scale"/>.</summary>
    public IEnumerable<Tensor> HeldOut(int scale)
    {
        foreach (var (pixels, h, w) in _heldOut)
            yield return Torch.FromArray(pixels, 1, 1, h, w).Narrow(2, 0, h / scale * scale).Narrow(3, 0, w / scale * scale).Contiguous();
    }

    private Tensor Batch(List<(float[] Pixels, int H, int W)> images, int count, Random rng)
    {
        int p = PatchSize;
        var data = new float[count * p * p];
        for (int b = 0; b < count; b++)
        {
            var (pixels, h, w) = images[rng.Next(images.Count)];
            int y0 = rng.Next(h - p + 1), x0 = rng.Next(w - p + 1);
            int aug = rng.Next(8);
            for (int y = 0; y < p; y++)
                for (int x = 0; x < p; x++)
                {
                    // The eight symmetries of the square: flips and a transpose.
                    var (sy, sx) = (aug & 4) != 0 ? (x, y) : (y, x);
                    if ((aug & 1) != 0) sy = p - 1 - sy;
                    if ((aug & 2) != 0) sx = p - 1 - sx;
                    data[(b * p + y) * p + x] = pixels[(y0 + sy) * w + x0 + sx];
                }
        }
        return Torch.FromArray(data, count, 1, p, p);
    }

    /// <summary>The low-resolution input for high-resolution patches: box-filtered to 1/scale.</summary>
    public static Tensor Downscale(Tensor hr, int scale) =>
        F.Interpolate(hr, size: (hr.Size(2) / scale, hr.Size(3) / scale), mode: InterpolationMode.Area);

    /// <summary>The baseline: bicubic upscaling of the low-resolution input, clamped to [0, 1].</summary>
    public static Tensor Bicubic(Tensor lr, int scale) =>
        F.Interpolate(lr, scaleFactor: scale, mode: InterpolationMode.Bicubic, alignCorners: false).Clamp(0, 1);

    /// <summary>
    /// PSNR in dB of images in [0, 1], 10·log10(1 / MSE), after shaving <paramref name="shave"/> pixels
    /// off every border (the usual super-resolution convention: borders lack context on one side).
    /// </summary>
    public static double Psnr(Tensor output, Tensor target, int shave = 0)
    {
        Tensor Crop(Tensor t) => t.Narrow(2, shave, t.Size(2) - 2 * shave).Narrow(3, shave, t.Size(3) - 2 * shave);
        double mse = F.MseLoss(Crop(output.Clamp(0, 1)), Crop(target)).Item();
        return 10 * Math.Log10(1 / Math.Max(mse, 1e-12));
    }
}
