using MiniTorch.IO;

namespace Dcgan.Data;

/// <summary>
/// Reads every PNG and PGM file in a directory (not recursive, sorted by name so runs are
/// reproducible) with MiniTorch.IO's decoder, converts to gray and resizes to 32×32. Unlabelled.
/// </summary>
public static class ImageFolder
{
    private static readonly string[] Extensions = [".png", ".pgm"];

    /// <summary>Loads the images in <paramref name="dir"/>.</summary>
    public static ImageSet Load(string dir, int? limit = null)
    {
        if (!Directory.Exists(dir)) throw new DataException($"image folder '{dir}' does not exist");
        var files = Directory.EnumerateFiles(dir)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0) throw new DataException($"image folder '{dir}' contains no .png or .pgm files");
        if (limit is { } l) files = files.Take(l).ToList();
        var pixels = new float[files.Count * ImageSet.Pixels];
        for (int i = 0; i < files.Count; i++)
            LoadOne(files[i]).CopyTo(pixels.AsSpan(i * ImageSet.Pixels));
        return new ImageSet(pixels, null, [], $"folder '{dir}' ({files.Count} images)");
    }

    /// <summary>One file as 32×32 gray pixels in [0, 1].</summary>
    public static float[] LoadOne(string path)
    {
        MiniTorch.Tensor image;
        try { image = ImageIO.Load(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataException($"cannot read image '{path}': {e.Message}", e);
        }
        var shape = image.Shape;
        if (shape.Length != 3) throw new DataException($"image '{path}' decoded to shape [{string.Join(", ", shape)}], expected [C, H, W]");
        int c = shape[0], h = shape[1], w = shape[2];
        var gray = ImageResize.ToGray(image.ToArray(), c, h, w);
        return h == ImageSet.Size && w == ImageSet.Size ? gray : ImageResize.Resize(gray, h, w, ImageSet.Size, ImageSet.Size);
    }
}
