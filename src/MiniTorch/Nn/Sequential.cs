using System.Collections;

namespace MiniTorch.Nn;

/// <summary>
/// A chain of modules applied in order, like <c>torch.nn.Sequential</c>. Children are named
/// "0", "1", …, so parameters are named <c>0.weight</c>, <c>1.bias</c> as in PyTorch.
/// </summary>
public sealed class Sequential : Module, IEnumerable<Module>
{
    private readonly List<Module> _modules = [];

    /// <summary>Creates the chain.</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Argument.NoNullElements(modules);
        foreach (var m in modules) Append(m);
    }

    /// <summary>Adds a module at the end under the next index name.</summary>
    public Sequential Append(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        RegisterModule(_modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _modules.Add(module);
        return this;
    }

    /// <summary>The number of modules.</summary>
    public int Count => _modules.Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end).</summary>
    public Module this[int index]
    {
        get
        {
            int n = _modules.Count;
            if (index < -n || index >= n) throw new IndexOutOfRangeException($"index {index} is out of range");
            return _modules[index < 0 ? index + n : index];
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var m in _modules) input = m.Forward(input);
        return input;
    }

    /// <inheritdoc />
    public IEnumerator<Module> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
