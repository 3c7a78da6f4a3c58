using System.Text.Json;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Every image format ImageIO reads, against what PIL (libpng, libjpeg-turbo, libtiff, libwebp) decodes
/// from the same files (Golden/IO/gen_images.py).
/// </summary>
public class ImageFormatsTests
{
    private static JsonElement? _json;
    private static JsonElement Json => _json ??= JsonDocument.Parse(File.ReadAllBytes(IOGolden.File("images.json"))).RootElement;

    public static TheoryData<string> Names(string group) => [.. Json.GetProperty(group).EnumerateObject().Select(e => e.Name)];

    public static TheoryData<string> Adam7 => Names("adam7");
    public static TheoryData<string> Lossless => Names("lossless");
    public static TheoryData<string> Jpeg => Names("jpeg");

    [Theory]
    [MemberData(nameof(Adam7))]
    public void Load_InterlacedPng_MatchesPil(string name)
    {
        // Sizes below 5 pixels leave Adam7 passes empty; those passes have no scanlines at all.
        PngTests.AssertPixels(Json.GetProperty("adam7").GetProperty(name), Png.Load(IOGolden.File(name)));
        PngTests.AssertPixels(Json.GetProperty("adam7").GetProperty(name), ImageIO.Load(IOGolden.File(name)));
    }

    [Theory]
    [MemberData(nameof(Lossless))]
    public void Load_LosslessFormats_MatchPilExactly(string name) =>
        PngTests.AssertPixels(Json.GetProperty("lossless").GetProperty(name), ImageIO.Load(IOGolden.File(name)));

    /// <summary>
    /// Without chroma subsampling (grayscale, 4:4:4) a JPEG decoder differs from another only by IDCT
    /// rounding: ImageSharp is within 2 levels of libjpeg-turbo on every sample (the measured worst
    /// case is 1 level for grayscale and 2 for 4:4:4, on under 1% of the samples).
    /// </summary>
    [Theory]
    [InlineData("img_gray_q90.jpg")]
    [InlineData("img_444_q95.jpg")]
    public void Load_JpegWithoutSubsampling_IsWithinIdctRoundingOfLibjpeg(string name)
    {
        var expected = Json.GetProperty("jpeg").GetProperty(name);
        var image = ImageIO.Load(IOGolden.File(name));
        Assert.Equal(IOGolden.Ints(expected.GetProperty("shape")), image.Shape);
        var diff = IOGolden.Ints(expected.GetProperty("chw")).Zip(Levels(image), (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(diff.Max() <= 2, $"{name}: a sample differs from libjpeg-turbo's by {diff.Max()} levels");
        Assert.True(diff.Count(d => d > 0) < diff.Length / 20, $"{name}: {diff.Count(d => d > 0)} of {diff.Length} samples differ");
    }

    /// <summary>
    /// With 4:2:0 subsampling decoders upsample chroma differently (libjpeg-turbo's "fancy" triangular
    /// filter, ImageSharp's own), so single samples next to sharp colour dots differ a lot; what must hold
    /// is that ImageSharp recovers the original picture as well as libjpeg-turbo does.
    /// </summary>
    [Fact]
    public void Load_Jpeg420_RecoversThePictureAsWellAsLibjpeg()
    {
        var source = IOGolden.Ints(Json.GetProperty("lossless").GetProperty("img_rgb.bmp").GetProperty("chw"));
        var libjpeg = IOGolden.Ints(Json.GetProperty("jpeg").GetProperty("img_420_q75.jpg").GetProperty("chw"));
        var image = ImageIO.Load(IOGolden.File("img_420_q75.jpg"));
        Assert.Equal(new[] { 3, 24, 40 }, image.Shape);
        double ours = Psnr(source, Levels(image)), theirs = Psnr(source, libjpeg);
        Assert.True(ours >= theirs - 0.5, $"ImageSharp's decode has PSNR {ours:F2} dB against the original, libjpeg-turbo's {theirs:F2} dB");
    }

    private static int[] Levels(Tensor image) => [.. image.ToArray().Select(v => (int)MathF.Round(v * 255))];

    private static double Psnr(int[] a, int[] b) => 10 * Math.Log10(255.0 * 255 / a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Average());
}
