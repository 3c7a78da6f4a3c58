using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MiniTorch.IO;

/// <summary>
/// Netpbm graymaps: binary P5 and ASCII P2, maxval 1 to 65535 (16-bit samples big-endian, as the
/// format specifies). Images are float32 tensors [1, H, W] with values in [0, 1] (sample / maxval).
/// </summary>
/// <remarks>
/// <para>The header is "P5" or "P2", then width, height and maxval separated by whitespace, with
/// '#' comments running to the end of a line; P5 has exactly one whitespace byte before the raster.
/// Malformed files throw <see cref="InvalidDataException"/>; the image size is checked against
/// <see cref="ReadLimits.MaxPixels"/> and the raster size against the file length before anything
/// is allocated.</para>
/// <para>This reader is hand-written rather than ImageSharp's because ImageSharp 2.1 scales samples by
/// <c>65535 / maxval</c> rounded down (maxval 1000 turns 500 into 32500/65535 ≈ 0.496 instead of 0.5,
/// and saturates 16-bit samples), where this one divides by maxval exactly. <see cref="ImageIO.Load"/>
/// also reads colour pixmaps (P3, P6) with it.</para>
/// </remarks>
public static class Pgm
{
    /// <summary>Whether <paramref name="data"/> starts like a P2 or P5 graymap.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == 'P' && data[1] is (byte)'2' or (byte)'5' && IsSpace(data[2]);

    /// <summary>Whether <paramref name="data"/> starts like a P3 or P6 pixmap (read by <see cref="ImageIO.Load"/>).</summary>
    internal static bool HasPixmapSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == 'P' && data[1] is (byte)'3' or (byte)'6' && IsSpace(data[2]);

    /// <summary>Loads a PGM file as a float32 tensor [1, H, W] in [0, 1].</summary>
    /// <param name="path">The file (a regular file; symbolic links are followed).</param>
    /// <param name="limits">The pixel and byte budgets (default <see cref="ReadLimits.Default"/>).</param>
    /// <exception cref="InvalidDataException">The file is malformed, over budget or not a regular file; the message names the file and the field.</exception>
    public static Tensor Load(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= ReadLimits.Default;
        // A file of another format gets the decoder's own "magic number" error from its first bytes.
        var data = RegularFile.ReadImageFile(path, limits, prefix => HasSignature(prefix) || Decode(prefix, limits) is null);
        return RegularFile.Named(path, () => Decode(data, limits));
    }

    /// <summary>Decodes PGM bytes into a float32 tensor [1, H, W] in [0, 1].</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="limits">The pixel budget (default <see cref="ReadLimits.Default"/>).</param>
    public static Tensor Decode(ReadOnlySpan<byte> data, ReadLimits? limits = null)
    {
        if (data.Length < 2 || data[0] != 'P' || data[1] is not ((byte)'2' or (byte)'5'))
            throw new InvalidDataException("not a PGM file: expected the magic number P2 or P5");
        return DecodeNetpbm(data, limits ?? ReadLimits.Default);
    }

    /// <summary>
    /// The most bytes a Netpbm file whose header starts <paramref name="prefix"/> can hold (the raster
    /// its width × height × channels needs, 8 bytes per ASCII sample, plus slack for the header), after
    /// checking the size against the pixel budget; null when the prefix does not hold the whole header.
    /// </summary>
    internal static long? MaxFileLength(ReadOnlySpan<byte> prefix, ReadLimits limits)
    {
        bool binary = prefix[1] is (byte)'5' or (byte)'6';
        int channels = prefix[1] is (byte)'3' or (byte)'6' ? 3 : 1, pos = 2;
        string format = channels == 1 ? "PGM" : "PPM";
        try
        {
            long width = ReadNumber(prefix, ref pos, "width", format), height = ReadNumber(prefix, ref pos, "height", format);
            ReadNumber(prefix, ref pos, "maxval", format);
            if (pos >= prefix.Length) return null;
            limits.CheckPixels(format, width, height);
            return pos + width * height * channels * (binary ? 2 : 8) + (1 << 20);
        }
        catch (InvalidDataException) when (pos >= prefix.Length) { return null; } // the header goes on past the prefix
    }

    /// <summary>Decodes a graymap (P2, P5: [1, H, W]) or a pixmap (P3, P6: [3, H, W]).</summary>
    internal static Tensor DecodeNetpbm(ReadOnlySpan<byte> data, ReadLimits limits)
    {
        if (data.Length < 2 || data[0] != 'P' || data[1] is not ((byte)'2' or (byte)'3' or (byte)'5' or (byte)'6'))
            throw new InvalidDataException("not a PGM or PPM file: expected the magic number P2, P3, P5 or P6");
        bool binary = data[1] is (byte)'5' or (byte)'6';
        int channels = data[1] is (byte)'3' or (byte)'6' ? 3 : 1;
        string format = channels == 1 ? "PGM" : "PPM";
        int pos = 2;
        long width = ReadNumber(data, ref pos, "width", format), height = ReadNumber(data, ref pos, "height", format), maxval = ReadNumber(data, ref pos, "maxval", format);
        limits.CheckPixels(format, width, height);
        if (maxval is < 1 or > 65535) throw new InvalidDataException($"{format} maxval {maxval} is out of range (1 to 65535)");
        long n = width * height * channels;
        limits.CheckBytes($"{format} image {width}x{height}", 4 * n);
        if (n > Array.MaxLength) throw new InvalidDataException($"{format} image {width}x{height} is too large to decode");
        if (pos >= data.Length || !IsSpace(data[pos])) throw new InvalidDataException($"{format} header must end with a whitespace character before the raster");
        pos++;
        float[] values;
        if (binary)
        {
            int sampleBytes = maxval < 256 ? 1 : 2;
            if (n * sampleBytes > data.Length - pos)
                throw new InvalidDataException($"{format} raster is truncated: {width}x{height} needs {n * sampleBytes} bytes, {data.Length - pos} remain");
            values = new float[n];
            for (int i = 0; i < n; i++)
            {
                int v = sampleBytes == 1 ? data[pos + i] : BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2 * i)..]);
                values[i] = Check(v, maxval, i, format);
            }
        }
        else
        {
            // Each ASCII sample takes at least one digit and one separator (bar the last).
            if (2 * n - 1 > data.Length - pos + 1) throw new InvalidDataException($"{format} raster is truncated: {width}x{height} samples cannot fit in the {data.Length - pos} remaining bytes");
            values = new float[n];
            for (int i = 0; i < n; i++) values[i] = Check(ReadNumber(data, ref pos, "sample", format), maxval, i, format);
        }
        var interleaved = new Tensor(new Storage.TensorStorage<float>(values), [(int)height, (int)width, channels]);
        return channels == 1 ? interleaved.Reshape(1, (int)height, (int)width) : interleaved.Permute(2, 0, 1).Contiguous();
    }

    private static float Check(long v, long maxval, int i, string format)
    {
        if (v > maxval) throw new InvalidDataException($"{format} sample {i} has value {v} above maxval {maxval}");
        return v / (float)maxval;
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static long ReadNumber(ReadOnlySpan<byte> data, ref int pos, string what, string format)
    {
        while (pos < data.Length)
        {
            if (IsSpace(data[pos])) pos++;
            else if (data[pos] == '#') { while (pos < data.Length && data[pos] != '\n' && data[pos] != '\r') pos++; }
            else break;
        }
        int start = pos;
        long v = 0;
        while (pos < data.Length && data[pos] is >= (byte)'0' and <= (byte)'9')
        {
            v = v * 10 + (data[pos++] - '0');
            if (v > int.MaxValue) throw new InvalidDataException($"{format} {what} is too large");
        }
        if (pos == start) throw new InvalidDataException(pos >= data.Length ? $"{format} file ends before its {what}" : $"{format} {what} expected at byte {pos}, found 0x{data[pos]:X2}");
        return v;
    }

    /// <summary>
    /// Saves a [1, H, W] or [H, W] tensor with values in [0, 1] as a PGM file (P5 by default, P2 when
    /// <paramref name="binary"/> is false), atomically. Samples are <c>floor(clamp(x·maxval + 0.5, 0, maxval))</c>.
    /// </summary>
    public static void Save(Tensor image, string path, bool binary = true, int maxval = 255)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encode(image, binary, maxval);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>Encodes a [1, H, W] or [H, W] tensor as PGM bytes (see <see cref="Save"/>).</summary>
    public static byte[] Encode(Tensor image, bool binary = true, int maxval = 255)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (maxval is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(maxval), $"PGM maxval must be in 1 to 65535, got {maxval}");
        var (h, w) = Shape.GrayImage(image.ShapeRef);
        var samples = ImageIO.Quantize(image.Detach().Reshape(h * w), maxval);
        var sb = new StringBuilder($"P{(binary ? 5 : 2)}\n{w} {h}\n{maxval}\n");
        if (binary)
        {
            var header = Encoding.ASCII.GetBytes(sb.ToString());
            int sampleBytes = maxval < 256 ? 1 : 2;
            var result = new byte[header.Length + samples.Length * sampleBytes];
            header.CopyTo(result, 0);
            for (int i = 0; i < samples.Length; i++)
                if (sampleBytes == 1) result[header.Length + i] = (byte)samples[i];
                else BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(header.Length + 2 * i), (ushort)samples[i]);
            return result;
        }
        // P2 lines should stay under 70 characters; one image row per line, wrapped every 12 samples.
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                sb.Append(samples[y * w + x].ToString(CultureInfo.InvariantCulture));
                sb.Append(x == w - 1 || x % 12 == 11 ? '\n' : ' ');
            }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
