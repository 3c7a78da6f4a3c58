using System.Collections.Specialized;
using MiniTorch.Autograd;

namespace MiniTorch.Nn;

/// <summary>
/// The base class of layers and models, like <c>torch.nn.Module</c>: it owns named parameters,
/// buffers (such as running statistics) and child modules, all kept in registration order.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor? Value)> _parameters = [];
    private readonly List<(string Name, Tensor? Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Calls <see cref="Forward"/>, like calling a PyTorch module.</summary>
    public Tensor Call(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Forward(input);
    }

    /// <summary>Registers (or replaces) a parameter; null registers an absent one, like <c>bias=None</c>.</summary>
    protected Tensor? RegisterParameter(string name, Tensor? value)
    {
        if (value is not null && !value.IsLeaf) throw new ArgumentException($"cannot assign a non-leaf tensor as parameter '{name}'");
        CheckNotParametrized(name);
        value?.RequiresGrad_();
        Set(_parameters, name, value);
        return value;
    }

    /// <summary>Registers (or replaces) a buffer: state that is saved but not trained.</summary>
    protected Tensor? RegisterBuffer(string name, Tensor? value) { CheckNotParametrized(name); Set(_buffers, name, value); return value; }

    /// <summary>
    /// The state every normalization layer with per-channel statistics registers, as PyTorch's
    /// <c>_NormBase</c>: γ (<c>weight</c>, ones) and β (<c>bias</c>, zeros) when affine; <c>running_mean</c>
    /// (zeros), <c>running_var</c> (ones) and the int64 counter <c>num_batches_tracked</c> when tracking
    /// (the counter keeps its type when the module is converted with To).
    /// </summary>
    private protected void RegisterNormState(int numFeatures, bool affine, bool trackRunningStats, DType dtype)
    {
        Argument.Defined(dtype);
        if (numFeatures <= 0) throw new ArgumentException($"{GetType().Name}: num_features must be positive, got {numFeatures}");
        RegisterParameter("weight", affine ? Torch.Ones([numFeatures], dtype) : null);
        RegisterParameter("bias", affine ? Torch.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Torch.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_var", trackRunningStats ? Torch.Ones([numFeatures], dtype) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Torch.Scalar(0, DType.Int64) : null);
    }

    private void CheckNotParametrized(string name)
    {
        if (Parametrizations?.Find(name) is not null)
            throw new InvalidOperationException(
                $"cannot register '{name}': it is parametrized; write to parametrizations.{name}.original or remove the parametrization first");
    }

    /// <summary>Registers a child module under <paramref name="name"/>.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module
    {
        int i = _children.FindIndex(c => c.Name == name);
        if (i >= 0) _children[i] = (name, module); else _children.Add((name, module));
        return module;
    }

    /// <summary>
    /// The registered parameter <paramref name="name"/> (null if absent). If the parameter is
    /// parametrized (see <see cref="Utils.Parametrize"/>), this computes its parametrized value
    /// from the original, as reading <c>module.weight</c> does in PyTorch.
    /// </summary>
    protected Tensor? GetParameter(string name) =>
        Parametrizations?.Find(name) is { IsBuffer: false } list ? list.Value() : _parameters.Find(p => p.Name == name).Value;

    /// <summary>The registered buffer <paramref name="name"/> (null if absent), or its parametrized value.</summary>
    protected Tensor? GetBuffer(string name) =>
        Parametrizations?.Find(name) is { IsBuffer: true } list ? list.Value() : _buffers.Find(p => p.Name == name).Value;

    /// <summary>
    /// The parametrizations of this module's tensors, like PyTorch's <c>module.parametrizations</c>
    /// (registered as the child <c>parametrizations</c>); null while none is registered. Public
    /// access goes through <see cref="Utils.Parametrize"/>.
    /// </summary>
    internal Utils.ParametrizationDict? Parametrizations { get; private set; }

    /// <summary>
    /// Moves the parameter or buffer <paramref name="name"/> out of this module (for a
    /// parametrization to own it as its <c>original</c>). Returns null if there is none.
    /// </summary>
    internal (Tensor Value, bool IsBuffer)? TakeTensor(string name)
    {
        int i = _parameters.FindIndex(p => p.Name == name);
        if (i >= 0 && _parameters[i].Value is { } p) { _parameters.RemoveAt(i); return (p, false); }
        i = _buffers.FindIndex(b => b.Name == name);
        if (i >= 0 && _buffers[i].Value is { } b) { _buffers.RemoveAt(i); return (b, true); }
        return null;
    }

    /// <summary>The parameters registered on this module itself (not its children), by name.</summary>
    internal IEnumerable<(string Name, Tensor Value)> DirectParameters()
    {
        foreach (var (name, p) in _parameters) if (p is not null) yield return (name, p);
    }

    /// <summary>The buffers registered on this module itself, by name.</summary>
    internal IEnumerable<(string Name, Tensor Value)> DirectBuffers()
    {
        foreach (var (name, b) in _buffers) if (b is not null) yield return (name, b);
    }

    /// <summary>Puts a tensor back as a plain parameter or buffer (when a parametrization is removed).</summary>
    internal void RestoreTensor(string name, Tensor value, bool isBuffer)
    {
        if (isBuffer) RegisterBuffer(name, value); else RegisterParameter(name, value);
    }

    /// <summary>Registers a child from inside the library (parametrization containers).</summary>
    internal void AddChild(string name, Module module) => RegisterModule(name, module);

    /// <summary>Removes the child <paramref name="name"/> (parametrization containers).</summary>
    internal void RemoveChild(string name) => _children.RemoveAll(c => c.Name == name);

    /// <summary>Creates (or returns) the <c>parametrizations</c> container.</summary>
    internal Utils.ParametrizationDict EnsureParametrizations()
    {
        if (Parametrizations is null)
        {
            if (_children.Exists(c => c.Name == "parametrizations") || _parameters.Exists(p => p.Name == "parametrizations") || _buffers.Exists(b => b.Name == "parametrizations"))
                throw new InvalidOperationException($"{GetType().Name} already has an attribute named 'parametrizations'");
            Parametrizations = RegisterModule("parametrizations", new Utils.ParametrizationDict());
        }
        return Parametrizations;
    }

    /// <summary>Removes the <c>parametrizations</c> container once it is empty.</summary>
    internal void DropParametrizationsIfEmpty()
    {
        if (Parametrizations is not { Count: 0 }) return;
        RemoveChild("parametrizations");
        Parametrizations = null;
    }

    private static void Set(List<(string Name, Tensor? Value)> list, string name, Tensor? value)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.')) throw new ArgumentException($"invalid name '{name}': must be non-empty and contain no '.'");
        int i = list.FindIndex(p => p.Name == name);
        // A module's state outlives any memory scope it was created in.
        value?.Keep();
        if (i >= 0) list[i] = (name, value); else list.Add((name, value));
    }

    /// <summary>The direct children, with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children.Select(c => (c.Name, c.Value));

    /// <summary>
    /// PyTorch's default module repr: the type's name, then each child on its own line as
    /// <c>(name): repr</c>, indented two spaces per level (<c>Sequential(\n  (0): Linear(...)\n)</c>);
    /// <c>Name()</c> for a module without children. Modules with arguments override it with
    /// PyTorch's <c>extra_repr</c>.
    /// </summary>
    public override string ToString()
    {
        var lines = NamedChildren().Select(c => $"({c.Name}): " + c.Module.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)).ToList();
        return lines.Count == 0 ? GetType().Name + "()" : GetType().Name + "(\n  " + string.Join("\n  ", lines) + "\n)";
    }

    /// <summary>This module and all descendants, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        yield return (prefix, this);
        foreach (var (name, child) in _children)
            foreach (var m in child.NamedModules(prefix.Length == 0 ? name : prefix + "." + name)) yield return m;
    }

    /// <summary>All parameters with PyTorch's dotted names, such as <c>main.0.weight</c>.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        foreach (var (prefix, m) in NamedModules())
            foreach (var (name, p) in m._parameters)
                if (p is not null) yield return (Join(prefix, name), p);
    }

    /// <summary>All parameters.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, m) in NamedModules())
            foreach (var (name, b) in m._buffers)
                if (b is not null) yield return (Join(prefix, name), b);
    }

    /// <summary>All buffers.</summary>
    public IEnumerable<Tensor> Buffers() => NamedBuffers().Select(b => b.Buffer);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>Sets training mode on this module and its descendants.</summary>
    public Module Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = mode;
        return this;
    }

    /// <summary>Sets the training flag of this module alone (copies keep each module's own flag, as a deep copy would).</summary>
    internal void SetTrainingFlag(bool mode) => Training = mode;

    /// <summary>Sets evaluation mode (<c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears parameter gradients (to null by default, as PyTorch does).</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
            if (setToNone) p.Grad = null;
            else if (p.Grad is not null) p.Grad = Torch.ZerosLike(p.Grad);
    }

    /// <summary>Calls <paramref name="fn"/> on every descendant, then on this module (PyTorch's order).</summary>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var (_, child) in _children) child.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>
    /// Converts every floating-point parameter and buffer to the floating-point <paramref name="dtype"/>,
    /// like <c>module.to(dtype)</c>: integer buffers (BatchNorm's <c>num_batches_tracked</c>) keep their type.
    /// </summary>
    public Module To(DType dtype)
    {
        Argument.Defined(dtype);
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}");
        foreach (var (_, m) in NamedModules())
        {
            for (int i = 0; i < m._parameters.Count; i++)
                if (m._parameters[i].Value is { } p && p.DType != dtype && p.DType.IsFloatingPoint())
                {
                    Tensor converted;
                    using (Torch.NoGrad()) converted = p.To(dtype);
                    m._parameters[i] = (m._parameters[i].Name, converted.RequiresGrad_(p.RequiresGrad).Keep());
                }
            for (int i = 0; i < m._buffers.Count; i++)
                if (m._buffers[i].Value is { } b && b.DType != dtype && b.DType.IsFloatingPoint())
                    using (Torch.NoGrad()) m._buffers[i] = (m._buffers[i].Name, b.To(dtype).Keep());
        }
        return this;
    }

    /// <summary>Parameters and buffers by dotted name, in registration order (detached views of the live tensors).</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        foreach (var (prefix, m) in NamedModules())
        {
            foreach (var (name, p) in m._parameters) if (p is not null) dict.Add(Join(prefix, name), p.Detach());
            foreach (var (name, b) in m._buffers) if (b is not null) dict.Add(Join(prefix, name), b.Detach());
        }
        return dict;
    }

    /// <summary>
    /// Copies values into the parameters and buffers by name. With <paramref name="strict"/>,
    /// missing and unexpected keys are errors; shape mismatches always are. All problems are
    /// reported together and nothing is modified unless every check passes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = StateDict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var mismatched = own.Where(kv => stateDict.TryGetValue(kv.Key, out var v) && !Shape.Equal(v.ShapeRef, kv.Value.ShapeRef))
            .Select(kv => $"size mismatch for {kv.Key}: copying a param with shape {Shape.Format(stateDict[kv.Key].ShapeRef)} from checkpoint, the shape in current model is {Shape.Format(kv.Value.ShapeRef)}.")
            .ToList();
        var errors = new List<string>();
        if (strict && missing.Count > 0) errors.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ".");
        if (strict && unexpected.Count > 0) errors.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ".");
        errors.AddRange(mismatched);
        if (errors.Count > 0)
            throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors));
        foreach (var (key, target) in own)
            if (stateDict.TryGetValue(key, out var source)) target.CopyFrom(source);
    }
}
