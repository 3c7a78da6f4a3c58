using System.Buffers.Binary;
using System.IO.Compression;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

public class PngTests
{
    internal static void AssertPixels(System.Text.Json.JsonElement expected, Tensor image)
    {
        int max = expected.GetProperty("max").GetInt32();
        Assert.Equal(IOGolden.Ints(expected.GetProperty("shape")), image.Shape);
        Assert.Equal(DType.Float32, image.DType);
        var want = IOGolden.Ints(expected.GetProperty("chw"));
        // Exact: every value is sample / max in float32.
        Assert.Equal(want.Select(v => v / (float)max), image.ToArray());
    }

    [Theory]
    [InlineData("gray")]
    [InlineData("rgb")]
    [InlineData("rgba")]
    [InlineData("la")]
    [InlineData("palette")]
    [InlineData("1bit")]
    [InlineData("gray16")]
    [InlineData("rgb16_filters")]
    [InlineData("rgb8_filters")]
    public void Load_PythonMadePng_MatchesPixels(string key) =>
        AssertPixels(IOGolden.Json.GetProperty("png").GetProperty(key), Png.Load(IOGolden.File($"py_{key}.png")));

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 9, 13)]
    [InlineData(3, 7, 5)]
    [InlineData(3, 1, 31)]
    public void RoundTrip_EightBit_IsExact(int channels, int height, int width)
    {
        var rng = new Random(channels * 100 + height * 10 + width);
        var bytes = new float[channels * height * width];
        // Smooth ramps plus noise, so the writer's filter choice varies between rows.
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (i % 3 == 0 ? rng.Next(256) : (i * 5) % 256) / 255f;
        var image = Torch.FromArray(bytes, channels, height, width);
        var decoded = Png.Decode(ImageIO.EncodePng(image));
        Assert.Equal(image.Shape, decoded.Shape);
        Assert.Equal(bytes, decoded.ToArray());
    }

    [Fact]
    public void Encode_WritesValidChunksWithCrc()
    {
        var png = ImageIO.EncodePng(Torch.Zeros(4, 4));
        Assert.True(Png.HasSignature(png));
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(png.Length - 12))); // IEND is empty
        Assert.Equal(0xAE426082u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(png.Length - 4))); // the well-known IEND CRC
    }

    /// <summary>A PNG with the given IHDR fields and raw (already filtered) scanlines.</summary>
    internal static byte[] Make(int width, int height, byte depth, byte color, byte interlace, byte[] scanlines, params (string Type, byte[] Data)[] extra)
    {
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(scanlines);
        return MakeRaw(width, height, depth, color, interlace, z.ToArray(), extra);
    }

    /// <summary>A PNG with the given IHDR fields and IDAT contents (zlib data, not compressed further).</summary>
    internal static byte[] MakeRaw(int width, int height, byte depth, byte color, byte interlace, byte[] idat, params (string Type, byte[] Data)[] extra)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = depth; ihdr[9] = color; ihdr[12] = interlace;
        Chunk(ms, "IHDR", ihdr);
        foreach (var (type, data) in extra) Chunk(ms, type, data);
        Chunk(ms, "IDAT", idat);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var buf = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(buf, 4);
        data.CopyTo(buf, 8);
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(8 + data.Length), Crc32.Compute(buf.AsSpan(4, 4 + data.Length)));
        s.Write(buf);
    }

    private static InvalidDataException DecodeFails(byte[] png) => Assert.Throws<InvalidDataException>(() => Png.Decode(png));

    [Fact]
    public void Decode_PaletteWithTransparency_GivesRgba()
    {
        var png = Make(2, 1, 8, 3, 0, [0, 1, 0], ("PLTE", [255, 0, 0, 0, 0, 255]), ("tRNS", [128]));
        var t = Png.Decode(png);
        Assert.Equal(new[] { 4, 1, 2 }, t.Shape);
        Assert.Equal(new[] { 0f, 1, 0, 0, 1, 0, 1, 128 / 255f }, t.ToArray()); // blue opaque, red half transparent
    }

    /// <summary>
    /// PLTE is optional in RGB and RGBA images (a suggested quantisation) and ignored in gray ones, as
    /// libpng does: the pixels are the samples. (Found by the fuzzer: it once sent these through the
    /// palette path, reading the wrong values or past the table; fuzz/crashes/png.)
    /// </summary>
    [Fact]
    public void Decode_PlteInNonPaletteImages_IsIgnored()
    {
        var plte = ("PLTE", new byte[] { 9, 9, 9, 8, 8, 8 });
        Assert.Equal(new[] { 10 / 255f, 40 / 255f, 20 / 255f, 50 / 255f, 30 / 255f, 60 / 255f },
            Png.Decode(Make(2, 1, 8, 2, 0, [0, 10, 20, 30, 40, 50, 60], plte)).ToArray());
        Assert.Equal(new[] { 4, 1, 1 }, Png.Decode(Make(1, 1, 8, 6, 0, [0, 1, 2, 3, 4], plte, ("tRNS", [7]))).Shape);
        Assert.Equal(new[] { 5 / 255f }, Png.Decode(Make(1, 1, 8, 0, 0, [0, 5], plte)).ToArray());
    }

    [Fact]
    public void Decode_CorruptOrUnsupported_ThrowsNamingTheProblem()
    {
        var good = Make(2, 2, 8, 0, 0, [0, 1, 2, 0, 3, 4]);
        Assert.Equal(new[] { 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f }, Png.Decode(good).ToArray());

        var badSig = (byte[])good.Clone(); badSig[1] = (byte)'Q';
        Assert.Contains("bad signature", DecodeFails(badSig).Message);
        var badCrc = (byte[])good.Clone(); badCrc[^20] ^= 0x40; // inside IDAT
        Assert.Contains("CRC", DecodeFails(badCrc).Message);
        Assert.Contains("truncated", DecodeFails(good[..(good.Length - 15)]).Message);
        Assert.Contains("image data is truncated: 6 bytes decompressed, 7 expected", DecodeFails(Make(2, 2, 8, 0, 1, new byte[6])).Message); // Adam7: rows of passes 1, 6, 7
        Assert.Contains("interlace method 2 is invalid", DecodeFails(Make(2, 2, 8, 0, 2, new byte[6])).Message);
        Assert.Contains("more than the limit of 89478485", DecodeFails(Make(1 << 15, 1 << 15, 8, 0, 0, [0])).Message);
        Assert.Contains("invalid dimensions 0x2", DecodeFails(Make(0, 2, 8, 0, 0, [0])).Message);
        Assert.Contains("colour type 2 with bit depth 4", DecodeFails(Make(2, 2, 4, 2, 0, [0])).Message);
        Assert.Contains("unknown filter type 7", DecodeFails(Make(2, 2, 8, 0, 0, [7, 1, 2, 0, 3, 4])).Message);
        Assert.Contains("image data is truncated", DecodeFails(Make(2, 2, 8, 0, 0, [0, 1, 2])).Message);
        Assert.Contains("no PLTE", DecodeFails(Make(2, 1, 8, 3, 0, [0, 0, 0])).Message);
        Assert.Contains("palette index 5", DecodeFails(Make(2, 1, 8, 3, 0, [0, 0, 5], ("PLTE", [1, 2, 3]))).Message);
        Assert.Contains("critical chunk 'ABCD'", DecodeFails(Make(2, 2, 8, 0, 0, [0, 1, 2, 0, 3, 4], ("ABCD", [1]))).Message);
        Assert.Equal(new[] { 1, 2, 2 }, Png.Decode(Make(2, 2, 8, 0, 0, [0, 1, 2, 0, 3, 4], ("tEXt", [65, 0, 66]))).Shape);
    }
}
