using System.Buffers.Binary;
using System.IO.Compression;

namespace MiniTorch.IO;

/// <summary>
/// A PNG codec of MiniTorch's own. The writer emits 8-bit grayscale or RGB, non-interlaced, compressed
/// with <see cref="ZLibStream"/> (zlib level 6), one filter per row chosen by libpng's minimum-sum
/// heuristic, rows filtered on all cores. The reader decodes every PNG — grayscale (1, 2, 4, 8, 16
/// bits), gray+alpha, RGB and RGBA (8, 16 bits), palette (1, 2, 4, 8 bits; RGBA when a tRNS chunk is
/// present), all five filter types, non-interlaced or Adam7 — into a float32 tensor [C, H, W] with
/// values in [0, 1] (16-bit samples keep their full precision: v / 65535). Channels are those of the
/// file (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA), as <c>torchvision.io.decode_png</c>; the colour-key
/// tRNS of gray and RGB images is ignored, ancillary chunks are skipped.
/// </summary>
/// <remarks>
/// <para>Corrupt, unsupported or over-budget files throw <see cref="InvalidDataException"/>: bad
/// signature, CRC mismatch, truncated chunk, missing IHDR/IDAT/IEND, invalid header fields, unknown
/// critical chunks, bad zlib data (a preset dictionary included), short image data, out-of-range
/// palette indices, and images above <see cref="ReadLimits.MaxPixels"/> (checked from the header,
/// before anything is allocated from it). The image data is inflated only as far as the header's
/// size, into a buffer that grows as real data arrives.</para>
/// <para>Both halves stay hand-written where ImageSharp (which reads every other format) does worse,
/// as measured in docs/io.md: ImageSharp 2.1's PNG decoder loops forever on valid interlaced images
/// narrower than 4 pixels and returns zeros for truncated image data instead of an error, and its
/// encoder is several times slower than this one at the same compression on 4K frames.</para>
/// </remarks>
public static class Png
{

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

    /// <summary>Loads a PNG file as a float32 tensor [C, H, W] in [0, 1] (see <see cref="Decode"/>).</summary>
    /// <param name="path">The file (a regular file; symbolic links are followed).</param>
    /// <param name="limits">The pixel and byte budgets (default <see cref="ReadLimits.Default"/>).</param>
    /// <exception cref="InvalidDataException">The file is malformed, over budget or not a regular file; the message names the file and the field.</exception>
    public static Tensor Load(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= ReadLimits.Default;
        // A file of another format gets the decoder's own "bad signature" error from its first bytes.
        var data = RegularFile.ReadImageFile(path, limits, prefix => HasSignature(prefix) || PngDecoder.Decode(prefix, limits) is null);
        return RegularFile.Named(path, () => Decode(data, limits));
    }

    /// <summary>
    /// Decodes PNG bytes into a float32 tensor [C, H, W] in [0, 1], after checking the header's size
    /// against <see cref="ReadLimits.MaxPixels"/>.
    /// </summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="limits">The pixel and byte budgets (default <see cref="ReadLimits.Default"/>).</param>
    public static Tensor Decode(ReadOnlySpan<byte> data, ReadLimits? limits = null) => PngDecoder.Decode(data, limits ?? ReadLimits.Default);
}
