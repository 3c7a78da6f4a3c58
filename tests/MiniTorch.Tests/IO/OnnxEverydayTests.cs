using System.Text.Json;
using MiniTorch.IO;
using MiniTorch.Nn;
using MiniTorch.Tests.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// ONNX export of the everyday layers (Golden/Everyday/onnx): one small model per mapping, exported
/// by MiniTorch and run in ONNX Runtime 1.30 (onnxruntime-node, CPU) by run_onnxruntime.mjs; what
/// ONNX Runtime computed is what MiniTorch computes.
/// </summary>
public class OnnxEverydayTests
{
    private static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden", "Everyday", "onnx");

    private static Module Seq(params Module[] m) => new Sequential(m);

    /// <summary>The models and their input shapes; weights and statistics are drawn from fixed seeds.</summary>
    public static (Module Model, int[] Input) Create(string name)
    {
        var g = new Generator(name.Aggregate(17, (h, ch) => h * 31 + ch));
        Module m = name switch
        {
            "softmax" => new MiniTorch.Nn.Softmax(1),
            "log_softmax" => new LogSoftmax(-1),
            "softmin" => new Softmin(2),
            "elu" => new ELU(0.7),
            "selu" => new SELU(),
            "celu" => new CELU(1.5),
            "gelu" => new GELU(),
            "gelu_tanh" => new GELU("tanh"),
            "silu" => new SiLU(),
            "mish" => new Mish(),
            "softsign" => new Softsign(),
            "hardtanh" => new Hardtanh(-1.5, 2),
            "relu6" => new ReLU6(),
            "hardsigmoid" => new Hardsigmoid(),
            "hardswish" => new Hardswish(),
            "threshold" => new Threshold(0.1, -2),
            "logsigmoid" => new LogSigmoid(),
            "glu" => new GLU(1),
            "max_pool2d" => new MaxPool2d(3, 2, 1),
            "max_pool2d_dilated" => new MaxPool2d((2, 3), (1, 2), (1, 1), dilation: (2, 1)),
            "max_pool1d" => new MaxPool1d(3, 2, 1),
            "max_pool3d" => new MaxPool3d(2, 1),
            "avg_pool2d" => new AvgPool2d(3, 2, 1),
            "avg_pool2d_exclude_pad" => new AvgPool2d(3, 2, 1, countIncludePad: false),
            "avg_pool1d" => new AvgPool1d(2),
            "avg_pool3d" => new AvgPool3d(2, 2),
            "adaptive_avg_pool2d_global" => new AdaptiveAvgPool2d(1),
            "adaptive_avg_pool2d" => new AdaptiveAvgPool2d((2, 3)),
            "adaptive_max_pool2d" => new AdaptiveMaxPool2d((2, 2)),
            "batch_norm1d" => Norm(new BatchNorm1d(3), g),
            "batch_norm3d" => Norm(new BatchNorm3d(3), g),
            "instance_norm2d" => new InstanceNorm2d(3),
            "instance_norm2d_affine_stats" => Norm(new InstanceNorm2d(3, affine: true, trackRunningStats: true), g),
            "layer_norm" => Norm(new LayerNorm([4, 6]), g),
            "group_norm" => Norm(new GroupNorm(3, 6), g),
            "pixel_shuffle" => new PixelShuffle(2),
            "pixel_unshuffle" => new PixelUnshuffle(2),
            "unflatten" => Seq(new Flatten(), new Unflatten(1, [2, -1]), new Identity(), new Dropout2d()),
            _ => throw new ArgumentException(name),
        };
        int[] shape = name switch
        {
            "max_pool1d" or "avg_pool1d" or "batch_norm1d" => [2, 3, 9],
            "max_pool3d" or "avg_pool3d" or "batch_norm3d" => [1, 3, 4, 5, 6],
            "glu" or "group_norm" or "pixel_unshuffle" or "unflatten" => [2, 6, 4, 6],
            "pixel_shuffle" => [1, 8, 3, 4],
            _ => [2, 3, 4, 6],
        };
        return (m, shape);
    }

    // Random affine parameters and running statistics, so the export of each is exercised.
    private static Module Norm(Module m, Generator g)
    {
        using (Torch.NoGrad())
            foreach (var (key, t) in m.StateDict())
                if (key != "num_batches_tracked")
                    t.CopyFrom(key == "running_var" ? Torch.Uniform(t.Shape, 0.5, 2, g) : Torch.Randn(t.Shape, g));
        return m;
    }

    public static readonly string[] Names =
    [
        "softmax", "log_softmax", "softmin", "elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish", "softsign", "hardtanh", "relu6",
        "hardsigmoid", "hardswish", "threshold", "logsigmoid", "glu", "max_pool2d", "max_pool2d_dilated", "max_pool1d", "max_pool3d",
        "avg_pool2d", "avg_pool2d_exclude_pad", "avg_pool1d", "avg_pool3d", "adaptive_avg_pool2d_global", "adaptive_avg_pool2d",
        "adaptive_max_pool2d", "batch_norm1d", "batch_norm3d", "instance_norm2d", "instance_norm2d_affine_stats", "layer_norm", "group_norm",
        "pixel_shuffle", "pixel_unshuffle", "unflatten",
    ];

    public static TheoryData<string> NameData => [.. Names];

    private static Tensor Input(string name, int[] shape) => Torch.Randn(shape, new Generator(name.Length * 7919 + 1)) * 2;

    /// <summary>Regenerates the committed files when MINITORCH_EVERYDAY_ONNX_DIR names the source folder; otherwise does nothing.</summary>
    [Fact]
    public void Onnx_WriteGoldenFiles_WhenRequested()
    {
        string? target = Environment.GetEnvironmentVariable("MINITORCH_EVERYDAY_ONNX_DIR");
        if (string.IsNullOrEmpty(target)) return;
        Directory.CreateDirectory(target);
        foreach (var name in Names)
        {
            var (model, shape) = Create(name);
            var x = Input(name, shape);
            Onnx.Export(model, x, Path.Combine(target, name + ".onnx"));
            Npy.Save(x, Path.Combine(target, name + "_input.npy"));
        }
    }

    [Theory]
    [MemberData(nameof(NameData))]
    public void Onnx_CommittedFile_IsWhatTheExporterWrites(string name)
    {
        var (model, shape) = Create(name);
        var x = Input(name, shape);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir, name + ".onnx")), Onnx.ToBytes(model, x));
        Assert.Equal(x.ToArray(), Npy.Load(Path.Combine(Dir, name + "_input.npy")).ToArray());
    }

    private static readonly Lazy<JsonElement> Ort = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "onnxruntime.json"))).RootElement);

    [Theory]
    [MemberData(nameof(NameData))]
    public void Onnx_Model_MatchesOnnxRuntimeOutput(string name)
    {
        Assert.StartsWith("1.", Ort.Value.GetProperty("onnxruntime").GetString());
        var expected = Ort.Value.GetProperty("models").GetProperty(name);
        var (model, shape) = Create(name);
        model.Eval();
        var y = model.Forward(Input(name, shape));
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), y.Shape);
        NnGolden.Close(NnGolden.D(expected), y, 1e-5, 1e-5, name);
    }

    [Fact]
    public void Onnx_FormsWithoutAnExactOperator_AreRefusedByName()
    {
        var x = Torch.Randn([1, 2, 5, 5], new Generator(1));
        Assert.Contains("divisor_override", Assert.Throws<NotSupportedException>(() => Onnx.ToBytes(new AvgPool2d(2, divisorOverride: 3), x)).Message);
        Assert.Contains("windows of different sizes", Assert.Throws<NotSupportedException>(() => Onnx.ToBytes(new AdaptiveAvgPool2d((2, 3)), x)).Message);
        // The exporter's input is float32, so an Embedding is refused when it looks up its (float) ids.
        Assert.Contains("'indices'", Assert.Throws<ArgumentException>(() => Onnx.ToBytes(new Embedding(3, 2), x)).Message);
    }
}
