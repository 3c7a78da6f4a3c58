using System.Collections;

namespace MiniTorch.Nn;

/// <summary>
/// A chain of modules applied in order, like <c>torch.nn.Sequential</c>. Children are named
/// "0", "1", …, so parameters are named <c>0.weight</c>, <c>1.bias</c> as in PyTorch.
/// </summary>
/// <remarks>
/// A <see cref="BatchNorm1d"/>, <see cref="BatchNorm2d"/> or <see cref="BatchNorm3d"/> directly followed by
/// <see cref="ReLU"/> or by <see cref="LeakyReLU"/> with a slope ≥ 0 runs as one fused op: the activation
/// is applied to each row of the normalised output while it is in cache, and its gradient is made
/// row by row inside the batch norm's backward. The values and gradients are bitwise those of the two
/// modules run one after the other; the output's <c>GradFn</c> shows the activation's name.
/// </remarks>
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
        for (int i = 0; i < _modules.Count; i++)
        {
            if (i + 1 < _modules.Count && _modules[i] is BatchNorm1d or BatchNorm2d or BatchNorm3d && Fusable(_modules[i + 1]) is { } activation)
            {
                input = ((BatchNormBase)_modules[i]).Forward(input, activation);
                i++;
            }
            else input = _modules[i].Forward(input);
        }
        return input;
    }

    /// <summary>The activation a batch norm can run fused with, if <paramref name="next"/> is one.</summary>
    private static Functions.BatchNormActivation? Fusable(Module next) => next switch
    {
        ReLU => new(Functions.BatchNormActivationKind.Relu, 0),
        LeakyReLU { NegativeSlope: >= 0 } leaky => new(Functions.BatchNormActivationKind.LeakyRelu, leaky.NegativeSlope),
        _ => null,
    };

    /// <inheritdoc />
    public IEnumerator<Module> GetEnumerator() => _modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
