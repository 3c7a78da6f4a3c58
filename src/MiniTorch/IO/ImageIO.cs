namespace MiniTorch.IO;

/// <summary>
/// Saving and loading images as tensors, in the manner of torchvision: <see cref="SaveImageGrid"/>
/// is <c>torchvision.utils.save_image</c>, <see cref="MakeGrid"/> is <c>make_grid</c>.
/// Images are float tensors [C, H, W] with values in [0, 1].
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
    /// Saves a batch of images [N, C, H, W] (C = 1 or 3) as one PNG grid, like
    /// <c>torchvision.utils.save_image</c>: <see cref="MakeGrid"/>, then
    /// <c>mul(255).add_(0.5).clamp_(0, 255)</c> truncated to bytes; grayscale for C = 1, RGB for C = 3.
    /// </summary>
    public static void SaveImageGrid(Tensor tensor, string path, int nrow = 8, int padding = 2, bool normalize = false,
                                     (double Low, double High)? valueRange = null, double padValue = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        Shape.ImageBatch(tensor.ShapeRef, grayOrRgb: true);
        SavePng(MakeGrid(tensor, nrow, padding, normalize, valueRange, false, padValue), path);
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
        var (c, h, w) = Shape.Image(image.ShapeRef);
        byte[] pixels;
        using (Torch.NoGrad()) pixels = QuantizeInterleaved(image.Detach().Reshape(c, h, w));
        using var stream = new MemoryStream();
        Png.Encode(stream, pixels, w, h, c);
        return stream.ToArray();
    }

    /// <summary>
    /// Loads a PNG or PGM file (recognised by its signature, not its name) as a float32 tensor
    /// [C, H, W] in [0, 1].
    /// </summary>
    public static Tensor Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var data = File.ReadAllBytes(path);
        if (Png.HasSignature(data)) return Png.Decode(data);
        if (Pgm.HasSignature(data)) return Pgm.Decode(data);
        throw new InvalidDataException($"'{path}' is neither a PNG nor a PGM (P2/P5) file");
    }

    /// <summary>
    /// Loads every .png and .pgm file of a folder, in ordinal file-name order, so a folder of
    /// images can serve as training data.
    /// </summary>
    public static IEnumerable<(string Path, Tensor Image)> LoadFolder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = Directory.EnumerateFiles(directory)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".pgm")
            .Order(StringComparer.Ordinal).ToList();
        foreach (var f in files) yield return (f, Load(f));
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
