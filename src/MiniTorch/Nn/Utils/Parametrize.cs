namespace MiniTorch.Nn.Utils;

/// <summary>
/// Parametrizations of a module's tensors, like <c>torch.nn.utils.parametrize</c>: after
/// <see cref="RegisterParametrization"/>, reading the tensor (such as a layer's <c>Weight</c>)
/// computes f(original), where <c>original</c> is the parameter the optimiser trains.
/// </summary>
/// <remarks>
/// A parametrization is any <see cref="Module"/> whose <see cref="Module.Forward"/> maps the
/// original tensor to the value the layer uses, for example spectral normalization
/// (<see cref="Parametrizations.SpectralNorm"/>). The original is moved, as the same tensor, to
/// <c>parametrizations.NAME.original</c>, so an optimiser built before the registration still
/// updates it; the module's state dict keys follow PyTorch's. Every read runs the chain again
/// (PyTorch's behaviour without <c>parametrize.cached()</c>), so read the tensor once per forward.
/// </remarks>
public static class Parametrize
{
    /// <summary>
    /// Registers <paramref name="parametrization"/> on the parameter or buffer <paramref name="tensorName"/>
    /// of <paramref name="module"/>, like <c>torch.nn.utils.parametrize.register_parametrization</c>.
    /// A second registration on the same tensor is applied after the first.
    /// </summary>
    /// <param name="module">The module that owns the tensor.</param>
    /// <param name="tensorName">The name of a parameter or buffer registered directly on <paramref name="module"/>.</param>
    /// <param name="parametrization">A module mapping the original to the tensor's value (put into the module's training mode).</param>
    /// <param name="skipChecks">PyTorch's <c>unsafe</c>: skip the check that the parametrization keeps the tensor's shape and dtype.</param>
    /// <returns><paramref name="module"/>.</returns>
    public static Module RegisterParametrization(Module module, string tensorName, Module parametrization, bool skipChecks = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensorName);
        ArgumentNullException.ThrowIfNull(parametrization);
        if (ReferenceEquals(parametrization, module)) throw new ArgumentException("a module cannot parametrize its own tensor");
        parametrization.Train(module.Training);
        if (module.Parametrizations?.Find(tensorName) is { } existing)
        {
            if (!skipChecks)
            {
                Tensor y, x;
                using (Torch.NoGrad()) { y = existing.Value(); x = parametrization.Forward(y); }
                CheckSameKind(x, y, "Registering a parametrization");
            }
            existing.Append(parametrization);
            return module;
        }

        var (original, isBuffer) = Peek(module, tensorName);
        if (parametrization is IRightInverse inverse)
        {
            Tensor inverted;
            using (Torch.NoGrad()) inverted = inverse.RightInverse(original);
            if (inverted.DType != original.DType || !Shape.Equal(inverted.ShapeRef, original.ShapeRef))
                throw new ArgumentException(
                    $"right_inverse may not change the shape or dtype of '{tensorName}': {Shape.Format(original.ShapeRef)} {original.DType} became {Shape.Format(inverted.ShapeRef)} {inverted.DType}");
            if (!ReferenceEquals(inverted, original))
                using (Torch.NoGrad()) original.CopyFrom(inverted);
        }
        var list = new ParametrizationList(original, isBuffer, parametrization);
        if (!skipChecks)
        {
            Tensor z;
            using (Torch.NoGrad()) z = list.Value();
            CheckSameKind(z, original, "Registering a parametrization");
        }
        module.TakeTensor(tensorName);
        module.EnsureParametrizations().Add(tensorName, list);
        return module;
    }

    /// <summary>Whether <paramref name="module"/> has a parametrized tensor (named <paramref name="tensorName"/>, if given).</summary>
    public static bool IsParametrized(Module module, string? tensorName = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.Parametrizations is { } dict && (tensorName is null ? dict.Count > 0 : dict.Find(tensorName) is not null);
    }

    /// <summary>
    /// The chain of parametrizations of <paramref name="tensorName"/> (PyTorch's
    /// <c>module.parametrizations[tensorName]</c>), with its <see cref="ParametrizationList.Original"/>.
    /// </summary>
    public static ParametrizationList GetParametrizations(Module module, string tensorName)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        ArgumentNullException.ThrowIfNull(module);
        return module.Parametrizations?.Find(tensorName)
            ?? throw new ArgumentException($"Module {module.GetType().Name} does not have a parametrization on {tensorName}");
    }

    /// <summary>
    /// Removes the parametrizations of <paramref name="tensorName"/>, like
    /// <c>torch.nn.utils.parametrize.remove_parametrizations</c>: the original tensor becomes a plain
    /// parameter (or buffer) again, holding the current parametrized value if
    /// <paramref name="leaveParametrized"/> (computed once more, so spectral norm iterates once more in training mode).
    /// </summary>
    /// <returns><paramref name="module"/>.</returns>
    public static Module RemoveParametrizations(Module module, string tensorName, bool leaveParametrized = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tensorName);
        var list = GetParametrizations(module, tensorName);
        var original = list.Original;
        if (leaveParametrized)
        {
            Tensor value;
            using (Torch.NoGrad()) value = list.Value();
            if (value.DType != original.DType || !Shape.Equal(value.ShapeRef, original.ShapeRef))
                throw new InvalidOperationException(
                    $"Cannot leave '{tensorName}' parametrized: the parametrized value {Shape.Format(value.ShapeRef)} {value.DType} does not fit the original {Shape.Format(original.ShapeRef)} {original.DType}");
            using (Torch.NoGrad()) original.CopyFrom(value);
        }
        module.Parametrizations!.Remove(tensorName);
        module.DropParametrizationsIfEmpty();
        bool requiresGrad = original.RequiresGrad;
        module.RestoreTensor(tensorName, original, list.IsBuffer);
        if (!list.IsBuffer) original.RequiresGrad_(requiresGrad);
        return module;
    }

    private static (Tensor Value, bool IsBuffer) Peek(Module module, string tensorName)
    {
        foreach (var (name, p) in module.DirectParameters()) if (name == tensorName) return (p, false);
        foreach (var (name, b) in module.DirectBuffers()) if (name == tensorName) return (b, true);
        throw new ArgumentException($"Module '{module.GetType().Name}' has no parameter or buffer with name '{tensorName}'");
    }

    private static void CheckSameKind(Tensor value, Tensor original, string what)
    {
        if (value.DType != original.DType)
            throw new ArgumentException($"{what} may not change the dtype of the tensor, unless skipChecks (PyTorch's `unsafe`) is set.\nunparametrized dtype: {original.DType}\nparametrized dtype: {value.DType}");
        if (!Shape.Equal(value.ShapeRef, original.ShapeRef))
            throw new ArgumentException($"{what} may not change the shape of the tensor, unless skipChecks (PyTorch's `unsafe`) is set.\nunparametrized shape: {Shape.Format(original.ShapeRef)}\nparametrized shape: {Shape.Format(value.ShapeRef)}");
    }
}
