using System.Globalization;

namespace MiniTorch.Optim;

/// <summary>
/// The base of optimizers, like <c>torch.optim.Optimizer</c> with a single parameter group. It
/// holds the parameters, per-parameter state tensors and the hyperparameters, and saves them
/// all as one flat state dict.
/// </summary>
/// <remarks>
/// State dict keys follow PyTorch's nesting flattened with dots: <c>state.{i}.{name}</c> for the
/// state of parameter i (e.g. <c>state.0.exp_avg</c>, <c>state.0.step</c>) and
/// <c>param_groups.0.{name}</c> for hyperparameters (0-d float64 tensors; booleans as 0/1;
/// <c>betas</c> as a 2-element tensor; <c>params</c> as the parameter indices). Everything a
/// step reads is in it, so a run resumed from it continues bit for bit.
/// </remarks>
public abstract class Optimizer
{
    private readonly Tensor[] _params;
    private readonly Dictionary<string, Tensor>[] _state;

    /// <summary>Takes the parameters to optimise (leaf tensors, contiguous, each at most once).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _params = parameters.ToArray();
        if (_params.Length == 0) throw new ArgumentException("optimizer got an empty parameter list");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in _params)
        {
            if (p is null) throw new ArgumentException("optimizer can only optimize Tensors, but one of the params is null");
            if (!p.IsLeaf) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (!p.IsContiguous) throw new ArgumentException($"optimizer parameters must be contiguous, got a view with shape {Shape.Format(p.ShapeRef)} and strides {Shape.Format(p.StridesRef)}");
            if (!seen.Add(p)) throw new ArgumentException("optimizer contains a parameter more than once");
        }
        _state = new Dictionary<string, Tensor>[_params.Length];
        for (int i = 0; i < _state.Length; i++) _state[i] = [];
    }

    /// <summary>The parameters, in the order their state is numbered.</summary>
    public IReadOnlyList<Tensor> Params => _params;

    /// <summary>The learning rate (may be changed between steps, e.g. by a schedule).</summary>
    public abstract double Lr { get; set; }

    /// <summary>Updates every parameter that has a gradient, in place and outside the graph.</summary>
    /// <remarks>Every gradient's shape is checked before any parameter changes.</remarks>
    public void Step()
    {
        using var _ = Torch.NoGrad();
        var steps = new List<ParameterStep>(_params.Length);
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            if (p.Grad is not { } grad) continue;
            if (!Shape.Equal(grad.ShapeRef, p.ShapeRef))
                throw new InvalidOperationException($"parameter {i} has shape {Shape.Format(p.ShapeRef)} but its gradient has shape {Shape.Format(grad.ShapeRef)}");
            steps.Add(new ParameterStep(p, grad.Detach().To(p.DType).Contiguous(), _state[i]));
        }
        StepParameters(steps);
        // The update wrote the parameters and their state in place: count it, as PyTorch's add_ does.
        foreach (var s in steps)
        {
            s.Param.Storage.BumpVersion();
            foreach (var t in s.State.Values) t.Storage.BumpVersion();
        }
    }

    /// <summary>Updates one parameter given its (dense, same-dtype) gradient and its state.</summary>
    protected abstract void StepParameter(Tensor param, Tensor grad, Dictionary<string, Tensor> state);

    /// <summary>Updates the parameters that have gradients: one by one, unless the optimizer updates them all in one pass.</summary>
    private protected virtual void StepParameters(IReadOnlyList<ParameterStep> steps)
    {
        foreach (var s in steps) StepParameter(s.Param, s.Grad, s.State);
    }

    /// <summary>A parameter to update, its dense gradient of the parameter's dtype, and its state.</summary>
    private protected readonly record struct ParameterStep(Tensor Param, Tensor Grad, Dictionary<string, Tensor> State);

    /// <summary>Clears the gradients of the parameters: to null (the default, as PyTorch 2) or to zeros.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in _params)
            if (setToNone) p.Grad = null;
            else if (p.Grad is not null) p.Grad = Torch.ZerosLike(p.Grad);
    }

    /// <summary>The hyperparameters in PyTorch's <c>param_groups</c> order, as arrays (a scalar is one element).</summary>
    protected abstract IEnumerable<(string Name, double[] Value)> GetHyperparameters();

    /// <summary>Sets validated hyperparameters (all names of <see cref="GetHyperparameters"/> are present).</summary>
    protected abstract void SetHyperparameters(IReadOnlyDictionary<string, double[]> values);

    /// <summary>Checks hyperparameters before loading; returns an error message or null.</summary>
    protected virtual string? ValidateHyperparameters(IReadOnlyDictionary<string, double[]> values) => null;

    /// <summary>
    /// The names of the state a parameter carries once it has been stepped, under the given
    /// hyperparameters (a parameter never stepped carries none).
    /// </summary>
    protected abstract IReadOnlyList<string> StateNames(IReadOnlyDictionary<string, double[]> hyperparameters);

    /// <summary>A snapshot (copies) of the state and hyperparameters as a flat dict; see the class remarks.</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        for (int i = 0; i < _params.Length; i++)
            foreach (var (name, t) in _state[i]) dict.Add($"state.{i}.{name}", Copy(t));
        foreach (var (name, value) in GetHyperparameters())
            dict.Add($"param_groups.0.{name}", Torch.FromArray(value, value.Length == 1 ? [] : [value.Length]));
        var indices = Enumerable.Range(0, _params.Length).Select(i => (double)i).ToArray();
        dict.Add("param_groups.0.params", Torch.FromArray(indices, [indices.Length]));
        return dict;
    }

    /// <summary>
    /// Replaces the state and hyperparameters with those of <paramref name="stateDict"/> (copied,
    /// state converted to each parameter's dtype). All problems — unknown or missing keys, a
    /// different number of parameters, state of the wrong shape or incomplete — are reported
    /// together in one exception, and nothing is modified unless every check passes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var errors = new List<string>();
        var expectedHypers = GetHyperparameters().ToDictionary(h => h.Name, h => h.Value.Length);
        var hypers = new Dictionary<string, double[]>();
        var state = new Dictionary<string, Tensor>[_params.Length];
        for (int i = 0; i < state.Length; i++) state[i] = [];

        foreach (var (key, value) in stateDict)
        {
            var parts = key.Split('.');
            if (parts.Length == 3 && parts[0] == "param_groups" && parts[1] == "0")
            {
                if (parts[2] == "params")
                {
                    if (value.Dim != 1 || value.Numel != _params.Length)
                        errors.Add($"loaded state dict contains a parameter group that doesn't match the size of optimizer's group ({value.Numel} parameters saved, {_params.Length} here)");
                }
                else if (!expectedHypers.TryGetValue(parts[2], out int len)) errors.Add($"unexpected key \"{key}\"");
                else if (value.Numel != len) errors.Add($"\"{key}\" must have {len} element(s), got shape {Shape.Format(value.ShapeRef)}");
                else hypers[parts[2]] = value.ToDoubleArray();
            }
            else if (parts.Length == 3 && parts[0] == "state" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int i))
            {
                if (i >= _params.Length) errors.Add($"\"{key}\" refers to parameter {i}, but the optimizer has {_params.Length} parameters");
                else state[i][parts[2]] = value;
            }
            else errors.Add($"unexpected key \"{key}\"");
        }
        if (!stateDict.ContainsKey("param_groups.0.params")) errors.Add("missing key \"param_groups.0.params\"");
        foreach (var name in expectedHypers.Keys)
            if (!stateDict.ContainsKey($"param_groups.0.{name}")) errors.Add($"missing key \"param_groups.0.{name}\"");
        if (errors.Count == 0 && ValidateHyperparameters(hypers) is { } bad) errors.Add(bad);

        if (errors.Count == 0)
        {
            var names = StateNames(hypers);
            for (int i = 0; i < state.Length; i++)
            {
                if (state[i].Count == 0) continue;
                foreach (var name in state[i].Keys.Where(k => !names.Contains(k))) errors.Add($"unexpected key \"state.{i}.{name}\"");
                foreach (var name in names.Where(k => !state[i].ContainsKey(k))) errors.Add($"missing key \"state.{i}.{name}\" (parameter {i} has other state)");
                foreach (var (name, t) in state[i])
                {
                    var expected = name == "step" ? [] : _params[i].ShapeRef;
                    if (names.Contains(name) && !Shape.Equal(t.ShapeRef, expected))
                        errors.Add($"size mismatch for state.{i}.{name}: copying a tensor with shape {Shape.Format(t.ShapeRef)}, the expected shape is {Shape.Format(expected)}");
                }
            }
        }
        if (errors.Count > 0)
            throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors));

        SetHyperparameters(hypers);
        for (int i = 0; i < _params.Length; i++)
        {
            _state[i].Clear();
            foreach (var (name, t) in state[i])
                _state[i][name] = Copy(name == "step" ? t.To(DType.Float64) : t.To(_params[i].DType)).Keep();
        }
    }

    private static Tensor Copy(Tensor t)
    {
        using var _ = Torch.NoGrad();
        return Functions.Map.Copy(t.Detach());
    }

    /// <summary>Formats a hyperparameter for <c>ToString</c>.</summary>
    private protected static string Fmt(double v) => v.ToString(CultureInfo.InvariantCulture);
}
