using System.Buffers.Binary;
using System.IO.Compression;
using MiniTorch.IO;

namespace Dcgan.Data;

/// <summary>
/// Reads MNIST / Fashion-MNIST in the IDX format (<c>train-images-idx3-ubyte</c> and, if present,
/// <c>train-labels-idx1-ubyte</c>, each optionally gzipped). The 28×28 digits are padded with two
/// black pixels on each side to 32×32, as the DCGAN architecture expects.
/// </summary>
/// <remarks>
/// The reader trusts nothing the file says before checking it: it inflates only the header first (so a
/// gzip of zeros fails on its magic number after a few bytes), checks the counts and sizes the header
/// declares against the file and against <see cref="ReadLimits.MaxBytes"/> (in 64-bit arithmetic, so
/// <c>count × 1024</c> cannot overflow), and then inflates at most the declared size, into a buffer
/// that grows only as real data arrives. Only regular files are read (links to them are followed).
/// A malformed file raises <see cref="InvalidDataException"/> naming the file and the field; a
/// missing directory or file raises <see cref="DataException"/>.
/// </remarks>
public static class MnistIdx
{
    private const int ImagesMagic = 0x00000803; // unsigned bytes, 3 dimensions
    private const int LabelsMagic = 0x00000801; // unsigned bytes, 1 dimension

    /// <summary>Loads the training images (and labels when the file exists) from <paramref name="dir"/>.</summary>
    /// <param name="dir">The folder.</param>
    /// <param name="limit">Read at most this many images (and labels).</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static ImageSet Load(string dir, int? limit = null, ReadLimits? limits = null)
    {
        if (!Directory.Exists(dir)) throw new DataException($"MNIST directory '{dir}' does not exist");
        var imagesPath = Find(dir, "train-images-idx3-ubyte", "train-images.idx3-ubyte")
            ?? throw new DataException($"no 'train-images-idx3-ubyte' (or .gz) file in '{dir}'");
        var labelsPath = Find(dir, "train-labels-idx1-ubyte", "train-labels.idx1-ubyte");
        var (pixels, count) = ReadImages(imagesPath, limit, limits);
        int[]? labels = null;
        string[] names = [];
        if (labelsPath is not null)
        {
            labels = ReadLabels(labelsPath, count, limits);
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

    /// <summary>
    /// An IDX file as a stream of its (decompressed) contents: gzip when the name ends in .gz. Only
    /// regular files are opened.
    /// </summary>
    private static Stream Open(string path)
    {
        var file = RegularFile.Open(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes, growing the buffer only as data arrives (a header
    /// that lies about the size costs no more than the data really there), and turns decompression
    /// errors into <see cref="InvalidDataException"/>.
    /// </summary>
    private static byte[] ReadUpTo(Stream stream, long count, string path)
    {
        var buffer = new byte[(int)Math.Min(count, 1 << 16)];
        int filled = 0;
        try
        {
            while (filled < count)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
                int n = stream.Read(buffer, filled, buffer.Length - filled);
                if (n == 0) break;
                filled += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && stream is GZipStream)
        {
            throw new InvalidDataException($"'{path}' is not a valid gzip file: {e.Message}", e);
        }
        return filled == buffer.Length ? buffer : buffer[..filled];
    }

    /// <summary>Parses an IDX3 image file into padded 32×32 pixels in [0, 1].</summary>
    /// <param name="path">The file (optionally gzipped, by its .gz name).</param>
    /// <param name="limit">Read at most this many images.</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static (float[] Pixels, int Count) ReadImages(string path, int? limit = null, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        using var stream = Open(path);
        var header = ReadUpTo(stream, 16, path);
        if (header.Length < 4) throw new InvalidDataException($"'{path}' is too short ({header.Length} bytes) to be an IDX image file");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != ImagesMagic)
            throw new InvalidDataException($"'{path}' has magic number 0x{magic:X8}, expected 0x{ImagesMagic:X8} (IDX unsigned-byte images)");
        if (header.Length < 16) throw new InvalidDataException($"'{path}' is too short ({header.Length} bytes) to be an IDX image file: the header has 16");
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        if (count <= 0) throw new InvalidDataException($"'{path}' declares {count} images in its header (count field)");
        if (rows <= 0 || cols <= 0 || rows > ImageSet.Size || cols > ImageSet.Size)
            throw new InvalidDataException($"'{path}' declares {rows}×{cols} images (rows and columns fields); expected at most {ImageSet.Size}×{ImageSet.Size}");
        long declared = (long)count * rows * cols;
        if (stream is FileStream file && file.Length - 16 < declared)
            throw new InvalidDataException($"'{path}' is truncated: the header promises {count} images of {rows}×{cols} ({16 + declared} bytes) but the file has {file.Length}");
        int n = limit is { } l ? Math.Min(count, Math.Max(0, l)) : count;
        long needed = (long)n * rows * cols;
        limits.CheckBytes($"'{path}': {n} images of {rows}×{cols} (count field {count}), read and padded to {ImageSet.Size}×{ImageSet.Size} floats",
            needed + (long)n * ImageSet.Pixels * sizeof(float));
        var bytes = ReadUpTo(stream, needed, path);
        if (bytes.Length < needed)
            throw new InvalidDataException($"'{path}' is truncated: the header promises {count} images of {rows}×{cols} ({16 + declared} bytes) but the data ends after {16 + bytes.Length}");
        var pixels = new float[(long)n * ImageSet.Pixels];
        int top = (ImageSet.Size - rows) / 2, left = (ImageSet.Size - cols) / 2;
        for (int i = 0; i < n; i++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    pixels[(long)i * ImageSet.Pixels + (r + top) * ImageSet.Size + c + left] = bytes[((long)i * rows + r) * cols + c] / 255f;
        return (pixels, n);
    }

    /// <summary>Parses an IDX1 label file and checks it has labels for <paramref name="count"/> images.</summary>
    /// <param name="path">The file (optionally gzipped, by its .gz name).</param>
    /// <param name="count">The number of images (labels read).</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static int[] ReadLabels(string path, int count, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        using var stream = Open(path);
        var header = ReadUpTo(stream, 8, path);
        if (header.Length < 4) throw new InvalidDataException($"'{path}' is too short ({header.Length} bytes) to be an IDX label file");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != LabelsMagic)
            throw new InvalidDataException($"'{path}' has magic number 0x{magic:X8}, expected 0x{LabelsMagic:X8} (IDX unsigned-byte labels)");
        if (header.Length < 8) throw new InvalidDataException($"'{path}' is too short ({header.Length} bytes) to be an IDX label file: the header has 8");
        int n = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (n < count) throw new InvalidDataException($"'{path}' has {n} labels (count field) but there are {count} images");
        if (stream is FileStream file && file.Length - 8 < n)
            throw new InvalidDataException($"'{path}' is truncated: the header promises {n} labels but the file has {file.Length - 8}");
        limits.CheckBytes($"'{path}': {count} labels", 5L * count);
        var bytes = ReadUpTo(stream, count, path);
        if (bytes.Length < count) throw new InvalidDataException($"'{path}' is truncated: the header promises {n} labels but the data ends after {bytes.Length}");
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = bytes[i];
        return labels;
    }
}
