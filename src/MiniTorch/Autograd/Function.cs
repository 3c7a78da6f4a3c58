namespace MiniTorch.Autograd;

/// <summary>
/// A node of the autograd graph: one recorded operation. Each op lives in one file under
/// <c>Functions/</c> with its forward and its backward side by side; the tensors the backward
/// needs are <see cref="SavedTensor"/> fields of the op, made by <see cref="Save"/> or
/// <see cref="SaveOutput"/>.
/// </summary>
/// <remarks>
/// Backward is written in differentiable <see cref="Tensor"/> operations, so when the engine runs
/// with <c>createGraph: true</c> the backward pass is itself recorded and can be differentiated
/// again (gradients of gradients).
/// <para>
/// Where each input's gradient goes is fixed when the node is recorded (the input's
/// <see cref="Tensor.GradFn"/> at that moment, or the input itself for a leaf), as in PyTorch: an
/// in-place op that later gives a tensor a new history does not reroute gradients of the ops that
/// read it before.
/// </para>
/// </remarks>
public abstract class Function
{
    private Tensor[] _inputs = [];
    private Function?[] _next = [];
    private bool[] _needsGrad = [];
    private List<SavedTensor>? _saved;

    /// <summary>The name PyTorch prints for this node, such as <c>AddBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The name PyTorch's messages use for this node (its C++ name where that differs from <see cref="Name"/>).</summary>
    internal virtual string MessageName => Name;

    /// <summary>The tensors the operation consumed, in the order <see cref="Backward"/> answers for.</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>True once a backward pass without <c>retainGraph</c> has run through this node.</summary>
    internal bool Released { get; private set; }

    /// <summary>Whether input <paramref name="i"/> needed a gradient when the node was recorded.</summary>
    protected bool NeedsGrad(int i) => _needsGrad[i];

    internal bool NeedsGradAt(int i) => _needsGrad[i];

    /// <summary>Where input <paramref name="i"/>'s gradient goes: the node that made it, or null for a leaf.</summary>
    internal Function? Next(int i) => _next[i];

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
        if (!output.DType.IsFloatingPoint() || !Connect(inputs)) return output;
        output.SetHistory(this);
        return output;
    }

    /// <summary>
    /// Takes <paramref name="inputs"/> as this node's inputs (fixing where their gradients go) when
    /// grad mode is on (or <paramref name="evenWithoutGradMode"/>) and one of them requires grad;
    /// returns whether it did.
    /// </summary>
    internal bool Connect(Tensor[] inputs, bool evenWithoutGradMode = false)
    {
        if (!evenWithoutGradMode && !GradMode.IsEnabled) return false;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return false;
        _inputs = inputs;
        _next = new Function?[inputs.Length];
        _needsGrad = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            _needsGrad[i] = inputs[i].RequiresGrad;
            _next[i] = inputs[i].GradFn;
        }
        return true;
    }

    /// <summary>
    /// Keeps <paramref name="tensor"/> (an input, or any tensor other than this node's output) for
    /// the backward, with its current <see cref="Tensor.Version"/>: if an in-place write changes it
    /// before the backward runs, the backward raises PyTorch's "modified by an inplace operation" error
    /// instead of computing a wrong gradient.
    /// </summary>
    protected SavedTensor Save(Tensor tensor) => Keep(new SavedTensor(tensor, null, 0));

    /// <summary>
    /// <see cref="Save"/> for this node's own output <paramref name="index"/> (0 for the differentiable
    /// result; 1 for a second result such as max pooling's indices), named so in the error.
    /// </summary>
    protected SavedTensor SaveOutput(Tensor output, int index = 0) => Keep(new SavedTensor(output, this, index));

    private SavedTensor Keep(SavedTensor saved)
    {
        (_saved ??= []).Add(saved);
        return saved;
    }

    /// <summary>Throws if a saved tensor was released or overwritten in place since it was saved (before <see cref="Backward"/>).</summary>
    internal void CheckSaved()
    {
        if (Released) throw new InvalidOperationException(Engine.FreedMessage);
        if (_saved is null) return;
        foreach (var s in _saved) s.Check();
    }

    /// <summary>Marks the node as run without retainGraph and lets its saved tensors go, as PyTorch frees them.</summary>
    internal virtual void Release()
    {
        Released = true;
        if (_saved is null) return;
        foreach (var s in _saved) s.Release();
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// A tensor an op keeps for its backward, with the storage version it had when it was saved (PyTorch's
/// <c>SavedVariable</c>). Made by <c>Function.Save</c> / <c>SaveOutput</c>; read with <see cref="Value"/>.
/// </summary>
public sealed class SavedTensor
{
    private Tensor? _tensor;
    private readonly int _version;
    private readonly Function? _outputOf;
    private readonly int _outputIndex;

    internal SavedTensor(Tensor tensor, Function? outputOf, int outputIndex)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _tensor = tensor;
        _version = tensor.Version;
        _outputOf = outputOf;
        _outputIndex = outputIndex;
    }

    /// <summary>The saved tensor (the engine has checked its version before the backward runs).</summary>
    public Tensor Value => _tensor ?? throw new InvalidOperationException(Engine.FreedMessage);

    /// <summary>The version the tensor had when saved.</summary>
    public int SavedVersion => _version;

    internal void Release() => _tensor = null;

    internal void Check()
    {
        var t = Value;
        int now = t.Version;
        if (now != _version) throw new InvalidOperationException(ModifiedMessage(t, now));
    }

    // PyTorch 1.13's text (torch/csrc/autograd/saved_variable.cpp), with anomaly mode off.
    private string ModifiedMessage(Tensor t, int now)
    {
        var producer = _outputOf ?? t.GradFn;
        var which = producer is null ? "" : $", which is output {(_outputOf is null ? 0 : _outputIndex)} of {producer.MessageName},";
        return "one of the variables needed for gradient computation has been modified by an inplace operation: " +
               $"[{TypeName(t.DType)} {Shape.Format(t.ShapeRef)}]{which} is at version {now}; expected version {_version} instead. " +
               "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).";
    }

    /// <summary>PyTorch's legacy tensor type name of a dtype, as its messages print it.</summary>
    internal static string TypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Int64 => "torch.LongTensor",
        _ => "torch.BoolTensor",
    };
}
