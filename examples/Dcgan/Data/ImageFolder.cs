using MiniTorch.IO;

namespace Dcgan.Data;

/// <summary>
/// Reads every image in a directory (not recursive, sorted by name so runs are reproducible): the
/// extensions of torchvision's ImageFolder (.jpg, .jpeg, .png, .ppm, .bmp, .pgm, .tif, .tiff, .webp),
/// decoded by <see cref="ImageIO.Load"/> (ImageSharp for JPEG and the others, MiniTorch's own PNG and
/// PGM readers) within <see cref="ReadLimits"/>, then converted to gray and resized to 32×32. Unlabelled.
/// </summary>
/// <remarks>
/// A file that is not a valid image, is over budget, or is not a regular file (a FIFO or device with an
/// image name) raises <see cref="InvalidDataException"/> naming it; symbolic links to files are followed.
/// </remarks>
public static class ImageFolder
{
    /// <summary>Loads the images in <paramref name="dir"/>.</summary>
    /// <param name="dir">The folder.</param>
    /// <param name="limit">Read at most this many files (the first by name).</param>
    /// <param name="limits">The budgets for each file (default <see cref="ReadLimits.Default"/>).</param>
    public static ImageSet Load(string dir, int? limit = null, ReadLimits? limits = null)
    {
        if (!Directory.Exists(dir)) throw new DataException($"image folder '{dir}' does not exist");
        var files = Directory.EnumerateFiles(dir).Where(ImageIO.HasImageExtension).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DataException($"image folder '{dir}' contains no image files ({string.Join(", ", ImageIO.ImageExtensions)})");
        if (limit is { } l) files = files.Take(l).ToList();
        var pixels = new float[(long)files.Count * ImageSet.Pixels];
        for (int i = 0; i < files.Count; i++)
            LoadOne(files[i], limits).CopyTo(pixels.AsSpan(i * ImageSet.Pixels));
        return new ImageSet(pixels, null, [], $"folder '{dir}' ({files.Count} images)");
    }

    /// <summary>One file as 32×32 gray pixels in [0, 1].</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">The budgets (default <see cref="ReadLimits.Default"/>).</param>
    public static float[] LoadOne(string path, ReadLimits? limits = null)
    {
        var image = ImageIO.Load(path, limits);
        int c = image.Size(0), h = image.Size(1), w = image.Size(2);
        var gray = ImageResize.ToGray(image.ToArray(), c, h, w);
        return h == ImageSet.Size && w == ImageSet.Size ? gray : ImageResize.Resize(gray, h, w, ImageSet.Size, ImageSet.Size);
    }
}
