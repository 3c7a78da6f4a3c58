using System.Buffers.Binary;
using System.IO.Compression;

namespace MiniTorch.IO;

/// <summary>
/// A small PNG codec. The writer emits 8-bit grayscale or RGB, non-interlaced, compressed with
/// <see cref="ZLibStream"/>, one filter per row chosen by libpng's minimum-sum heuristic. The
/// reader decodes every non-interlaced PNG: grayscale (1, 2, 4, 8, 16 bits), gray+alpha, RGB and
/// RGBA (8, 16 bits) and palette (1, 2, 4, 8 bits; RGBA when a tRNS chunk is present), all five
/// filter types, into a float32 tensor [C, H, W] with values in [0, 1] (16-bit samples keep their
/// full precision: v / 65535). Channels are those of the file (1 gray, 2 gray+alpha, 3 RGB,
/// 4 RGBA); the colour-key tRNS of gray and RGB images is ignored, ancillary chunks are skipped.
/// </summary>
/// <remarks>
/// Corrupt or unsupported files throw <see cref="InvalidDataException"/>: bad signature, CRC
/// mismatch, truncated chunk, missing IHDR/IDAT/IEND, invalid header fields, interlacing,
/// unknown critical chunks, bad zlib data, short image data, out-of-range palette indices, and
/// dimensions above <see cref="MaxPixels"/> (checked before anything is allocated from them).
/// </remarks>
public static class Png
{
    /// <summary>The largest image (width × height) the reader accepts.</summary>
    public const long MaxPixels = 1L << 28;

    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Whether <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>
    /// Encodes 8-bit pixels, interleaved row-major (<c>[H, W, channels]</c>), as a PNG:
    /// grayscale for 1 channel, RGB for 3.
    /// </summary>
    public static void Encode(Stream stream, ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (channels is not (1 or 3)) throw new ArgumentException($"PNG writer supports 1 (grayscale) or 3 (RGB) channels, got {channels}");
        if (width <= 0 || height <= 0) throw new ArgumentException($"PNG images need positive width and height, got {width}x{height}");
        if ((long)width * height * channels != pixels.Length) throw new ArgumentException($"expected {(long)width * height * channels} pixel bytes for {width}x{height}x{channels}, got {pixels.Length}");
        stream.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                               // bit depth
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);   // colour type: gray or truecolour
        ihdr[10] = ihdr[11] = ihdr[12] = 0;        // deflate, adaptive filtering, no interlace
        WriteChunk(stream, "IHDR"u8, ihdr);

        int rowBytes = width * channels;
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            // Each row's filter depends only on the raw rows y and y − 1, so a block of rows is
            // filtered on all cores (the bytes do not depend on the thread count), then compressed.
            int block = Math.Max(1, Math.Min(height, (1 << 20) / (rowBytes + 1)));
            var lines = new byte[block * (rowBytes + 1)];
            var scratch = new byte[Math.Min(block, Math.Max(1, Kernels.Threading.NumThreads)) * rowBytes];
            for (int y0 = 0; y0 < height; y0 += block)
            {
                int count = Math.Min(block, height - y0);
                FilterRows(pixels, rowBytes, channels, y0, count, lines, scratch);
                z.Write(lines, 0, count * (rowBytes + 1));
            }
        }
        WriteChunk(stream, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(stream, "IEND"u8, []);
    }

    /// <summary>Rows [y0, y0 + count) as PNG lines (filter byte, filtered row) into <paramref name="lines"/>.</summary>
    private static unsafe void FilterRows(ReadOnlySpan<byte> pixels, int rowBytes, int bpp, int y0, int count, byte[] lines, byte[] scratch)
    {
        fixed (byte* p = pixels)
        {
            byte* px = p;
            int len = pixels.Length, workers = scratch.Length / rowBytes, per = (count + workers - 1) / workers;
            var zero = new byte[y0 == 0 ? rowBytes : 0];
            Kernels.Threading.For(workers, t =>
            {
                var all = new ReadOnlySpan<byte>(px, len);
                var tmp = scratch.AsSpan(t * rowBytes, rowBytes);
                for (int y = y0 + t * per; y < Math.Min(y0 + count, y0 + (t + 1) * per); y++)
                {
                    var row = all.Slice(y * rowBytes, rowBytes);
                    ReadOnlySpan<byte> prior = y == 0 ? zero : all.Slice((y - 1) * rowBytes, rowBytes);
                    var line = lines.AsSpan((y - y0) * (rowBytes + 1), rowBytes + 1);
                    int type = PngFilter.Choose(row, prior, bpp, tmp);
                    line[0] = (byte)type;
                    PngFilter.Filter(type, row, prior, bpp, line[1..]);
                }
            });
        }
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        stream.Write(type);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu);
        stream.Write(word);
    }

    /// <summary>Loads a PNG file as a float32 tensor [C, H, W] in [0, 1].</summary>
    public static Tensor Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(File.ReadAllBytes(path));
    }

    /// <summary>Decodes PNG bytes into a float32 tensor [C, H, W] in [0, 1].</summary>
    public static Tensor Decode(ReadOnlySpan<byte> data)
    {
        if (!HasSignature(data)) throw new InvalidDataException("not a PNG file: bad signature");
        int pos = Signature.Length;
        Header? header = null;
        byte[]? palette = null, paletteAlpha = null;
        using var idat = new MemoryStream();
        bool ended = false;
        while (!ended)
        {
            if (data.Length - pos < 12) throw new InvalidDataException($"PNG file truncated at byte {pos}: no room for another chunk (IEND missing)");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            string name = ChunkName(type);
            if (length > int.MaxValue || length > data.Length - pos - 12)
                throw new InvalidDataException($"PNG chunk '{name}' at byte {pos} claims {length} bytes but only {data.Length - pos - 12} remain (truncated chunk)");
            var body = data.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            uint actual = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), body) ^ 0xFFFFFFFFu;
            if (stored != actual) throw new InvalidDataException($"PNG chunk '{name}' at byte {pos} has CRC 0x{stored:X8}, computed 0x{actual:X8} (corrupt file)");
            pos += 12 + (int)length;
            if (header is null && name != "IHDR") throw new InvalidDataException($"PNG must start with an IHDR chunk, found '{name}'");
            switch (name)
            {
                case "IHDR":
                    if (header is not null) throw new InvalidDataException("PNG has more than one IHDR chunk");
                    header = Header.Parse(body);
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768) throw new InvalidDataException($"PNG palette has invalid length {length} (a multiple of 3 up to 768)");
                    palette = body.ToArray();
                    break;
                case "tRNS":
                    if (header!.ColorType == 3) paletteAlpha = body.ToArray(); // colour-key tRNS of gray/RGB images is ignored
                    break;
                case "IDAT": idat.Write(body); break;
                case "IEND": ended = true; break;
                default:
                    if ((type[0] & 0x20) == 0) throw new InvalidDataException($"PNG has unknown critical chunk '{name}'");
                    break; // ancillary chunks (text, gamma, …) are skipped
            }
        }
        var h = header!;
        if (idat.Length == 0) throw new InvalidDataException("PNG has no IDAT chunk (no image data)");
        if (h.ColorType == 3 && palette is null) throw new InvalidDataException("PNG palette image has no PLTE chunk");
        if (paletteAlpha is not null && palette is not null && paletteAlpha.Length > palette.Length / 3)
            throw new InvalidDataException($"PNG tRNS has {paletteAlpha.Length} entries but the palette only {palette.Length / 3}");
        var raw = Inflate(idat, h.RawLength);
        return h.ToTensor(raw, palette, paletteAlpha);
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++) c[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        return new string(c);
    }

    /// <summary>Inflates the IDAT stream, growing the buffer only as real data arrives (a lying header cannot force a huge allocation).</summary>
    private static byte[] Inflate(MemoryStream idat, long expected)
    {
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var buffer = new byte[(int)Math.Min(expected, 1 << 16)];
        int filled = 0;
        try
        {
            while (filled < expected)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(expected, 2L * buffer.Length));
                int n = z.Read(buffer, filled, buffer.Length - filled);
                if (n == 0) break;
                filled += n;
            }
        }
        catch (InvalidDataException e) { throw new InvalidDataException($"PNG image data is not valid zlib data: {e.Message}", e); }
        if (filled < expected) throw new InvalidDataException($"PNG image data is truncated: {filled} bytes decompressed, {expected} expected");
        return buffer;
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType)
    {
        public int Samples => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        public long RowBytes => ((long)Width * Samples * BitDepth + 7) / 8;
        public long RawLength => Height * (RowBytes + 1);

        public static Header Parse(ReadOnlySpan<byte> b)
        {
            if (b.Length != 13) throw new InvalidDataException($"PNG IHDR has length {b.Length}, expected 13");
            uint w = BinaryPrimitives.ReadUInt32BigEndian(b), h = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
            int depth = b[8], color = b[9];
            if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) throw new InvalidDataException($"PNG has invalid dimensions {w}x{h}");
            if ((long)w * h > MaxPixels) throw new InvalidDataException($"PNG dimensions {w}x{h} exceed the limit of {MaxPixels} pixels");
            bool valid = color switch
            {
                0 => depth is 1 or 2 or 4 or 8 or 16,
                3 => depth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => depth is 8 or 16,
                _ => false,
            };
            if (!valid) throw new InvalidDataException($"PNG has invalid colour type {color} with bit depth {depth}");
            if (b[10] != 0) throw new InvalidDataException($"PNG compression method {b[10]} is not supported (only 0, deflate)");
            if (b[11] != 0) throw new InvalidDataException($"PNG filter method {b[11]} is not supported (only 0)");
            if (b[12] == 1) throw new InvalidDataException("interlaced (Adam7) PNG files are not supported");
            if (b[12] != 0) throw new InvalidDataException($"PNG interlace method {b[12]} is invalid");
            var header = new Header((int)w, (int)h, depth, color);
            if (header.RawLength > Array.MaxLength) throw new InvalidDataException($"PNG image {w}x{h} is too large to decode");
            return header;
        }

        /// <summary>Unfilters the scanlines in place and converts the samples to floats in [0, 1].</summary>
        public Tensor ToTensor(byte[] raw, byte[]? palette, byte[]? paletteAlpha)
        {
            int rowBytes = (int)RowBytes, bpp = Math.Max(1, Samples * BitDepth / 8);
            var zero = new byte[rowBytes];
            for (int y = 0; y < Height; y++)
            {
                int start = y * (rowBytes + 1);
                var prior = y == 0 ? zero : raw.AsSpan(start - rowBytes, rowBytes);
                PngFilter.Unfilter(raw[start], raw.AsSpan(start + 1, rowBytes), prior, bpp);
            }
            int channels = ColorType == 3 ? (paletteAlpha is null ? 3 : 4) : Samples;
            long plane = (long)Width * Height;
            var output = new float[channels * plane];
            float max = (1 << BitDepth) - 1;
            for (int y = 0; y < Height; y++)
            {
                var row = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes);
                for (int x = 0; x < Width; x++)
                {
                    long at = (long)y * Width + x;
                    if (ColorType == 3)
                    {
                        int index = Sample(row, x, 0);
                        if (3 * index + 2 >= palette!.Length) throw new InvalidDataException($"PNG pixel ({x}, {y}) uses palette index {index} but the palette has {palette.Length / 3} entries");
                        for (int c = 0; c < 3; c++) output[c * plane + at] = palette[3 * index + c] / 255f;
                        if (paletteAlpha is not null) output[3 * plane + at] = (index < paletteAlpha.Length ? paletteAlpha[index] : 255) / 255f;
                    }
                    else
                        for (int c = 0; c < channels; c++) output[c * plane + at] = Sample(row, x, c) / max;
                }
            }
            return new Tensor(new Storage.TensorStorage<float>(output), [channels, Height, Width]);
        }

        private int Sample(ReadOnlySpan<byte> row, int x, int c)
        {
            long i = (long)x * Samples + c;
            return BitDepth switch
            {
                8 => row[(int)i],
                16 => BinaryPrimitives.ReadUInt16BigEndian(row[(int)(2 * i)..]),
                // Sub-byte samples are packed most significant bits first.
                _ => (row[(int)(i * BitDepth / 8)] >> (8 - BitDepth - (int)(i * BitDepth % 8))) & ((1 << BitDepth) - 1),
            };
        }
    }
}
