using System.Buffers.Binary;
using System.IO.Compression;

namespace Dcgan.Data;

/// <summary>
/// Reads MNIST / Fashion-MNIST in the IDX format (<c>train-images-idx3-ubyte</c> and, if present,
/// <c>train-labels-idx1-ubyte</c>, each optionally gzipped). The 28×28 digits are padded with two
/// black pixels on each side to 32×32, as the DCGAN architecture expects.
/// </summary>
public static class MnistIdx
{
    private const int ImagesMagic = 0x00000803; // unsigned bytes, 3 dimensions
    private const int LabelsMagic = 0x00000801; // unsigned bytes, 1 dimension

    /// <summary>Loads the training images (and labels when the file exists) from <paramref name="dir"/>.</summary>
    public static ImageSet Load(string dir, int? limit = null)
    {
        if (!Directory.Exists(dir)) throw new DataException($"MNIST directory '{dir}' does not exist");
        var imagesPath = Find(dir, "train-images-idx3-ubyte", "train-images.idx3-ubyte")
            ?? throw new DataException($"no 'train-images-idx3-ubyte' (or .gz) file in '{dir}'");
        var labelsPath = Find(dir, "train-labels-idx1-ubyte", "train-labels.idx1-ubyte");
        var (pixels, count) = ReadImages(imagesPath, limit);
        int[]? labels = null;
        string[] names = [];
        if (labelsPath is not null)
        {
            labels = ReadLabels(labelsPath, count);
            names = Enumerable.Range(0, Math.Max(10, labels.Max() + 1)).Select(i => i.ToString()).ToArray();
        }
        return new ImageSet(pixels, labels, names, $"MNIST IDX '{imagesPath}' ({count} images)");
    }

    private static string? Find(string dir, params string[] names)
    {
        foreach (var name in names)
            foreach (var candidate in new[] { name, name + ".gz" })
            {
                var path = Path.Combine(dir, candidate);
                if (File.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>The whole (decompressed) contents of an IDX file.</summary>
    public static byte[] ReadAll(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e) { throw new DataException($"'{path}' is not a valid gzip file: {e.Message}", e); }
        catch (IOException e) { throw new DataException($"cannot read '{path}': {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new DataException($"cannot read '{path}': {e.Message}", e); }
    }

    /// <summary>Parses an IDX3 image file into padded 32×32 pixels in [0, 1].</summary>
    public static (float[] Pixels, int Count) ReadImages(string path, int? limit = null)
    {
        var bytes = ReadAll(path);
        if (bytes.Length < 16) throw new DataException($"'{path}' is too short ({bytes.Length} bytes) to be an IDX image file");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != ImagesMagic)
            throw new DataException($"'{path}' has magic number 0x{magic:X8}, expected 0x{ImagesMagic:X8} (IDX unsigned-byte images)");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count <= 0) throw new DataException($"'{path}' contains no images");
        if (rows <= 0 || cols <= 0 || rows > ImageSet.Size || cols > ImageSet.Size)
            throw new DataException($"'{path}' holds {rows}×{cols} images; expected at most {ImageSet.Size}×{ImageSet.Size}");
        long expected = 16L + (long)count * rows * cols;
        if (bytes.Length < expected)
            throw new DataException($"'{path}' is truncated: the header promises {count} images of {rows}×{cols} ({expected} bytes) but the file has {bytes.Length}");
        if (limit is { } l) count = Math.Min(count, l);
        var pixels = new float[count * ImageSet.Pixels];
        int top = (ImageSet.Size - rows) / 2, left = (ImageSet.Size - cols) / 2;
        for (int i = 0; i < count; i++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    pixels[i * ImageSet.Pixels + (r + top) * ImageSet.Size + c + left] = bytes[16 + (i * rows + r) * cols + c] / 255f;
        return (pixels, count);
    }

    /// <summary>Parses an IDX1 label file and checks it matches <paramref name="count"/> images.</summary>
    public static int[] ReadLabels(string path, int count)
    {
        var bytes = ReadAll(path);
        if (bytes.Length < 8) throw new DataException($"'{path}' is too short ({bytes.Length} bytes) to be an IDX label file");
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != LabelsMagic)
            throw new DataException($"'{path}' has magic number 0x{magic:X8}, expected 0x{LabelsMagic:X8} (IDX unsigned-byte labels)");
        int n = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (n < count) throw new DataException($"'{path}' has {n} labels but there are {count} images");
        if (bytes.Length < 8L + n) throw new DataException($"'{path}' is truncated: the header promises {n} labels but the file has {bytes.Length - 8}");
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = bytes[8 + i];
        return labels;
    }
}
