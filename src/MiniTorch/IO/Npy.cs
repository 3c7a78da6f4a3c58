using System.Buffers.Binary;
using System.Text;

namespace MiniTorch.IO;

/// <summary>
/// Reads and writes NumPy's .npy format (<c>numpy.save</c> / <c>numpy.load</c>) for float32 and float64 arrays.
/// </summary>
/// <remarks>
/// <para>Layout: the magic <c>\x93NUMPY</c>, a major and minor version byte, the header length
/// (uint16 in version 1.0, uint32 in 2.0 and 3.0), a Python-literal dict header padded with spaces
/// and a final newline so the data starts 64-byte aligned, then the raw elements.</para>
/// <para>The writer reproduces numpy 1.24's bytes: version 1.0 (2.0 only if the header does not fit),
/// sorted keys, the spare spaces numpy reserves for growing the first axis, little-endian data.</para>
/// <para>The reader accepts versions 1.0, 2.0 and 3.0, descr '&lt;f4', '&lt;f8' (and big-endian
/// '&gt;f4', '&gt;f8', byte-swapped), and <c>fortran_order: True</c>, which it loads correctly by
/// reading the column-major data and transposing it into a C-order tensor. Anything else, and any
/// file whose header disagrees with its length, throws <see cref="InvalidDataException"/> before
/// tensor memory is allocated.</para>
/// </remarks>
public static class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private const int ArrayAlign = 64;          // numpy's ARRAY_ALIGN
    private const int GrowthAxisMaxDigits = 21; // numpy's GROWTH_AXIS_MAX_DIGITS
    private const int MaxHeaderLength = 1 << 20; // numpy itself refuses headers over 10000 bytes unless told otherwise

    /// <summary>Saves <paramref name="tensor"/> to <paramref name="path"/> as a C-order .npy file, atomically.</summary>
    public static void Save(Tensor tensor, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, s => Save(tensor, s));
    }

    /// <summary>Writes <paramref name="tensor"/> in .npy format to <paramref name="stream"/>.</summary>
    public static void Save(Tensor tensor, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        var descr = tensor.DType switch
        {
            DType.Float64 => "<f8",
            DType.Float32 => "<f4",
            DType.Int64 => "<i8",
            _ => throw new NotSupportedException($"npy: writing {tensor.DType} tensors is not supported"),
        };
        var header = new NpyHeader(descr, false, Array.ConvertAll(tensor.Shape, d => (long)d));
        string text = header.Format();
        if (tensor.Dim > 0) text += new string(' ', GrowthAxisMaxDigits - tensor.Size(0).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        int hlen = text.Length + 1; // + the final newline
        int major = PaddedLength(hlen, 2) <= ushort.MaxValue ? 1 : 2; // numpy uses the oldest version that fits
        int lengthBytes = major == 1 ? 2 : 4;
        int total = PaddedLength(hlen, lengthBytes);
        var prefix = new byte[8 + lengthBytes];
        Magic.CopyTo(prefix);
        prefix[6] = (byte)major;
        prefix[7] = 0;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(8), (ushort)total);
        else BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(8), (uint)total);
        stream.Write(prefix);
        // numpy pads with spaces and ends with '\n'; when already aligned it adds a full 64 (its formula).
        stream.Write(Encoding.Latin1.GetBytes(text + new string(' ', total - hlen) + "\n"));
        TensorBytes.Write(stream, tensor);
    }

    // numpy: padlen = ARRAY_ALIGN - ((MAGIC_LEN + len-field + hlen) % ARRAY_ALIGN); header length field = hlen + padlen.
    private static int PaddedLength(int hlen, int lengthBytes) => hlen + ArrayAlign - (8 + lengthBytes + hlen) % ArrayAlign;

    /// <summary>
    /// Loads a float32 or float64 .npy file as a tensor. Only regular files are read (symbolic links
    /// are followed); a malformed file raises <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static Tensor Load(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = RegularFile.Open(path);
        return RegularFile.Named(path, () => Load(stream, limits));
    }

    /// <summary>Reads a .npy array from a seekable stream (from its current position to its end).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static Tensor Load(Stream stream, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= ReadLimits.Default;
        if (!stream.CanSeek) throw new ArgumentException("npy reading needs a seekable stream", nameof(stream));
        long available = stream.Length - stream.Position;
        if (available < 10) throw new InvalidDataException($"file too small for a .npy file: {available} bytes");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        if (!prefix[..6].SequenceEqual(Magic)) throw new InvalidDataException("not a .npy file: the magic string \\x93NUMPY is missing");
        int major = prefix[6], minor = prefix[7];
        if (major is not (1 or 2 or 3) || minor != 0) throw new InvalidDataException($"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        int lengthBytes = major == 1 ? 2 : 4;
        Span<byte> lenBytes = stackalloc byte[4];
        if (available < 8 + lengthBytes) throw new InvalidDataException($"file too small for a .npy {major}.0 header: {available} bytes");
        stream.ReadExactly(lenBytes[..lengthBytes]);
        long hlen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lenBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lenBytes);
        if (hlen > MaxHeaderLength) throw new InvalidDataException($"npy header length {hlen} exceeds the limit of {MaxHeaderLength} bytes");
        if (hlen > available - 8 - lengthBytes) throw new InvalidDataException($"npy header length {hlen} exceeds the {available - 8 - lengthBytes} bytes that follow it in the file");
        var headerBytes = new byte[hlen];
        stream.ReadExactly(headerBytes);
        string text;
        try { text = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes); }
        catch (DecoderFallbackException) { throw new InvalidDataException("npy 3.0 header is not valid UTF-8"); }
        var header = NpyHeader.Parse(text);

        var (dtype, bigEndian) = header.Descr switch
        {
            "<f4" => (DType.Float32, false),
            "<f8" => (DType.Float64, false),
            ">f4" => (DType.Float32, true),
            ">f8" => (DType.Float64, true),
            _ => throw new InvalidDataException($"npy dtype '{header.Descr}' is not supported; MiniTorch loads only '<f4' (float32) and '<f8' (float64)"),
        };
        long numel = 1;
        foreach (long d in header.Shape)
        {
            if (d > int.MaxValue) throw new InvalidDataException($"npy shape ({string.Join(", ", header.Shape)}) has a dimension larger than MiniTorch supports");
            numel = numel == 0 || d == 0 ? 0 : numel <= int.MaxValue / d ? numel * d : long.MaxValue;
        }
        if (numel > int.MaxValue) throw new InvalidDataException($"npy shape ({string.Join(", ", header.Shape)}) has more than {int.MaxValue} elements");
        long dataLength = available - 8 - lengthBytes - hlen, expected = numel * TensorBytes.ElementSize(dtype);
        if (dataLength != expected)
            throw new InvalidDataException($"npy header promises shape ({string.Join(", ", header.Shape)}) of '{header.Descr}' = {expected} bytes, but the file holds {dataLength} bytes of data");
        limits.CheckBytes($"npy array of shape ({string.Join(", ", header.Shape)}) and dtype '{header.Descr}'", header.FortranOrder ? 2 * expected : expected);

        var shape = Array.ConvertAll(header.Shape, d => (int)d);
        if (!header.FortranOrder || shape.Length < 2) return TensorBytes.Read(stream, dtype, shape, bigEndian);
        // Column-major data is the C-order data of the reversed shape; reversing the axes back is a transpose.
        var reversed = shape.Reverse().ToArray();
        var t = TensorBytes.Read(stream, dtype, reversed, bigEndian);
        return t.Permute(Enumerable.Range(0, shape.Length).Reverse().ToArray()).Contiguous();
    }
}
