using System.Text.Json;
using MiniTorch;
using MiniTorch.IO;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

/// <summary>
/// The tiny PyTorch-trained FSRCNN (Golden/fsrcnn_tiny.safetensors), exported by MiniTorch and run
/// in ONNX Runtime 1.30 (Golden/Onnx: the file, its input, and ONNX Runtime's output written by
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
