using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Every export runs in ONNX Runtime (in process, CPU) and gives what the module's Forward gives:
/// random configurations of every row of <see cref="OnnxModuleTable"/>, and the committed golden
/// models, each to relative 1e-5 in the max norm.
/// </summary>
public class OnnxRuntimeTests
{
    [Property(MaxTest = 40, Arbitrary = [typeof(OnnxModuleTable.Arbitraries)])]
    public void EveryExportableModule_RandomConfigurations_OnnxRuntimeEqualsForward(OnnxModuleCases cases)
    {
        foreach (var c in cases.Cases)
        {
            var model = c.Build();
            OnnxRuntimeRunner.AssertMatchesForward(model, c.Input(), c.ToString());
        }
    }

    /// <summary>
    /// PyTorch allows outputPadding below stride or dilation, ONNX Runtime only below the stride: with
    /// dilation > stride the export crops less at the end (op ≤ p), or pads and adds the bias (op > p),
    /// per axis; the other axis keeps its output_padding.
    /// </summary>
    [Theory]
    [InlineData(1, 2, 4, 1, 2, 1, 2, 0, 1, 1, 1, 2, false)]   // found by fresh seeds: W needs the Pad, H keeps output_padding 1
    [InlineData(1, 2, 4, 1, 2, 1, 2, 0, 1, 1, 1, 2, true)]
    [InlineData(2, 2, 3, 3, 1, 1, 0, 0, 1, 1, 2, 2, true)]    // op > p in both axes: Pad + bias Add
    [InlineData(2, 3, 3, 3, 1, 1, 2, 1, 1, 1, 2, 2, true)]    // op ≤ p: a smaller end crop
    [InlineData(1, 3, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, true, 1, 1)]   // found by the 3-d row: p crops past the whole full output
    public void ConvTranspose2d_OutputPaddingFromDilation_OnnxRuntimeEqualsForward(int cin, int cout, int kh, int kw, int sh, int sw, int ph, int pw,
                                                                                 int oph, int opw, int dh, int dw, bool bias, int h = 4, int w = 3)
    {
        var layer = new ConvTranspose2d(cin, cout, (kh, kw), (sh, sw), new Padding2d(ph, pw), (oph, opw), 1, bias, (dh, dw), generator: new Generator(3));
        OnnxRuntimeRunner.AssertMatchesForward(layer, Torch.Uniform([2, cin, h, w], -2, 2, new Generator(4)), $"{layer}");
    }

    [Theory]
    [MemberData(nameof(GoldenNames))]
    public void GoldenModel_OnnxRuntimeEqualsForward(string name)
    {
        var (model, shape) = OnnxModels.Create(name);
        OnnxRuntimeRunner.AssertMatchesForward(model, OnnxModels.Input(shape), name);
    }

    public static TheoryData<string> GoldenNames => [.. OnnxModels.Names];

    private static string OnnxDir => Path.Combine(AppContext.BaseDirectory, "Golden", "Onnx");

    [Fact]
    public void CommittedGoldenFiles_InOnnxRuntime_EqualForward()
    {
        // The committed outputs came from onnxruntime-node 1.30; the in-process runtime gives the same numbers.
        foreach (var name in OnnxModels.Names)
        {
            var bytes = File.ReadAllBytes(Path.Combine(OnnxDir, name + ".onnx"));
            var input = Npy.Load(Path.Combine(OnnxDir, name + "_input.npy"));
            var (model, _) = OnnxModels.Create(name);
            model.Eval();
            Tensor expected;
            using (Torch.NoGrad()) expected = model.Forward(input);
            OnnxRuntimeRunner.AssertClose(expected, OnnxRuntimeRunner.Run(bytes, input), 1e-5, name);
        }
    }

    [Fact]
    public void Runtime_IsTheReferencedVersion() => Assert.Equal("1.32.0", OnnxRuntimeRunner.Version);
}
