namespace MiniTorch.Autograd;

/// <summary>
/// A node of the autograd graph: one recorded operation. Each op lives in one file under
/// <c>Functions/</c> with its forward and its backward side by side; the values the backward
/// needs are fields of the op.
/// </summary>
/// <remarks>
/// Backward is written in differentiable <see cref="Tensor"/> operations, so when the engine runs
/// with <c>createGraph: true</c> the backward pass is itself recorded and can be differentiated
/// again (gradients of gradients).
/// </remarks>
public abstract class Function
{
    private Tensor[] _inputs = [];

    /// <summary>The name PyTorch prints for this node, such as <c>AddBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The tensors the operation consumed, in the order <see cref="Backward"/> answers for.</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>True once a backward pass without <c>retainGraph</c> has run through this node.</summary>
    internal bool Released { get; set; }

    /// <summary>Whether input <paramref name="i"/> needs a gradient.</summary>
    protected bool NeedsGrad(int i) => _inputs[i].RequiresGrad;

    /// <summary>
    /// Given the gradient of the output, returns the gradient of each input (null where an input
    /// needs none). Called by the engine only.
    /// </summary>
    protected internal abstract Tensor?[] Backward(Tensor gradOutput);

    /// <summary>
    /// Records <paramref name="output"/> as produced by this node from <paramref name="inputs"/>,
    /// if grad mode is on and any input requires a gradient. Returns <paramref name="output"/>.
    /// </summary>
    /// <remarks>Integer and boolean outputs are never recorded: gradients do not flow into them, as in PyTorch.</remarks>
    protected Tensor Record(Tensor output, params Tensor[] inputs)
    {
        if (!GradMode.IsEnabled || !output.DType.IsFloatingPoint()) return output;
        foreach (var t in inputs)
        {
            if (!t.RequiresGrad) continue;
            _inputs = inputs;
            output.MarkRequiresGrad(this);
            break;
        }
        return output;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
