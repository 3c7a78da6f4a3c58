using System.Text;
using Dcgan.Data;
using MiniTorch.IO;

namespace MiniTorch.Examples.Tests.Data;

public class ImageFolderTests
{
    private static void WritePgm(string path, int w, int h, Func<int, int, byte> pixel)
    {
        var bytes = new List<byte>(Encoding.ASCII.GetBytes($"P5\n{w} {h}\n255\n"));
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) bytes.Add(pixel(x, y));
        File.WriteAllBytes(path, bytes.ToArray());
    }

    [Fact]
    public void Load_ReadsPngAndPgm_ConvertsToGray_AndResizesTo32()
    {
        using var dir = new TempDir();
        // a 64×64 PGM: left half black, right half white → after 2× area downscale, exact halves
        WritePgm(dir.File("a.pgm"), 64, 64, (x, _) => x < 32 ? (byte)0 : (byte)255);
        // a 32×32 RGB PNG of pure green: luma 0.587
        var green = new float[3 * 32 * 32];
        Array.Fill(green, 1f, 32 * 32, 32 * 32);
        ImageIO.SavePng(Torch.FromArray(green, 3, 32, 32), dir.File("b.png"));
        File.WriteAllText(dir.File("notes.txt"), "ignored");
        var set = ImageFolder.Load(dir.Path);
        Assert.Equal(2, set.Count);
        Assert.Null(set.Labels);
        var a = set.Image(0);
        Assert.Equal(0f, a[5 * 32 + 15]);
        Assert.Equal(1f, a[5 * 32 + 16]);
        Assert.Equal(0.587f, set.Image(1)[77], 3);
    }

    [Fact]
    public void Load_EmptyFolder_MissingFolder_AndCorruptFiles_AreClearErrors()
    {
        using var dir = new TempDir();
        Assert.Contains("contains no image files (.jpg, .jpeg, .png, .ppm, .bmp, .pgm, .tif, .tiff, .webp)", Assert.Throws<DataException>(() => ImageFolder.Load(dir.Path)).Message);
        Assert.Contains("does not exist", Assert.Throws<DataException>(() => ImageFolder.Load(dir.File("missing"))).Message);

        var png = ImageIO.EncodePng(Torch.Zeros(1, 8, 8));
        File.WriteAllBytes(dir.File("broken.png"), png.AsSpan(0, png.Length / 2).ToArray()); // truncated
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(dir.Path));
        Assert.Contains("broken.png", e.Message);

        File.Delete(dir.File("broken.png"));
        File.WriteAllText(dir.File("fake.pgm"), "P5\n4 4\n255\n"); // header but no pixels
        Assert.Contains("fake.pgm", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(dir.Path)).Message);
    }

    [Fact]
    public void Resize_AveragesAreas_AndKeepsConstantImages()
    {
        var src = new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }; // 3×3
        var dst = ImageResize.Resize(src, 3, 3, 2, 2);
        // output (0,0) covers [0,1.5)²: weights 1, .5, .5, .25 on 0, 1, 3, 4
        Assert.Equal((0 * 1 + 1 * 0.5 + 3 * 0.5 + 4 * 0.25) / 2.25, dst[0], 5);
        var flat = Enumerable.Repeat(0.25f, 50 * 70).ToArray();
        Assert.All(ImageResize.Resize(flat, 50, 70, 32, 32), v => Assert.Equal(0.25f, v, 5));
    }
}
