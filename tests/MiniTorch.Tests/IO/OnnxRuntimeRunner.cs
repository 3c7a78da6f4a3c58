using Microsoft.ML.OnnxRuntime;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Runs an exported model in ONNX Runtime (Microsoft.ML.OnnxRuntime, CPU execution provider), in
/// process, and compares its output with the module's own Forward. Shared by the test projects
/// (linked into the example test projects).
/// </summary>
public static class OnnxRuntimeRunner
{
    /// <summary>ONNX Runtime's version, e.g. "1.32.0".</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Runs the ONNX file <paramref name="model"/> on <paramref name="input"/> (the graph input "input", float32) and returns "output".</summary>
    public static Tensor Run(byte[] model, Tensor input)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var data = input.To(DType.Float32).Contiguous().ToArray();
        using var x = OrtValue.CreateTensorValueFromMemory(data, input.Shape.Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input"], [x], ["output"]);
        var y = results[0];
        var shape = y.GetTensorTypeAndShape().Shape.Select(d => checked((int)d)).ToArray();
        return Torch.FromArray(y.GetTensorDataAsSpan<float>().ToArray(), shape);
    }

    /// <summary>
    /// Switches <paramref name="model"/> to eval mode, exports it on <paramref name="input"/>, runs the file in
    /// ONNX Runtime and asserts the output equals <c>model.Forward(input)</c>: the same shape and
    /// max |ORT − Forward| ≤ <paramref name="relative"/> · max |Forward| (relative in the max norm).
    /// </summary>
    public static void AssertMatchesForward(Module model, Tensor input, string what, double relative = 1e-5)
    {
        model.Eval();
        var bytes = Onnx.ToBytes(model, input);
        Tensor expected;
        using (Torch.NoGrad()) expected = model.Forward(input);
        AssertClose(expected, Run(bytes, input), relative, what);
    }

    /// <summary>Same shape and max |actual − expected| ≤ relative · max |expected| (exact when expected is all zeros).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double relative, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: ONNX Runtime's output has shape {Shape.Format(actual.Shape)}, Forward's {Shape.Format(expected.Shape)}");
        var (e, a) = (expected.ToDoubleArray(), actual.ToDoubleArray());
        double scale = e.Length == 0 ? 0 : e.Max(Math.Abs), worst = 0;
        int at = -1;
        for (int i = 0; i < e.Length; i++)
        {
            // NaN against NaN agrees; NaN against a number is the worst possible difference.
            double d = double.IsNaN(a[i]) && double.IsNaN(e[i]) ? 0 : Math.Abs(a[i] - e[i]);
            if (double.IsNaN(d)) d = double.PositiveInfinity;
            if (d > worst) (worst, at) = (d, i);
        }
        Assert.True(worst <= relative * scale,
            $"{what}: max |ONNX Runtime − Forward| = {worst:G3} at element {at} (ONNX Runtime {(at >= 0 ? a[at] : 0):R}, Forward {(at >= 0 ? e[at] : 0):R}) > {relative:G2} · max |Forward| = {relative * scale:G3}");
    }
}
