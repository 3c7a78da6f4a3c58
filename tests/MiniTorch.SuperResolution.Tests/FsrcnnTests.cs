using System.Text.Json;
using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

public class FsrcnnTests
{
    private static string Golden(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Golden", .. parts]);

    private static readonly Lazy<JsonElement> Json = new(() => JsonDocument.Parse(File.ReadAllText(Golden("fsrcnn.json"))).RootElement);

    private static FSRCNN Tiny() => new(3, d: 8, s: 4, m: 2, generator: new Generator(1));

    private static void AssertMatchesPyTorch(FSRCNN model, string what)
    {
        model.Eval();
        var y = model.Call(Npy.Load(Golden("input.npy")));
        var expected = Json.Value.GetProperty("output");
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), y.Shape);
        var want = expected.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = y.ToDoubleArray();
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= 1e-5, $"{what}: element {i}: PyTorch {want[i]:R}, MiniTorch {got[i]:R}");
    }

    [Theory]
    [InlineData(2, 7, 9)]
    [InlineData(3, 5, 4)]
    [InlineData(4, 1, 6)]
    public void Fsrcnn_Output_IsExactlyScaleTimesInput(int scale, int h, int w)
    {
        var model = new FSRCNN(scale, d: 8, s: 4, m: 1, generator: new Generator(3));
        var y = model.Call(Torch.Rand([2, 1, h, w], new Generator(4)));
        Assert.Equal([2, 1, scale * h, scale * w], y.Shape);
    }

    [Fact]
    public void Fsrcnn_StateDictNamesAndShapes_MatchPyTorchImplementation()
    {
        var expected = Json.Value.GetProperty("names").EnumerateArray()
            .Select(e => (e[0].GetString()!, string.Join("x", e[1].EnumerateArray().Select(d => d.GetInt32())))).ToList();
        var ours = Tiny().StateDict().Select(kv => (kv.Key, string.Join("x", kv.Value.Shape))).ToList();
        Assert.Equal(expected, ours);
    }

    [Fact]
    public void LoadSafetensors_PyTorchStateDict_OutputMatchesPyTorch()
    {
        var model = Tiny();
        model.LoadSafetensors(Golden("fsrcnn_tiny.safetensors"));
        AssertMatchesPyTorch(model, "safetensors");
    }

    [Fact]
    public void LoadNpyFolder_OneFilePerKey_OutputMatchesPyTorch()
    {
        var model = Tiny();
        model.LoadNpyFolder(Golden("npy"));
        AssertMatchesPyTorch(model, "npy folder");
    }

    [Fact]
    public void LoadTxtKernels_SeedLayout_OutputMatchesPyTorch()
    {
        var model = Tiny();
        model.LoadSafetensors(Golden("fsrcnn_tiny.safetensors"));
        // Overwrite the deconvolution with garbage, then restore it from the np.savetxt files.
        model.LastPart.Weight.CopyFrom(Torch.ZerosLike(model.LastPart.Weight));
        model.LastPart.Bias!.CopyFrom(Torch.ZerosLike(model.LastPart.Bias));
        model.LoadTxtKernels("last_part.weight", Golden("txt"), "kernel{0}_{1}.txt");
        model.LoadTxtKernels("last_part.bias", Golden("txt"), "bias{0}_{1}.txt");
        AssertMatchesPyTorch(model, "txt kernels");
    }

    [Fact]
    public void Loaders_Mismatches_ListEveryProblemAndChangeNothing()
    {
        var wrongScale = new FSRCNN(3, d: 9, s: 4, m: 2);
        var before = wrongScale.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var e = Assert.Throws<ArgumentException>(() => wrongScale.LoadSafetensors(Golden("fsrcnn_tiny.safetensors")));
        Assert.Contains("size mismatch for first_part.0.weight", e.Message);
        Assert.Contains("size mismatch for last_part.weight", e.Message);
        foreach (var (k, v) in wrongScale.StateDict()) Assert.Equal(before[k], v.ToArray());

        var moreLayers = new FSRCNN(3, d: 8, s: 4, m: 3);
        e = Assert.Throws<ArgumentException>(() => moreLayers.LoadNpyFolder(Golden("npy")));
        Assert.Contains("Missing key(s) in state_dict: \"mid_part.8.weight\"", e.Message);

        var tiny = Tiny();
        var missing = Assert.Throws<FileNotFoundException>(() => tiny.LoadTxtKernels("last_part.weight", Golden("txt"), "k{0}_{1}.txt"));
        Assert.Contains("k0_0.txt", missing.Message);
        var count = Assert.Throws<InvalidDataException>(() => tiny.LoadTxtKernels("first_part.0.weight", Golden("txt"), "kernel{1}_{0}.txt"));
        Assert.Contains("holds 81 values, expected a 5×5 kernel", count.Message);
        Assert.Contains("no parameter or buffer 'last_part.weights'",
            Assert.Throws<ArgumentException>(() => tiny.LoadTxtKernels("last_part.weights", Golden("txt"), "kernel{0}_{1}.txt")).Message);
    }

    [Fact]
    public void Upscaler_Tiles_EqualOnePassOverTheWholeImage()
    {
        var model = new FSRCNN(2, d: 8, s: 4, m: 2, generator: new Generator(5));
        var y = Torch.Rand([1, 1, 37, 29], new Generator(6));
        var whole = Upscaler.UpscaleLuma(model, y, band: 0);
        var tiled = Upscaler.UpscaleLuma(model, y, band: 10);
        Assert.Equal([1, 1, 74, 58], tiled.Shape);
        var (a, b) = (whole.ToArray(), tiled.ToArray());
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5, $"element {i}: {a[i]} vs {b[i]}");
    }

    [Fact]
    public void UpscaleImage_Rgb_KeepsColourAndSize()
    {
        var model = new FSRCNN(2, d: 8, s: 4, m: 1, generator: new Generator(5)).InitializeAsBicubic();
        // A flat colour: bicubic luma and chroma reproduce it away from the borders.
        var rgb = Torch.Cat([Torch.Full([1, 12, 10], 0.8), Torch.Full([1, 12, 10], 0.4), Torch.Full([1, 12, 10], 0.2)], 0);
        var up = Upscaler.UpscaleImage(model, rgb);
        Assert.Equal([3, 24, 20], up.Shape);
        var centre = up.Narrow(1, 10, 4).Narrow(2, 8, 4);
        for (int c = 0; c < 3; c++)
            foreach (var v in centre[c].Contiguous().ToArray()) Assert.Equal(new[] { 0.8f, 0.4f, 0.2f }[c], v, 3);
    }

    [Fact]
    public void InitializeAsBicubic_EqualsBicubicAwayFromTheBorders()
    {
        var model = new FSRCNN(2, generator: new Generator(8)).InitializeAsBicubic();
        model.Eval();
        var lr = Torch.Rand([1, 1, 20, 20], new Generator(9));
        var net = model.Call(lr).Narrow(2, 8, 24).Narrow(3, 8, 24).Contiguous().ToArray();
        var bic = F.Interpolate(lr, scaleFactor: 2, mode: InterpolationMode.Bicubic).Narrow(2, 8, 24).Narrow(3, 8, 24).Contiguous().ToArray();
        for (int i = 0; i < net.Length; i++) Assert.True(Math.Abs(net[i] - bic[i]) <= 1e-5, $"element {i}: {net[i]} vs {bic[i]}");
    }

    [Fact]
    public void Train_ShortRun_RaisesHeldOutPsnrAboveBicubic()
    {
        // A narrow FSRCNN started as bicubic (from the paper's random start, bicubic is out of reach
        // in a few hundred steps on a CPU; see the README), 150 Adam steps of 16 patches.
        var data = PatchSource.Open("procedural", 32, seed: 1);
        var options = new TrainOptions { Scale = 2, D = 16, S = 8, M = 2, Steps = 150, BatchSize = 16, Seed = 1 };
        var model = new FSRCNN(2, options.D, options.S, options.M, new Generator(1)).InitializeAsBicubic();
        var before = Trainer.Evaluate(model, data, 2);
        var log = new StringWriter();
        var after = Trainer.Train(model, data, options, new PlainProgress(log));
        Assert.True(after.NetworkPsnr > after.BicubicPsnr, $"{after} (before training: {before})");
        Assert.True(after.NetworkPsnr > before.NetworkPsnr, $"{after} (before training: {before})");
        Assert.Contains("held-out PSNR", log.ToString());
    }

    [Fact]
    public void Export_Fsrcnn_IsAnOnnxChainWithSymbolicSpatialDims()
    {
        var bytes = Onnx.ToBytes(Tiny(), Torch.Zeros(1, 1, 6, 6));
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        foreach (var name in new[] { "first_part.0.weight", "mid_part.7.weight", "last_part.weight", "ConvTranspose", "PRelu", "H_out" })
            Assert.Contains(name, text);
    }

    [Fact]
    public void Cli_Export_WritesAFileAndBadInputExitsWithTwo()
    {
        string dir = Directory.CreateTempSubdirectory("sr").FullName;
        try
        {
            string path = Path.Combine(dir, "m.onnx");
            Assert.Equal(0, Program.BuildRoot().Parse(["export", "--onnx", path, "--d", "8", "--s", "4", "--m", "1"]).Invoke());
            Assert.True(new FileInfo(path).Length > 1000);
            Assert.Equal(Program.BadInput, Program.BuildRoot().Parse(["upscale", "--weights", Path.Combine(dir, "none.safetensors"), "--in", "x.png", "--out", "y.png"]).Invoke());
        }
        finally { Directory.Delete(dir, true); }
    }
}
