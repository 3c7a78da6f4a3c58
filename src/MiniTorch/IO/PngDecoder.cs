using System.Buffers.Binary;
using System.IO.Compression;

namespace MiniTorch.IO;

/// <summary>
/// MiniTorch's PNG reader (see <see cref="Png"/> for what it decodes and why it is not ImageSharp's).
/// Every check comes before the allocation it guards: chunk lengths against the file, CRCs, the
/// header's size against <see cref="ReadLimits"/>; the image data is inflated into a buffer that grows
/// only as real data arrives and never past the size the header declares.
/// </summary>
internal static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    // Adam7: (x start, y start, x step, y step) of the seven passes.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
    private static readonly (int X, int Y, int Dx, int Dy)[] Progressive = [(0, 0, 1, 1)];

    /// <summary>
    /// The most bytes a PNG whose IHDR is in <paramref name="prefix"/> can hold: its scanlines at 64 bits
    /// per pixel, stored uncompressed (deflate's stored blocks add 5 bytes per 65535), plus 16 MiB for
    /// ancillary chunks; checks the size against the pixel budget first. Null when the prefix holds no IHDR.
    /// </summary>
    public static long? MaxFileLength(ReadOnlySpan<byte> prefix, ReadLimits limits)
    {
        if (prefix.Length < 33 || !prefix.StartsWith(Signature) || !prefix.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        long w = BinaryPrimitives.ReadUInt32BigEndian(prefix[16..]), h = BinaryPrimitives.ReadUInt32BigEndian(prefix[20..]);
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) return null; // the decoder names the field
        limits.CheckPixels("PNG", w, h);
        long raw = h * (8 * w + 1);
        return raw + raw / 8192 + (16 << 20);
    }

    public static Tensor Decode(ReadOnlySpan<byte> data, ReadLimits limits)
    {
        if (!data.StartsWith(Signature)) throw new InvalidDataException(data.IsEmpty ? "not a PNG file: bad signature (the file is empty)" : "not a PNG file: bad signature");
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
                    header = Header.Parse(body, limits);
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
        if (h.ColorType == 3 && paletteAlpha is not null && paletteAlpha.Length > palette!.Length / 3)
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

    /// <summary>
    /// Inflates the IDAT stream, growing the buffer only as real data arrives (a lying header cannot
    /// force a huge allocation) and stopping at the size the header declares (a bomb is not inflated
    /// past it).
    /// </summary>
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
        // zlib's own errors: bad data, and a stream that asks for a preset dictionary (ZLibException).
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"PNG image data is not valid zlib data: {e.Message}", e);
        }
        if (filled < expected) throw new InvalidDataException($"PNG image data is truncated: {filled} bytes decompressed, {expected} expected");
        return buffer;
    }

    private static readonly float[] Scale8 = ScaleTable(8);
    private static float[]? _scale16;

    /// <summary>v / (2^depth − 1) for every sample value v: a division, as torchvision's (multiplying by the reciprocal rounds differently).</summary>
    private static float[] ScaleTable(int depth)
    {
        int max = (1 << depth) - 1;
        var t = new float[max + 1];
        for (int v = 0; v <= max; v++) t[v] = v / (float)max;
        return t;
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int Samples => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        public long RowBytes(long width) => (width * Samples * BitDepth + 7) / 8;
        public (int X, int Y, int Dx, int Dy)[] Passes => Interlaced ? Adam7 : Progressive;

        /// <summary>The filtered scanlines' length: each pass's rows, one filter byte each (empty passes have none).</summary>
        public long RawLength => Passes.Sum(p =>
        {
            long pw = (Width - p.X + p.Dx - 1) / p.Dx, ph = (Height - p.Y + p.Dy - 1) / p.Dy;
            return pw == 0 || ph == 0 ? 0 : ph * (RowBytes(pw) + 1);
        });

        public static Header Parse(ReadOnlySpan<byte> b, ReadLimits limits)
        {
            if (b.Length != 13) throw new InvalidDataException($"PNG IHDR has length {b.Length}, expected 13");
            uint w = BinaryPrimitives.ReadUInt32BigEndian(b), h = BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
            int depth = b[8], color = b[9];
            if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) throw new InvalidDataException($"PNG has invalid dimensions {w}x{h}");
            limits.CheckPixels("PNG", w, h);
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
            if (b[12] > 1) throw new InvalidDataException($"PNG interlace method {b[12]} is invalid (0 none, 1 Adam7)");
            var header = new Header((int)w, (int)h, depth, color, b[12] == 1);
            if (header.RawLength > Array.MaxLength) throw new InvalidDataException($"PNG image {w}x{h} is too large to decode");
            limits.CheckBytes($"PNG image {w}x{h}", header.RawLength + 4L * header.OutputChannels(true) * w * h);
            return header;
        }

        private int OutputChannels(bool hasPaletteAlpha) => ColorType == 3 ? (hasPaletteAlpha ? 4 : 3) : Samples;

        /// <summary>Unfilters the scanlines pass by pass, in place, and spreads their samples over planes [C, H, W] of floats in [0, 1].</summary>
        public Tensor ToTensor(byte[] raw, byte[]? palette, byte[]? paletteAlpha)
        {
            int channels = OutputChannels(paletteAlpha is not null), bpp = Math.Max(1, Samples * BitDepth / 8);
            var output = new Output(new float[channels * (long)Width * Height], Width, (long)Width * Height, channels);
            // Only palette images use the palette: in RGB(A) images a PLTE chunk is a suggested
            // quantisation, and in gray ones it is ignored (as libpng does).
            var colours = ColorType == 3 ? PaletteTable(palette!, paletteAlpha, channels) : null;
            var zero = new byte[RowBytes(Width)];
            int pos = 0;
            foreach (var (x0, y0, dx, dy) in Passes)
            {
                int pw = (Width - x0 + dx - 1) / dx, ph = (Height - y0 + dy - 1) / dy;
                if (pw == 0 || ph == 0) continue;
                int rowBytes = (int)RowBytes(pw);
                ReadOnlySpan<byte> prior = zero.AsSpan(0, rowBytes);
                for (int r = 0; r < ph; r++, pos += rowBytes + 1)
                {
                    var row = raw.AsSpan(pos + 1, rowBytes);
                    PngFilter.Unfilter(raw[pos], row, prior, bpp);
                    prior = row;
                    long at = (long)(y0 + r * dy) * Width + x0;
                    if (colours is not null) EmitPalette(row, pw, at, dx, output, colours, palette!.Length / 3, BitDepth, y0 + r * dy, x0);
                    else if (BitDepth == 8) EmitBytes(row, pw, at, dx, output, Samples);
                    else if (BitDepth == 16) EmitShorts(row, pw, at, dx, output, Samples);
                    else EmitBits(row, pw, at, dx, output, BitDepth);
                }
            }
            return new Tensor(new Storage.TensorStorage<float>(output.Data), [channels, Height, Width]);
        }

        /// <summary>The palette as floats, [entry · channels + c], alpha 1 beyond the tRNS entries.</summary>
        private static float[] PaletteTable(byte[] palette, byte[]? alpha, int channels)
        {
            int entries = palette.Length / 3;
            var table = new float[entries * channels];
            for (int e = 0; e < entries; e++)
            {
                for (int c = 0; c < 3; c++) table[e * channels + c] = Scale8[palette[3 * e + c]];
                if (channels == 4) table[e * channels + 3] = Scale8[e < alpha!.Length ? alpha[e] : 255];
            }
            return table;
        }
    }

    /// <summary>The output planes: sample c of pixel i goes to <c>Data[c · Plane + i]</c>.</summary>
    private readonly record struct Output(float[] Data, int Width, long Plane, int Channels);

    private static void EmitBytes(ReadOnlySpan<byte> row, int count, long at, int dx, in Output o, int samples)
    {
        for (int c = 0; c < samples; c++)
        {
            var plane = o.Data.AsSpan((int)(c * o.Plane + at));
            for (int x = 0, i = c; x < count; x++, i += samples) plane[x * dx] = Scale8[row[i]];
        }
    }

    private static void EmitShorts(ReadOnlySpan<byte> row, int count, long at, int dx, in Output o, int samples)
    {
        var scale = _scale16 ??= ScaleTable(16);
        for (int c = 0; c < samples; c++)
        {
            var plane = o.Data.AsSpan((int)(c * o.Plane + at));
            for (int x = 0, i = 2 * c; x < count; x++, i += 2 * samples) plane[x * dx] = scale[BinaryPrimitives.ReadUInt16BigEndian(row[i..])];
        }
    }

    /// <summary>Gray samples of 1, 2 or 4 bits, packed most significant bits first.</summary>
    private static void EmitBits(ReadOnlySpan<byte> row, int count, long at, int dx, in Output o, int depth)
    {
        var scale = depth == 1 ? [0f, 1f] : depth == 2 ? [0f, 1 / 3f, 2 / 3f, 1f] : ScaleTable(depth);
        var plane = o.Data.AsSpan((int)at);
        for (int x = 0; x < count; x++) plane[x * dx] = scale[Bits(row, x, depth)];
    }

    private static void EmitPalette(ReadOnlySpan<byte> row, int count, long at, int dx, in Output o, float[] colours, int entries, int depth, int y, int x0)
    {
        for (int x = 0; x < count; x++)
        {
            int index = depth == 8 ? row[x] : Bits(row, x, depth);
            if (index >= entries) throw new InvalidDataException($"PNG pixel ({x0 + x * dx}, {y}) uses palette index {index} but the palette has {entries} entries");
            for (int c = 0; c < o.Channels; c++) o.Data[c * o.Plane + at + (long)x * dx] = colours[index * o.Channels + c];
        }
    }

    private static int Bits(ReadOnlySpan<byte> row, int x, int depth)
    {
        long bit = (long)x * depth;
        return (row[(int)(bit >> 3)] >> (8 - depth - (int)(bit & 7))) & ((1 << depth) - 1);
    }
}
