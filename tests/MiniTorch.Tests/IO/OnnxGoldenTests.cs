using System.Text.Json;
using MiniTorch.IO;
using MiniTorch.Tests.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// The committed files in Golden/Onnx: MiniTorch's exports of <see cref="OnnxModels"/>, checked by
/// gen_onnx.py with onnx 1.12's checker, with PyTorch 1.13's outputs for the same weights and the
/// attributes torch.onnx.export writes for the same layers.
/// </summary>
public class OnnxGoldenTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden", "Onnx");

    private static readonly Lazy<JsonElement> Json = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "onnx.json"))).RootElement);

    public static TheoryData<string> Names => [.. OnnxModels.Names];

    /// <summary>Regenerates the committed files when MINITORCH_ONNX_GOLDEN_DIR names the source folder; otherwise does nothing.</summary>
    [Fact]
    public void Onnx_WriteGoldenFiles_WhenRequested()
    {
        string? target = Environment.GetEnvironmentVariable("MINITORCH_ONNX_GOLDEN_DIR");
        if (string.IsNullOrEmpty(target)) return;
        foreach (var name in OnnxModels.Names)
        {
            var (model, shape) = OnnxModels.Create(name);
            var x = OnnxModels.Input(shape);
            Onnx.Export(model, x, Path.Combine(target, name + ".onnx"));
            Npy.Save(x, Path.Combine(target, name + "_input.npy"));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Onnx_CommittedFile_IsWhatTheExporterWrites(string name)
    {
        var (model, shape) = OnnxModels.Create(name);
        var x = OnnxModels.Input(shape);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir, name + ".onnx")), Onnx.ToBytes(model, x));
        Assert.Equal(x.ToArray(), Npy.Load(Path.Combine(Dir, name + "_input.npy")).ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Onnx_Model_PassedOnnxCheckerAndMatchesPyTorchOutput(string name)
    {
        var g = Json.Value.GetProperty("models").GetProperty(name);
        Assert.Equal("ok", g.GetProperty("checker").GetString());
        var (model, shape) = OnnxModels.Create(name);
        model.Eval();
        var y = model.Call(OnnxModels.Input(shape));
        var expected = g.GetProperty("output");
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), y.Shape);
        NnGolden.Close(NnGolden.D(expected), y, 1e-5, 1e-5, name);
        // The file evaluated with the ONNX operator spec's formulas (onnx_spec_eval.py) gives the same values.
        NnGolden.Close(NnGolden.D(g.GetProperty("spec_eval_output")), y, 1e-5, 1e-5, name + " (ONNX spec evaluation)");
        Assert.True(g.GetProperty("spec_eval_max_abs_diff_vs_torch").GetDouble() < 1e-5);
        // ONNX shape inference, from the attributes alone, gives the same output shape.
        var inferred = g.GetProperty("inferred_output_dims").EnumerateArray().ToList();
        var declared = OnnxModel.Parse(File.ReadAllBytes(Path.Combine(Dir, name + ".onnx"))).Outputs[0].Dims;
        for (int i = 0; i < inferred.Count; i++)
            if (inferred[i].ValueKind == JsonValueKind.Number) Assert.Equal(y.Size(i), inferred[i].GetInt64());
            else Assert.Equal(declared[i], inferred[i].GetString());
    }

    private static readonly Lazy<JsonElement> OrtJson = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "onnxruntime.json"))).RootElement);

    /// <summary>
    /// ONNX Runtime 1.30 (onnxruntime-node, CPU) ran the committed file (run_onnxruntime.mjs); what
    /// it computed is what MiniTorch computes, to 1e-5.
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Onnx_Model_MatchesOnnxRuntimeOutput(string name)
    {
        Assert.StartsWith("1.", OrtJson.Value.GetProperty("onnxruntime").GetString());
        var expected = OrtJson.Value.GetProperty("models").GetProperty(name);
        var (model, shape) = OnnxModels.Create(name);
        model.Eval();
        var y = model.Call(OnnxModels.Input(shape));
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), y.Shape);
        NnGolden.Close(NnGolden.D(expected), y, 1e-5, 1e-5, name + " (ONNX Runtime)");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Onnx_ConvResizePadAttributes_MatchTorchOnnxExport(string name)
    {
        var torchNodes = Json.Value.GetProperty("models").GetProperty(name).GetProperty("torch_export").EnumerateArray().ToList();
        var ours = OnnxModel.Parse(File.ReadAllBytes(Path.Combine(Dir, name + ".onnx"))).Nodes
            .Where(n => n.OpType is "Conv" or "ConvTranspose" or "Resize" or "Pad").ToList();
        // A null op_type is a layer torch.onnx 1.13 cannot export (nearest-exact); MiniTorch's node stands in its place.
        Assert.Equal(torchNodes.Select(n => n.GetProperty("op_type").GetString()), ours.Select(n => n.OpType).Zip(torchNodes, (o, t) => t.GetProperty("op_type").ValueKind == JsonValueKind.Null ? null : o));
        for (int i = 0; i < ours.Count; i++)
        {
            if (torchNodes[i].GetProperty("op_type").ValueKind == JsonValueKind.Null) continue;
            var expected = torchNodes[i].GetProperty("attributes");
            foreach (var key in Compared(ours[i].OpType))
            {
                if (!expected.TryGetProperty(key, out var e)) continue; // torch leaves defaults out
                if (!ours[i].Attributes.TryGetValue(key, out var actual)) continue; // and writes nearest_mode for linear too
                string what = $"{name} node {i} ({ours[i].OpType}) attribute {key}";
                switch (actual)
                {
                    case long[] ints: Assert.True(e.EnumerateArray().Select(v => v.GetInt64()).SequenceEqual(ints), what); break;
                    case long l: Assert.True(e.GetInt64() == l, what); break;
                    case float f: Assert.True(Math.Abs(e.GetDouble() - f) < 1e-7, what); break;
                    case string s: Assert.True(e.GetString() == s, $"{what}: torch {e.GetString()}, ours {s}"); break;
                }
            }
        }
    }

    /// <summary>The attributes compared (torch writes cubic_coeff_a and nearest_mode even where they are unused).</summary>
    private static string[] Compared(string op) => op switch
    {
        "Conv" or "ConvTranspose" => ["dilations", "group", "kernel_shape", "pads", "strides", "output_padding"],
        "Pad" => ["mode"],
        _ => ["mode", "coordinate_transformation_mode", "nearest_mode"],
    };
}
