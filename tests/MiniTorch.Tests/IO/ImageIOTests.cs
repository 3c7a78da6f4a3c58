using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

public class ImageIOTests
{
    [Theory]
    [InlineData("rgb_plain")]
    [InlineData("rgb_norm")]
    [InlineData("gray_range")]
    [InlineData("single")]
    public void SaveImageGrid_MatchesTorchvisionSemantics(string name)
    {
        // Expected bytes: torchvision's make_grid (transcribed in gen_io.py) run by torch, then mul(255).add_(0.5).clamp_(0, 255).
        var c = IOGolden.Json.GetProperty("grid").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var input = Torch.FromArray(IOGolden.Doubles(c.GetProperty("input")), IOGolden.Ints(c.GetProperty("shape"))).To(DType.Float32);
        var kw = c.GetProperty("kwargs");
        (double, double)? range = kw.TryGetProperty("value_range", out var r) ? (r[0].GetDouble(), r[1].GetDouble()) : null;
        var path = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}.png");
        try
        {
            ImageIO.SaveImageGrid(input, path, kw.GetProperty("nrow").GetInt32(), kw.GetProperty("padding").GetInt32(),
                kw.TryGetProperty("normalize", out var n) && n.GetBoolean(), range,
                kw.TryGetProperty("pad_value", out var pv) ? pv.GetDouble() : 0);
            var loaded = ImageIO.Load(path);
            Assert.Equal(IOGolden.Ints(c.GetProperty("grid_shape")), loaded.Shape);
            Assert.Equal(IOGolden.Ints(c.GetProperty("grid")), loaded.ToArray().Select(v => (int)MathF.Round(v * 255)));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MakeGrid_LaysOutRowsWithPadding()
    {
        var batch = Torch.Arange(5).Reshape(5, 1, 1, 1) + 1; // five 1×1 images valued 1..5
        var grid = ImageIO.MakeGrid(batch, nrow: 3, padding: 1, padValue: -1);
        Assert.Equal(new[] { 1, 5, 7 }, grid.Shape);
        Assert.Equal(new float[]
        {
            -1, -1, -1, -1, -1, -1, -1,
            -1,  1, -1,  2, -1,  3, -1,
            -1, -1, -1, -1, -1, -1, -1,
            -1,  4, -1,  5, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1,
        }, grid.ToArray());
        var each = ImageIO.MakeGrid(Torch.FromArray(new float[] { 0, 2, 10, 30 }, 2, 1, 1, 2), padding: 0, normalize: true, scaleEach: true);
        Assert.Equal(new float[] { 0, 1, 0, 1 }, each.ToArray());
    }

    [Fact]
    public void Quantize_FollowsTorchvisionRounding()
    {
        var t = Torch.FromArray(new float[] { -0.5f, 0, 0.5f / 255, 0.4999f / 255, 0.5f, 1, 2, float.NaN }, 8);
        Assert.Equal(new[] { 0, 0, 1, 0, 128, 255, 255, 0 }, ImageIO.Quantize(t, 255));
    }

    [Fact]
    public void Load_DispatchesBySignatureNotExtension()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(IOGolden.File("py_gray.pgm"), Path.Combine(dir, "b.png")); // a PGM with a .png name
            File.Copy(IOGolden.File("py_rgb.png"), Path.Combine(dir, "a.pgm"));
            File.WriteAllText(Path.Combine(dir, "c.png"), "not an image");
            File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored");
            Assert.Equal(new[] { 3, 4, 6 }, ImageIO.Load(Path.Combine(dir, "a.pgm")).Shape);
            Assert.Equal(new[] { 1, 5, 7 }, ImageIO.Load(Path.Combine(dir, "b.png")).Shape);
            Assert.Contains("not an image in a format MiniTorch reads", Assert.Throws<InvalidDataException>(() => ImageIO.Load(Path.Combine(dir, "c.png"))).Message);
            File.Delete(Path.Combine(dir, "c.png"));
            Assert.Equal(new[] { "a.pgm", "b.png" }, ImageIO.LoadFolder(dir).Select(e => Path.GetFileName(e.Path)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void SavePng_WrongShape_ThrowsNamingLayout()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageIO.EncodePng(Torch.Zeros(2, 4, 4)));
        Assert.Equal("expected an image of shape [C, H, W] with C = 1 or 3, or [H, W], got [2, 4, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => ImageIO.MakeGrid(Torch.Zeros(1, 1, 1, 1, 1)));
        var grid = Assert.Throws<ArgumentException>(() => ImageIO.SaveImageGrid(Torch.Zeros(2, 4, 3, 3), Path.Combine(Path.GetTempPath(), "never.png")));
        Assert.Equal("expected images of shape [N, C, H, W] with C = 1 or 3, got [2, 4, 3, 3]", grid.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageIO.MakeGrid(Torch.Zeros(2, 1, 2, 2), nrow: 0));
    }
}
