namespace MiniTorch.IO;

/// <summary>
/// Saving and loading images as tensors, in the manner of torchvision: <see cref="SaveImageGrid"/>
/// is <c>torchvision.utils.save_image</c>, <see cref="MakeGrid"/> is <c>make_grid</c>,
/// <see cref="Load"/> is <c>torchvision.io.read_image</c> (scaled to [0, 1]). Images are float tensors
/// [C, H, W] with values in [0, 1]. JPEG, GIF, BMP, TIFF, WebP and TGA are decoded by ImageSharp,
/// PNG, PGM and PPM by MiniTorch's own readers, all within the budgets of <see cref="ReadLimits"/>.
/// </summary>
public static class ImageIO
{
    /// <summary>
    /// Tiles a batch of images into one image, like <c>torchvision.utils.make_grid</c>: at most
    /// <paramref name="nrow"/> images per row, <paramref name="padding"/> pixels of
    /// <paramref name="padValue"/> around and between them. With <paramref name="normalize"/>, values are
    /// clamped to <paramref name="valueRange"/> (default: the batch's min and max, or each image's with
    /// <paramref name="scaleEach"/>) and mapped to [0, 1]: <c>(clamp(x, lo, hi) − lo) / max(hi − lo, 1e-5)</c>.
    /// </summary>
    /// <remarks>
    /// As in torchvision, a batch of one image is returned without padding. Unlike torchvision, a
    /// single-channel batch stays single-channel (torchvision repeats it into three equal RGB
    /// channels); the pixel values are the same.
    /// </remarks>
    /// <param name="tensor">Images [N, C, H, W] (or one image [C, H, W] or [H, W]).</param>
    /// <param name="nrow">Images per row of the grid.</param>
    /// <param name="padding">Pixels between images and around the grid.</param>
    /// <param name="normalize">Shift and scale the values into [0, 1].</param>
    /// <param name="valueRange">The (min, max) mapped to (0, 1) when normalizing.</param>
    /// <param name="scaleEach">Normalize each image by its own range.</param>
    /// <param name="padValue">The value of padding pixels.</param>
    /// <returns>The grid [C, H', W'] in the input's dtype.</returns>
    public static Tensor MakeGrid(Tensor tensor, int nrow = 8, int padding = 2, bool normalize = false,
                                  (double Low, double High)? valueRange = null, bool scaleEach = false, double padValue = 0)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (nrow < 1) throw new ArgumentOutOfRangeException(nameof(nrow), $"nrow must be positive, got {nrow}");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"padding must be non-negative, got {padding}");
        var (n, c, h, w) = Shape.ImageBatch(tensor.ShapeRef);
        if (n == 0) throw new ArgumentException("make_grid expects at least one image, got an empty batch");
        using var _ = Torch.NoGrad();
        var x = tensor.Detach().Reshape(n, c, h, w);
        if (normalize)
        {
            if (scaleEach) x = Torch.Cat(Enumerable.Range(0, n).Select(k => Normalize(x[k], valueRange).Unsqueeze(0)).ToArray());
            else x = Normalize(x, valueRange);
        }
        if (n == 1) return x[0].Contiguous();
        int xmaps = Math.Min(nrow, n), ymaps = (n + xmaps - 1) / xmaps;
        int cellH = h + padding, cellW = w + padding;
        var grid = Torch.Full([c, cellH * ymaps + padding, cellW * xmaps + padding], padValue, x.DType);
        for (int k = 0; k < n; k++)
        {
            int row = k / xmaps, col = k % xmaps;
            grid.Narrow(1, row * cellH + padding, h).Narrow(2, col * cellW + padding, w).CopyFrom(x[k]);
        }
        return grid;
    }

    // torchvision's norm_ip: clamp to [low, high], subtract low, divide by max(high − low, 1e-5), in the tensor's dtype.
    private static Tensor Normalize(Tensor x, (double Low, double High)? range)
    {
        double low, high;
        if (range is { } r) (low, high) = r;
        else
        {
            var values = x.ToDoubleArray();
            (low, high) = (values.Min(), values.Max());
        }
        return (x.Clamp(low, high) - low) / Math.Max(high - low, 1e-5);
    }

    /// <summary>
    /// Saves a batch of images [N, C, H, W] (C = 1 or 3) as one image grid, like
    /// <c>torchvision.utils.save_image</c>: <see cref="MakeGrid"/>, then
    /// <c>mul(255).add_(0.5).clamp_(0, 255)</c> truncated to bytes; grayscale for C = 1, RGB for C = 3.
    /// The format follows the extension of <paramref name="path"/>, as in <see cref="Save(Tensor, string, int)"/>.
    /// </summary>
    public static void SaveImageGrid(Tensor tensor, string path, int nrow = 8, int padding = 2, bool normalize = false,
                                     (double Low, double High)? valueRange = null, double padValue = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        Shape.ImageBatch(tensor.ShapeRef, grayOrRgb: true);
        var format = FormatOf(path);
        Save(MakeGrid(tensor, nrow, padding, normalize, valueRange, false, padValue), path, format, JpegQuality);
    }

    /// <summary>
    /// Saves an image [C, H, W] (C = 1 or 3) or [H, W] with values in [0, 1], atomically, in the format
    /// its extension names: <c>.png</c> (8-bit PNG, see <see cref="EncodePng"/>), <c>.jpg</c>/<c>.jpeg</c>
    /// (baseline JPEG of <paramref name="quality"/>, 4:2:0 for colour, encoded by ImageSharp) or
    /// <c>.pgm</c> (binary graymap, grayscale images only). Samples are
    /// <c>floor(clamp(x·255 + 0.5, 0, 255))</c>, as <c>save_image</c>.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="path">The file; its extension (any case) picks the format.</param>
    /// <param name="quality">JPEG quality, 1 to 100 (torchvision's and Pillow's default 75); ignored by the other formats.</param>
    /// <exception cref="ArgumentException">The extension is none of these, or the shape is not an image.</exception>
    public static void Save(Tensor image, string path, int quality = JpegQuality)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(image);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), $"JPEG quality must be in 1 to 100, got {quality}");
        Save(image, path, FormatOf(path), quality);
    }

    /// <summary>The JPEG quality used when none is given: torchvision's <c>write_jpeg</c> and Pillow default to 75.</summary>
    public const int JpegQuality = 75;

    private enum FileFormat { Png, Jpeg, Pgm }

    private static FileFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => FileFormat.Png,
            ".jpg" or ".jpeg" => FileFormat.Jpeg,
            ".pgm" => FileFormat.Pgm,
            var ext => throw new ArgumentException($"cannot tell the image format from the extension '{ext}' of '{path}'; use .png, .jpg, .jpeg or .pgm", nameof(path)),
        };
    }

    private static void Save(Tensor image, string path, FileFormat format, int quality)
    {
        switch (format)
        {
            case FileFormat.Pgm: Pgm.Save(image, path); break;
            case FileFormat.Jpeg: AtomicFile.WriteAllBytes(path, EncodeJpeg(image, quality)); break;
            default: AtomicFile.WriteAllBytes(path, EncodePng(image)); break;
        }
    }

    /// <summary>Saves an image [C, H, W] (C = 1 or 3) or [H, W] with values in [0, 1] as an 8-bit PNG, atomically.</summary>
    public static void SavePng(Tensor image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        var bytes = EncodePng(image);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Encodes an image [C, H, W] (C = 1 or 3) or [H, W] with values in [0, 1] as 8-bit PNG bytes.</summary>
    public static byte[] EncodePng(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (pixels, c, h, w) = Pixels(image);
        using var stream = new MemoryStream();
        Png.Encode(stream, pixels, w, h, c);
        return stream.ToArray();
    }

    /// <summary>
    /// Encodes an image [C, H, W] (C = 1 or 3) or [H, W] with values in [0, 1] as a baseline JPEG (ImageSharp's
    /// encoder): grayscale for one channel, YCbCr 4:2:0 for three, of <paramref name="quality"/> 1 to 100.
    /// </summary>
    public static byte[] EncodeJpeg(Tensor image, int quality = JpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), $"JPEG quality must be in 1 to 100, got {quality}");
        var (pixels, c, h, w) = Pixels(image);
        using var stream = new MemoryStream();
        ImageSharpCodec.EncodeJpeg(stream, pixels, w, h, c, quality);
        return stream.ToArray();
    }

    private static (byte[] Pixels, int C, int H, int W) Pixels(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (c, h, w) = Shape.Image(image.ShapeRef);
        using (Torch.NoGrad()) return (QuantizeInterleaved(image.Detach().Reshape(c, h, w)), c, h, w);
    }

    /// <summary>
    /// Loads an image file as a float32 tensor [C, H, W] in [0, 1], recognised by its signature, not its
    /// name: JPEG, GIF, BMP, TIFF, WebP, TGA and PBM through ImageSharp; PNG, PGM and PPM through
    /// MiniTorch's own readers (see <see cref="Png"/> and <see cref="Pgm"/> for why). Channels follow torchvision: PNG
    /// keeps the file's (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), JPEG gives 1 or 3, PGM 1, the other
    /// formats RGB; 16-bit PNG and PGM samples keep their precision. See <see cref="ReadLimits"/> for
    /// the budgets checked before anything is decoded.
    /// </summary>
    /// <param name="path">The file (a regular file; symbolic links are followed).</param>
    /// <param name="limits">The pixel and byte budgets (default <see cref="ReadLimits.Default"/>).</param>
    /// <exception cref="InvalidDataException">The file is not an image MiniTorch reads, is malformed, is over budget or is not a regular file; the message names the file and the problem.</exception>
    public static Tensor Load(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= ReadLimits.Default;
        var data = RegularFile.ReadImageFile(path, limits);
        return RegularFile.Named(path, () => Decode(data, limits));
    }

    /// <summary>Decodes the bytes of an image file (any format <see cref="Load"/> reads).</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="limits">The pixel and byte budgets (default <see cref="ReadLimits.Default"/>).</param>
    public static Tensor Decode(byte[] data, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        limits ??= ReadLimits.Default;
        if (Png.HasSignature(data)) return Png.Decode(data, limits);
        if (Pgm.HasSignature(data) || Pgm.HasPixmapSignature(data)) return Pgm.DecodeNetpbm(data, limits);
        return ImageSharpCodec.Decode(data, limits);
    }

    /// <summary>
    /// The extensions <see cref="LoadFolder"/> reads: torchvision's <c>IMG_EXTENSIONS</c>
    /// (.jpg, .jpeg, .png, .ppm, .bmp, .pgm, .tif, .tiff, .webp), compared without case.
    /// </summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"];

    /// <summary>Whether <paramref name="path"/> has one of the <see cref="ImageExtensions"/>.</summary>
    public static bool HasImageExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
    }

    /// <summary>
    /// Loads every image of a folder (the files with one of the <see cref="ImageExtensions"/>, not
    /// recursive), in ordinal file-name order, so a folder of images can serve as training data.
    /// Symbolic links to files are followed; a device, FIFO or socket with an image name is refused
    /// (<see cref="InvalidDataException"/>) without being read.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="limits">The budgets for each file (default <see cref="ReadLimits.Default"/>).</param>
    public static IEnumerable<(string Path, Tensor Image)> LoadFolder(string directory, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = Directory.EnumerateFiles(directory).Where(HasImageExtension).Order(StringComparer.Ordinal).ToList();
        foreach (var f in files) yield return (f, Load(f, limits));
    }

    /// <summary>
    /// torchvision's conversion to integers, in the tensor's own precision:
    /// <c>floor(clamp(x·maxval + 0.5, 0, maxval))</c>; NaN becomes 0.
    /// </summary>
    internal static int[] Quantize(Tensor values, int maxval)
    {
        var result = new int[values.Numel];
        var c = values.Contiguous();
        if (c.DType == DType.Float32)
        {
            var v = c.Span<float>();
            for (int i = 0; i < v.Length; i++) result[i] = Quantize(v[i], maxval);
        }
        else
        {
            var v = c.Span<double>();
            for (int i = 0; i < v.Length; i++) result[i] = Quantize(v[i], maxval);
        }
        return result;
    }

    /// <summary>
    /// An image [C, H, W] quantized to 8 bits (<see cref="Quantize(Tensor, int)"/> with maxval 255) and
    /// interleaved as [H, W, C], read plane by plane (no permuted copy of the tensor).
    /// </summary>
    private static byte[] QuantizeInterleaved(Tensor chw)
    {
        int c = chw.Size(0), hw = chw.Size(1) * chw.Size(2);
        var result = GC.AllocateUninitializedArray<byte>(c * hw);
        var t = chw.Contiguous();
        for (int ch = 0; ch < c; ch++)
            if (t.DType == DType.Float32)
            {
                var plane = t.Span<float>().Slice(ch * hw, hw);
                for (int i = 0; i < hw; i++) result[i * c + ch] = (byte)Quantize(plane[i], 255);
            }
            else
            {
                var plane = t.Span<double>().Slice(ch * hw, hw);
                for (int i = 0; i < hw; i++) result[i * c + ch] = (byte)Quantize(plane[i], 255);
            }
        return result;
    }

    private static int Quantize(float v, int maxval)
    {
        float m = maxval, y = v * m + 0.5f; // two roundings, like mul(255) then add_(0.5)
        return float.IsNaN(y) ? 0 : (int)Math.Clamp(y, 0f, m);
    }

    private static int Quantize(double v, int maxval)
    {
        double y = v * maxval + 0.5;
        return double.IsNaN(y) ? 0 : (int)Math.Clamp(y, 0.0, maxval);
    }
}
