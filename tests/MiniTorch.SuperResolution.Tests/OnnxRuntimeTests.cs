using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Tests.IO;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

/// <summary>
/// FSRCNN exported by MiniTorch and run in ONNX Runtime: in process (Microsoft.ML.OnnxRuntime), the
/// tiny PyTorch-trained model (Golden/fsrcnn_tiny.safetensors) and random configurations; and the
/// output onnxruntime-node 1.30 computed for the committed file (Golden/Onnx, written by
/// tests/MiniTorch.Tests/Golden/Onnx/run_onnxruntime.mjs).
/// </summary>
public class OnnxRuntimeTests
{
    private static string Golden(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Golden", .. parts]);

    private static FSRCNN PyTorchTrained()
    {
        var model = new FSRCNN(3, d: 8, s: 4, m: 2, generator: new Generator(1));
        model.LoadSafetensors(Golden("fsrcnn_tiny.safetensors"));
        model.Eval();
        return model;
    }

    /// <summary>Regenerates the committed file when MINITORCH_SR_ONNX_GOLDEN_DIR names the source folder; otherwise does nothing.</summary>
    [Fact]
    public void Onnx_WriteGoldenFile_WhenRequested()
    {
        string? target = Environment.GetEnvironmentVariable("MINITORCH_SR_ONNX_GOLDEN_DIR");
        if (string.IsNullOrEmpty(target)) return;
        var x = Npy.Load(Golden("input.npy"));
        Onnx.Export(PyTorchTrained(), x, Path.Combine(target, "fsrcnn_tiny.onnx"));
        Npy.Save(x, Path.Combine(target, "fsrcnn_tiny_input.npy"));
    }

    [Fact]
    public void Onnx_CommittedFsrcnn_IsWhatTheExporterWrites()
    {
        var x = Npy.Load(Golden("input.npy"));
        Assert.Equal(File.ReadAllBytes(Golden("Onnx", "fsrcnn_tiny.onnx")), Onnx.ToBytes(PyTorchTrained(), x));
        Assert.Equal(x.ToArray(), Npy.Load(Golden("Onnx", "fsrcnn_tiny_input.npy")).ToArray());
    }

    [Fact]
    public void Onnx_PyTorchTrainedFsrcnn_InOnnxRuntime_EqualsForward()
    {
        var x = Npy.Load(Golden("input.npy"));
        OnnxRuntimeRunner.AssertMatchesForward(PyTorchTrained(), x, "fsrcnn_tiny");
        // The committed file, too (it is what the exporter writes, see above).
        var model = PyTorchTrained();
        Tensor expected;
        using (Torch.NoGrad()) expected = model.Forward(x);
        OnnxRuntimeRunner.AssertClose(expected, OnnxRuntimeRunner.Run(File.ReadAllBytes(Golden("Onnx", "fsrcnn_tiny.onnx")), x), 1e-5, "committed fsrcnn_tiny.onnx");
    }

    /// <summary>An FSRCNN configuration (every parameter drawn at random) and an input size.</summary>
    public sealed record FsrcnnCase(int Scale, int D, int S, int M, int N, int H, int W, int Seed);

    /// <summary>The FsCheck Arbitrary of <see cref="FsrcnnCase"/>.</summary>
    public static class Arbitraries
    {
        /// <summary>Scales 1–4, small widths and depths, inputs up to 12×12.</summary>
        public static Arbitrary<FsrcnnCase> Cases() =>
            (from scale in Gen.Choose(1, 4)
             from d in Gen.Choose(1, 12)
             from s in Gen.Choose(1, 6)
             from m in Gen.Choose(0, 3)
             from n in Gen.Choose(1, 2)
             from h in Gen.Choose(1, 12)
             from w in Gen.Choose(1, 12)
             from seed in Gen.Choose(0, int.MaxValue - 1)
             select new FsrcnnCase(scale, d, s, m, n, h, w, seed)).ToArbitrary();
    }

    [Property(MaxTest = 15, Arbitrary = [typeof(Arbitraries)])]
    public void Onnx_RandomFsrcnn_InOnnxRuntime_EqualsForward(FsrcnnCase c)
    {
        var g = new Generator(c.Seed);
        var model = new FSRCNN(c.Scale, c.D, c.S, c.M, g);
        // Every parameter random (the initialisation leaves biases at zero and the deconvolution tiny).
        using (Torch.NoGrad())
            foreach (var p in model.Parameters()) p.CopyFrom(Torch.Uniform(p.Shape, -0.5, 0.5, g));
        OnnxRuntimeRunner.AssertMatchesForward(model, Torch.Uniform([c.N, 1, c.H, c.W], 0, 1, g), c.ToString());
    }

    [Fact]
    public void Onnx_Fsrcnn_OnnxRuntimeOutputEqualsMiniTorchAndPyTorch()
    {
        var ort = JsonDocument.Parse(File.ReadAllText(Golden("Onnx", "onnxruntime.json"))).RootElement;
        Assert.StartsWith("1.", ort.GetProperty("onnxruntime").GetString());
        var expected = ort.GetProperty("models").GetProperty("fsrcnn_tiny");
        var y = PyTorchTrained().Call(Npy.Load(Golden("input.npy")));
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), y.Shape);
        var fromOrt = expected.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var fromTorch = JsonDocument.Parse(File.ReadAllText(Golden("fsrcnn.json"))).RootElement
            .GetProperty("output").GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = y.ToDoubleArray();
        Assert.Equal(fromOrt.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - fromOrt[i]) <= 1e-5, $"element {i}: ONNX Runtime {fromOrt[i]:R}, MiniTorch {got[i]:R}");
            Assert.True(Math.Abs(fromTorch[i] - fromOrt[i]) <= 1e-5, $"element {i}: ONNX Runtime {fromOrt[i]:R}, PyTorch {fromTorch[i]:R}");
        }
    }
}
