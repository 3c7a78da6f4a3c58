using System.Text.Json;
using MiniTorch;
using MiniTorch.IO;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

/// <summary>
/// The ×2 weights shipped with the example (examples/SuperResolution/weights, made by train_x2.sh):
/// what they are, that their recorded held-out PSNR is what they give today and beats bicubic, and
/// that upscale and evaluate use them when no --weights is given.
/// </summary>
public class ShippedWeightsTests
{
    private static JsonElement Record => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "weights", "fsrcnn_x2.json"))).RootElement;

    [Fact]
    public void ShippedWeights_AreTheRecordedFsrcnnX2()
    {
        var model = Program.LoadModel(Program.ShippedWeights, 3, 1, 1, 0);   // the file's metadata decides, not these
        var recorded = Record.GetProperty("model");
        Assert.Equal((recorded.GetProperty("scale").GetInt32(), recorded.GetProperty("d").GetInt32(), recorded.GetProperty("s").GetInt32(), recorded.GetProperty("m").GetInt32()),
                     (model.Scale, model.D, model.S, model.M));
        Assert.Equal((2, 56, 12, 4), (model.Scale, model.D, model.S, model.M));
    }

    /// <summary>
    /// The held-out PSNR recorded by train_x2.sh (two decimals) is what the shipped weights give now,
    /// on the training run's held-out images and on a fresh draw, and it beats bicubic upscaling.
    /// </summary>
    [Fact]
    public void ShippedWeights_HeldOutPsnr_IsTheRecordedOne_AndBeatsBicubic()
    {
        var model = Program.LoadModel(Program.ShippedWeights, 2, 56, 12, 4);
        foreach (var row in Record.GetProperty("held_out").EnumerateArray())
        {
            var source = PatchSource.Open("procedural", 32, row.GetProperty("images").GetInt32(), row.GetProperty("seed").GetInt32());
            Assert.Equal(row.GetProperty("held_out_images").GetInt32(), source.HeldOutCount);
            var result = Trainer.Evaluate(model, source, 2);
            string what = $"seed {row.GetProperty("seed").GetInt32()}: {result}";
            Assert.True(Math.Abs(result.NetworkPsnr - row.GetProperty("fsrcnn_db").GetDouble()) <= 0.005, what);
            Assert.True(Math.Abs(result.BicubicPsnr - row.GetProperty("bicubic_db").GetDouble()) <= 0.005, what);
            Assert.True(result.NetworkPsnr > result.BicubicPsnr + 1, what);
        }
    }

    [Fact]
    public void Upscale_WithoutWeights_UsesTheShippedWeights()
    {
        string dir = Directory.CreateTempSubdirectory("sr-shipped").FullName;
        try
        {
            string input = Path.Combine(dir, "in.png"), implicitOut = Path.Combine(dir, "a.png"), explicitOut = Path.Combine(dir, "b.png");
            ImageIO.SavePng(Torch.Rand([3, 20, 28], new Generator(5)), input);
            Assert.Equal(0, Program.BuildRoot().Parse(["upscale", "--in", input, "--out", implicitOut]).Invoke());
            Assert.Equal(0, Program.BuildRoot().Parse(["upscale", "--weights", Program.ShippedWeights, "--in", input, "--out", explicitOut]).Invoke());
            Assert.Equal(File.ReadAllBytes(explicitOut), File.ReadAllBytes(implicitOut));
            Assert.Equal(new[] { 3, 40, 56 }, ImageIO.Load(implicitOut).Shape);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void WithoutWeights_OtherScales_AreBadInputNamingTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => Program.WeightsOrShipped(null, 3));
        Assert.Contains("--weights", error.Message);
        Assert.Contains("--scale 2", error.Message);
        Assert.Equal(Program.BadInput, Program.BuildRoot().Parse(["upscale", "--scale", "3", "--in", "x.png", "--out", "y.png"]).Invoke());
        Assert.Equal(Program.BadInput, Program.BuildRoot().Parse(["evaluate", "--images", "4"]).Invoke());
    }
}
