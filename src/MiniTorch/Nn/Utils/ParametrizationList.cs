namespace MiniTorch.Nn.Utils;

/// <summary>
/// A parametrization whose inverse is known, like a PyTorch parametrization module with a
/// <c>right_inverse</c> method: when it is the first one registered on a tensor, the tensor's
/// current value v is stored as <c>original = RightInverse(v)</c>, so the module's tensor still reads v.
/// </summary>
public interface IRightInverse
{
    /// <summary>An original x with Forward(x) = <paramref name="value"/> (same shape and dtype).</summary>
    Tensor RightInverse(Tensor value);
}

/// <summary>
/// The chain of parametrizations of one tensor and the tensor they start from, like PyTorch's
/// <c>ParametrizationList</c>: the <c>original</c> parameter (or buffer) and the parametrizations
/// as children "0", "1", …, so the state dict keys are <c>parametrizations.weight.original</c>,
/// <c>parametrizations.weight.0._u</c>, … as in PyTorch. Created by <see cref="Parametrize.RegisterParametrization"/>.
/// </summary>
public sealed class ParametrizationList : Module
{
    private readonly List<Module> _chain = [];

    internal ParametrizationList(Tensor original, bool isBuffer, Module first)
    {
        IsBuffer = isBuffer;
        if (isBuffer) RegisterBuffer("original", original);
        else
        {
            bool requiresGrad = original.RequiresGrad;
            RegisterParameter("original", original);
            original.RequiresGrad_(requiresGrad); // the same tensor, trained (or frozen) as before
        }
        Append(first);
    }

    /// <summary>Whether the parametrized tensor is a buffer (otherwise a parameter).</summary>
    public bool IsBuffer { get; }

    /// <summary>The unconstrained tensor the chain starts from (the optimiser trains this one).</summary>
    public Tensor Original => (IsBuffer ? GetBuffer("original") : GetParameter("original"))!;

    /// <summary>The number of parametrizations in the chain.</summary>
    public int Count => _chain.Count;

    /// <summary>The parametrization at <paramref name="index"/>, in the order they are applied.</summary>
    public Module this[int index] => index >= 0 && index < _chain.Count ? _chain[index]
        : throw new IndexOutOfRangeException($"index {index} is out of range for a chain of {_chain.Count} parametrizations");

    internal void Append(Module parametrization)
    {
        AddChild(_chain.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), parametrization);
        _chain.Add(parametrization);
    }

    /// <summary>The parametrized value: the chain applied to <see cref="Original"/>.</summary>
    public Tensor Value() => Forward(Original);

    /// <summary>Applies the chain to <paramref name="input"/>, first parametrization first.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var p in _chain) input = p.Forward(input);
        return input;
    }

    /// <inheritdoc />
    public override string ToString() => $"ParametrizationList({string.Join(", ", _chain)})";
}

/// <summary>
/// The container of a module's parametrized tensors by name, like the <c>ModuleDict</c> that PyTorch
/// registers as <c>module.parametrizations</c>.
/// </summary>
public sealed class ParametrizationDict : Module
{
    private readonly List<(string Name, ParametrizationList List)> _lists = [];

    internal ParametrizationDict() { }

    /// <summary>The number of parametrized tensors.</summary>
    public int Count => _lists.Count;

    /// <summary>The names of the parametrized tensors, in registration order.</summary>
    public IEnumerable<string> Names => _lists.Select(l => l.Name);

    /// <summary>The chain of the tensor <paramref name="name"/>, or null if it is not parametrized.</summary>
    public ParametrizationList? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _lists.Find(l => l.Name == name).List;
    }

    internal void Add(string name, ParametrizationList list)
    {
        AddChild(name, list);
        _lists.Add((name, list));
    }

    internal void Remove(string name)
    {
        _lists.RemoveAll(l => l.Name == name);
        RemoveChild(name);
    }

    /// <summary>A container has no forward; read a tensor through its module.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        throw new NotSupportedException("ParametrizationDict is a container of parametrizations and has no forward");
    }
}
