using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

/// <summary>The README's commands on a user's photo: JPEG in, PNG or JPEG out, a folder of JPEGs to train on.</summary>
public class ImageFilesTests
{
    private static Tensor Photo(int c, int h, int w, int seed) =>
        F.Interpolate(Torch.Rand([1, c, h / 4, w / 4], new Generator(seed)), size: (h, w), mode: InterpolationMode.Bilinear).Squeeze(0);

    [Theory]
    [InlineData("out.png")]
    [InlineData("out.jpg")]
    [InlineData("OUT.JPEG")]
    public void Upscale_JpegPhoto_WritesTheFormatOfTheExtension(string output)
    {
        string dir = Directory.CreateTempSubdirectory("srjpeg").FullName;
        try
        {
            string weights = Path.Combine(dir, "w.safetensors");
            new FSRCNN(2, 8, 4, 1, new Generator(1)).SaveSafetensors(weights, new Dictionary<string, string> { ["scale"] = "2", ["d"] = "8", ["s"] = "4", ["m"] = "1" });
            string photo = Path.Combine(dir, "photo.jpg");
            File.WriteAllBytes(photo, ImageIO.EncodeJpeg(Photo(3, 40, 52, 3)));
            string result = Path.Combine(dir, output);
            Assert.Equal(0, Program.Main(["upscale", "--weights", weights, "--in", photo, "--out", result]));
            var bytes = File.ReadAllBytes(result);
            Assert.True(output.EndsWith(".png") ? Png.HasSignature(bytes) : bytes[0] == 0xFF && bytes[1] == 0xD8, "the file is not in the format its extension names");
            Assert.Equal(new[] { 3, 80, 104 }, ImageIO.Load(result).Shape);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Upscale_DropsAlpha_AndRefusesUnknownOutputExtensions()
    {
        string dir = Directory.CreateTempSubdirectory("sralpha").FullName;
        try
        {
            string rgba = Path.Combine(dir, "rgba.png");
            // An RGBA PNG through ImageSharp's encoder (MiniTorch writes gray or RGB only).
            using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(12, 10))
                SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, rgba);
            Assert.Equal(new[] { 4, 10, 12 }, ImageIO.Load(rgba).Shape);
            Assert.Equal(new[] { 3, 10, 12 }, Program.LoadImage(rgba).Shape);
            string weights = Path.Combine(dir, "w.safetensors");
            new FSRCNN(2, 8, 4, 1).SaveSafetensors(weights, new Dictionary<string, string> { ["scale"] = "2", ["d"] = "8", ["s"] = "4", ["m"] = "1" });
            var error = new StringWriter();
            var saved = Console.Error;
            Console.SetError(error);
            try { Assert.Equal(Program.BadInput, Program.Main(["upscale", "--weights", weights, "--in", rgba, "--out", Path.Combine(dir, "x.tga")])); }
            finally { Console.SetError(saved); }
            Assert.Contains("cannot tell the image format from the extension '.tga'", error.ToString());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Train_FolderOfJpegs_IsTrainingData()
    {
        string dir = Directory.CreateTempSubdirectory("srjpegs").FullName;
        try
        {
            for (int i = 0; i < 3; i++) File.WriteAllBytes(Path.Combine(dir, $"p{i}.jpg"), ImageIO.EncodeJpeg(Photo(3, 48, 40, i)));
            File.WriteAllBytes(Path.Combine(dir, "gray.jpeg"), ImageIO.EncodeJpeg(Photo(1, 36, 36, 9)));
            var source = PatchSource.Open("folder:" + dir, 32);
            Assert.Equal((4, 1), (source.TrainCount, source.HeldOutCount)); // fewer than eight images: the last doubles as held-out
            Assert.Equal([2, 1, 32, 32], source.SampleBatch(2, new Random(0)).Shape);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("d", "1000000000")]
    [InlineData("scale", "two")]
    [InlineData("m", "-1")]
    public void LoadModel_HostileMetadata_IsInvalidData_BeforeTheNetworkIsBuilt(string key, string value)
    {
        string dir = Directory.CreateTempSubdirectory("srmeta").FullName;
        try
        {
            string weights = Path.Combine(dir, "w.safetensors");
            var meta = new Dictionary<string, string> { ["scale"] = "2", ["d"] = "8", ["s"] = "4", ["m"] = "1" };
            meta[key] = value;
            new FSRCNN(2, 8, 4, 1).SaveSafetensors(weights, meta);
            var e = Assert.Throws<InvalidDataException>(() => Program.LoadModel(weights, 2, 56, 12, 4));
            Assert.Contains($"'{weights}': metadata '{key}' is '{value}'", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
