using MiniTorch.Nn;

namespace MiniTorch.IO;

/// <summary>
/// ONNX export: writes a module as an ONNX ModelProto that ONNX Runtime (or any ONNX engine) runs.
/// </summary>
/// <remarks>
/// Tracing is structural: the exporter walks <see cref="Sequential"/> and <see cref="IOnnxChain"/>
/// containers and maps each known layer to ONNX operators, running the layer on the example input as
/// it goes (for shapes, and to check the result against the model's own Forward). Layers it does not
/// know, and user modules that are not chains, are rejected with an error naming the module, rather
/// than exported wrongly. See docs/onnx.md for the operator mapping.
/// </remarks>
public static class Onnx
{
    /// <summary>The lowest opset the exporter writes (Resize, Pad with pads as an input).</summary>
    public const int MinOpset = 13;

    /// <summary>The highest opset the exporter has been checked against (onnx 1.12's checker knows up to 17).</summary>
    public const int MaxOpset = 17;

    /// <summary>
    /// Traces <paramref name="model"/> in eval mode on <paramref name="exampleInput"/> and writes the ONNX
    /// model to <paramref name="path"/> (atomically). Every module's training flag is restored afterwards.
    /// </summary>
    /// <param name="model">The model: a supported layer, a <see cref="Sequential"/> or an <see cref="IOnnxChain"/>.</param>
    /// <param name="exampleInput">An input of the shape the model is run on. For a 4-D input of a graph that does not fix
    /// the spatial size, the batch, height and width are written as symbolic dimensions (N, H, W).</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="opset">The ONNX opset version, between <see cref="MinOpset"/> and <see cref="MaxOpset"/>.</param>
    public static void Export(Module model, Tensor exampleInput, string path, int opset = 17)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(exampleInput);
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, ToBytes(model, exampleInput, opset));
    }

    /// <summary>Like <see cref="Export"/>, but returns the serialized ModelProto instead of writing a file.</summary>
    public static byte[] ToBytes(Module model, Tensor exampleInput, int opset = 17)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(exampleInput);
        if (opset < MinOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"ONNX export supports opset {MinOpset} to {MaxOpset}");
        var modes = model.NamedModules().Select(m => (m.Module, m.Module.Training)).ToList();
        try
        {
            model.Eval();
            using var _ = Torch.NoGrad();
            var graph = new OnnxGraph();
            var tracer = new OnnxTracer(graph, opset);
            string input = graph.Fresh("input");
            var (outName, traced) = tracer.Emit(model, "", input, exampleInput);
            var expected = model.Forward(exampleInput);
            if (!Shape.Equal(expected.ShapeRef, traced.ShapeRef) || !expected.ToDoubleArray().AsSpan().SequenceEqual(traced.ToDoubleArray()))
                throw new InvalidOperationException(
                    $"ONNX export: {model.GetType().Name}.Forward does not equal its traced chain of layers; a module's Forward must apply its steps in order");
            string output = graph.Fresh("output");
            graph.Add("Identity", "output", [outName], output);
            bool symbolic = tracer.SizeAgnostic && exampleInput.Dim == 4 && traced.Dim == 4;
            object[] inDims = symbolic ? ["N", (long)exampleInput.Size(1), "H", "W"] : exampleInput.Shape.Select(d => (object)(long)d).ToArray();
            object[] outDims = symbolic ? ["N", (long)traced.Size(1), "H_out", "W_out"] : traced.Shape.Select(d => (object)(long)d).ToArray();
            return graph.ToModelProto(opset, input, inDims, output, outDims, model.GetType().Name);
        }
        finally
        {
            // Train(mode) recurses into children; NamedModules lists parents before their descendants,
            // so each module ends with its own saved flag.
            foreach (var (m, training) in modes) m.Train(training);
        }
    }
}
