using MiniTorch.Nn;

namespace MiniTorch.IO;

/// <summary>
/// A user module whose <see cref="Module.Forward"/> is exactly its <see cref="OnnxSteps"/> applied in
/// order, like a <see cref="Sequential"/>. <see cref="Onnx.Export"/> traces such modules step by step
/// (and checks that the chain reproduces Forward on the example input).
/// </summary>
public interface IOnnxChain
{
    /// <summary>The child modules in the order Forward applies them.</summary>
    IEnumerable<Module> OnnxSteps();
}
