using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

public class RowStreamTests
{
    /// <summary>
    /// A network with random non-zero biases and PReLU slopes: at the image's edges a layer must see
    /// zero padding, not the previous layer applied to zeros (PReLU(bias) ≠ 0), so a wrong border
    /// treatment shows.
    /// </summary>
    private static FSRCNN Net(int scale, int d = 8, int s = 4, int m = 2, int seed = 5)
    {
        var model = new FSRCNN(scale, d, s, m, generator: new Generator(seed));
        var g = new Generator(seed + 100);
        using var _ = Torch.NoGrad();
        var layers = model.FirstPart.Concat(model.MidPart).ToList();
        foreach (var conv in layers.OfType<Conv2d>()) conv.Bias!.CopyFrom(Torch.Rand(conv.Bias.Shape, g) - 0.5);
        foreach (var prelu in layers.OfType<PReLU>()) prelu.Weight.CopyFrom(Torch.Rand(prelu.Weight.Shape, g) - 0.5);
        model.LastPart.Weight.CopyFrom(Torch.Randn(model.LastPart.Weight.Shape, g) * 0.1);
        model.LastPart.Bias!.CopyFrom(Torch.Rand(model.LastPart.Bias.Shape, g));
        return model;
    }

    private static float[] Whole(FSRCNN model, Tensor y) => Upscaler.UpscaleLuma(model, y, band: 0).ToArray();

    [Theory]
    [InlineData(2, 37, 29)]
    [InlineData(2, 1, 5)]
    [InlineData(2, 9, 3)]
    [InlineData(3, 23, 11)]
    [InlineData(1, 17, 13)]
    [InlineData(4, 12, 7)]
    public void Bands_EqualOnePassOverTheWholeImage_Bitwise(int scale, int h, int w)
    {
        var model = Net(scale);
        model.Eval();
        var y = Torch.Rand([1, 1, h, w], new Generator(6));
        var whole = Whole(model, y);
        // Bands thinner than the network's delay (1, 3), around it (7, 9, 10), several bands, and one band for everything.
        foreach (int band in new[] { 1, 3, 7, 9, 10, 16, h, h + 5 })
        {
            var banded = Upscaler.UpscaleLuma(model, y, band: band);
            Assert.Equal([1, 1, scale * h, scale * w], banded.Shape);
            // Every output value is the same sum of the same products in the same order as in the
            // whole-image pass (zero rows stand for the zero padding), so the values agree exactly.
            var got = banded.ToArray();
            for (int i = 0; i < whole.Length; i++)
                Assert.True(whole[i] == got[i], $"scale {scale}, {h}×{w}, band {band}: element {i} (row {i / (scale * w)}): whole {whole[i]:R}, banded {got[i]:R}");
        }
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 16)]
    public void Stripes_AnyRowRange_GivesExactlyThoseRowsOfTheWholeImage(int scale, int band)
    {
        // Parallel stripes each stream their rows plus the receptive radius beyond them.
        var model = Net(scale, m: 3);
        model.Eval();
        int h = 41, w = 13;
        var y = Torch.Rand([1, 1, h, w], new Generator(9));
        var whole = Whole(model, y);
        int rowLength = scale * w;
        foreach (var (r0, r1) in new[] { (0, h), (0, 20), (20, h), (7, 8), (9, 30), (1, h - 1), (40, 41) })
        {
            var got = new float[whole.Length];
            var seen = new bool[scale * h];
            Upscaler.StreamLuma(model, y, band, r0, r1, (row, rows) =>
            {
                rows.ToArray().CopyTo(got, row * rowLength);
                for (int r = row; r < row + rows.Size(2); r++) { Assert.False(seen[r], $"row {r} twice"); seen[r] = true; }
            });
            for (int r = 0; r < scale * h; r++) Assert.Equal(r >= scale * r0 && r < scale * r1, seen[r]);
            for (int i = scale * r0 * rowLength; i < scale * r1 * rowLength; i++)
                Assert.True(whole[i] == got[i], $"rows [{r0}, {r1}): element {i}: whole {whole[i]:R}, striped {got[i]:R}");
        }
    }

    [Fact]
    public void UpscaleImage_Stripes_EqualOnePassOverTheWholeImage()
    {
        // Tall enough for two stripes on a machine with two or more threads.
        var model = Net(2, d: 4, s: 3, m: 1);
        var rgb = Torch.Rand([3, 150, 9], new Generator(10));
        var whole = Upscaler.UpscaleImage(model, rgb, band: 0).ToArray();
        foreach (int band in new[] { 5, 16 })
            Assert.Equal(whole, Upscaler.UpscaleImage(model, rgb, band: band).ToArray());
        // The banded colour conversion and chroma agree with the tensor formulas of ColorSpace.
        var (yc, cb, cr) = ColorSpace.ToYCbCr(rgb);
        var yUp = Upscaler.UpscaleLuma(model, yc.Unsqueeze(0), band: 0).Squeeze(0);
        Tensor Chroma(Tensor c) => F.Interpolate(c.Unsqueeze(0), scaleFactor: 2, mode: InterpolationMode.Bicubic).Squeeze(0);
        var reference = ColorSpace.ToRgb(yUp, Chroma(cb), Chroma(cr)).ToArray();
        for (int i = 0; i < whole.Length; i++)
            Assert.True(Math.Abs(whole[i] - reference[i]) <= 2e-6, $"element {i}: {whole[i]:R} vs the tensor formulas' {reference[i]:R}");
    }

    [Fact]
    public void Stream_Reused_GivesTheSameRowsForTheNextImage()
    {
        var model = Net(2);
        model.Eval();
        var stream = new RowStream(model, 6);
        Assert.Equal(6, stream.Delay); // 5×5: 2, two 3×3: 1 each, transposed 9×9 s2 p4: 2, the 1×1s: 0
        Tensor Run(Tensor y)
        {
            var parts = new List<Tensor>();
            for (int r = 0; r < y.Size(2); r += 4)
                if (stream.Push(y.Narrow(2, r, Math.Min(4, y.Size(2) - r)), last: r + 4 >= y.Size(2)) is { } rows) parts.Add(rows.Clone()); // the stream reuses its output
            return Torch.Cat([.. parts], 2);
        }
        var a = Torch.Rand([1, 1, 13, 6], new Generator(1));
        var b = Torch.Rand([1, 1, 11, 6], new Generator(2));
        Assert.Equal(Whole(model, a), Run(a).ToArray());
        Assert.Equal(Whole(model, b), Run(b).ToArray());
        Assert.Equal(Whole(model, a), Run(a).ToArray());
    }

    [Fact]
    public void Stream_OutputLagsByItsDelay()
    {
        var model = Net(2, m: 1);
        var stream = new RowStream(model, 5);
        int delay = stream.Delay; // 2 + 1 + 2
        Assert.Equal(5, delay);
        var y = Torch.Rand([1, 1, 20, 5], new Generator(3));
        int fed = 0, returned = 0;
        for (int r = 0; r < 20; r += 3)
        {
            int n = Math.Min(3, 20 - r);
            var rows = stream.Push(y.Narrow(2, r, n), last: r + n == 20);
            fed += n;
            returned += rows?.Size(2) ?? 0;
            Assert.Equal(fed == 20 ? 40 : 2 * Math.Max(0, fed - delay), returned);
        }
    }

    [Fact]
    public void Profile_CountsEveryLayerOfEveryBand_AndLeavesTheResultUnchanged()
    {
        var model = Net(2, d: 4, s: 3, m: 2);
        var rgb = Torch.Rand([3, 30, 7], new Generator(12));
        var profile = new LayerProfile();
        var profiled = Upscaler.UpscaleImage(model, rgb, band: 8, profile: profile);
        Assert.Equal(Upscaler.UpscaleImage(model, rgb, band: 8).ToArray(), profiled.ToArray());
        var names = profile.Entries.Select(e => e.Name.Trim()).ToList();
        foreach (var layer in new[] { "conv 5x5 1->4", "prelu 4", "conv 1x1 4->3", "conv 3x3 3->3", "conv 1x1 3->4", "conv_t 9x9 4->1", "chroma bicubic", "YCbCr to RGB" })
            Assert.Contains(names, n => n.EndsWith(layer));
        // 30 rows in bands of 8: four pushes, every layer runs on each (the first with fewer rows).
        Assert.All(profile.Entries.Where(e => e.Name.Contains("conv")), e => Assert.Equal(4, e.Calls));
        Assert.All(profile.Entries, e => Assert.True(e.Wall > TimeSpan.Zero && e.AllocatedBytes >= 0 && e.PageFaults >= 0, e.Name));
        Assert.Contains("total", profile.ToString());
    }

    [Fact]
    public void Cli_Upscale_WritesTheUpscaledImage_AsTheLibraryComputesIt()
    {
        string dir = Directory.CreateTempSubdirectory("sr-upscale").FullName;
        try
        {
            var model = Net(2, d: 4, s: 3, m: 1);
            string weights = Path.Combine(dir, "w.safetensors"), input = Path.Combine(dir, "in.png"), output = Path.Combine(dir, "out.png");
            model.SaveSafetensors(weights);
            var levels = new Random(13);
            var image = Torch.FromArray(Enumerable.Range(0, 3 * 140 * 6).Select(_ => levels.Next(256) / 255f).ToArray(), 3, 140, 6);
            ImageIO.SavePng(image, input);
            Assert.Equal(0, Program.BuildRoot().Parse(["upscale", "--weights", weights, "--in", input, "--out", output, "--d", "4", "--s", "3", "--m", "1", "--tile", "10", "--profile"]).Invoke());
            var written = ImageIO.Load(output);
            Assert.Equal([3, 280, 12], written.Shape);
            var expected = Upscaler.UpscaleImage(model, ImageIO.Load(input), band: 0).ToArray();
            var got = written.ToArray();
            for (int i = 0; i < got.Length; i++)
                Assert.True(Math.Abs(got[i] - expected[i]) <= 0.5 / 255 + 1e-6, $"element {i}: {got[i]} vs {expected[i]} (8-bit rounding)");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void UpscaleLuma_RejectsAPlaneThatIsNotOneChannel()
    {
        var e = Assert.Throws<ArgumentException>(() => Upscaler.UpscaleLuma(Net(2), Torch.Zeros(1, 3, 4, 4)));
        Assert.Contains("[1, 1, H, W]", e.Message);
    }
}
