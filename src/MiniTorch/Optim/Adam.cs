namespace MiniTorch.Optim;

/// <summary>Adam, like <c>torch.optim.Adam</c> (PyTorch 1.13's single-tensor update order and bias correction).</summary>
/// <remarks>
/// t = t + 1; g = g + λθ; m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; v̂ = max(v̂, v) with amsgrad;
/// θ = θ − (lr/(1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + eps).
/// State: <c>step</c> (0-d float64), <c>exp_avg</c>, <c>exp_avg_sq</c>, and <c>max_exp_avg_sq</c> with amsgrad.
/// <para>
/// By default a step updates all parameters in one pass (PyTorch's <c>fused</c>/<c>foreach</c> Adam):
/// each element is read and written once with the whole update in registers, on all cores. Every
/// element sees exactly the operations and roundings of the one-tensor-at-a-time update, so the
/// results are bitwise the same; <c>fused: false</c> runs that reference update instead.
/// </para>
/// </remarks>
public sealed class Adam : Optimizer
{
    private double _lr, _beta1, _beta2, _eps, _weightDecay;
    private bool _amsgrad;
    private readonly bool _fused;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="betas">The decay rates (β₁, β₂) of the first and second moments; (0.9, 0.999) when null.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">The L2 penalty λ (added to the gradient, not decoupled).</param>
    /// <param name="amsgrad">Use the maximum of past second moments (AMSGrad).</param>
    /// <param name="fused">
    /// Update all parameters in one pass (null or true, the default here) or one tensor at a time
    /// (false). The results are bitwise the same either way; only the speed differs.
    /// </param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false,
                bool? fused = null)
        : base(parameters)
    {
        var (b1, b2) = betas ?? (0.9, 0.999);
        if (Check(lr, b1, b2, eps, weightDecay) is { } error) throw new ArgumentException(error);
        (_lr, _beta1, _beta2, _eps, _weightDecay, _amsgrad) = (lr, b1, b2, eps, weightDecay, amsgrad);
        _fused = fused ?? true;
    }

    private static string? Check(double lr, double b1, double b2, double eps, double weightDecay)
    {
        if (!(lr >= 0)) return $"Invalid learning rate: {Fmt(lr)}";
        if (!(eps >= 0)) return $"Invalid epsilon value: {Fmt(eps)}";
        if (!(b1 >= 0 && b1 < 1)) return $"Invalid beta parameter at index 0: {Fmt(b1)}";
        if (!(b2 >= 0 && b2 < 1)) return $"Invalid beta parameter at index 1: {Fmt(b2)}";
        if (!(weightDecay >= 0)) return $"Invalid weight_decay value: {Fmt(weightDecay)}";
        return null;
    }

    /// <inheritdoc />
    public override double Lr { get => _lr; set => _lr = !(value >= 0) ? throw new ArgumentException($"Invalid learning rate: {Fmt(value)}") : value; }

    /// <summary>The decay rates of the moment estimates.</summary>
    public (double Beta1, double Beta2) Betas => (_beta1, _beta2);
    /// <summary>The denominator's stabiliser.</summary>
    public double Eps => _eps;
    /// <summary>The L2 penalty.</summary>
    public double WeightDecay => _weightDecay;
    /// <summary>Whether AMSGrad is used.</summary>
    public bool Amsgrad => _amsgrad;

    /// <summary>Whether a step updates all parameters in one pass (see the <c>fused</c> argument).</summary>
    public bool Fused => _fused;

    /// <inheritdoc />
    protected override void StepParameter(Tensor param, Tensor grad, Dictionary<string, Tensor> state)
    {
        double t = NextStep(param, state);
        state.TryGetValue("max_exp_avg_sq", out var maxSq);
        if (param.DType == DType.Float32)
            Kernels.OptimKernels.Adam(param.Span<float>(), grad.Span<float>(), state["exp_avg"].Span<float>(), state["exp_avg_sq"].Span<float>(),
                                      _amsgrad ? maxSq!.Span<float>() : default, t, _lr, _beta1, _beta2, _eps, _weightDecay, _amsgrad);
        else
            Kernels.OptimKernels.Adam(param.Span<double>(), grad.Span<double>(), state["exp_avg"].Span<double>(), state["exp_avg_sq"].Span<double>(),
                                      _amsgrad ? maxSq!.Span<double>() : default, t, _lr, _beta1, _beta2, _eps, _weightDecay, _amsgrad);
    }

    /// <inheritdoc />
    private protected override void StepParameters(IReadOnlyList<ParameterStep> steps)
    {
        if (!_fused)
        {
            base.StepParameters(steps);
            return;
        }
        var floats = new List<Kernels.AdamSlot<float>>();
        var doubles = new List<Kernels.AdamSlot<double>>();
        foreach (var (param, grad, state) in steps)
        {
            double t = NextStep(param, state);
            if (param.DType == DType.Float32) floats.Add(Slot<float>(param, grad, state, t));
            else doubles.Add(Slot<double>(param, grad, state, t));
        }
        if (floats.Count > 0) Kernels.OptimForeach.Adam([.. floats], _lr, _beta1, _beta2, _eps, _weightDecay, _amsgrad);
        if (doubles.Count > 0) Kernels.OptimForeach.Adam([.. doubles], _lr, _beta1, _beta2, _eps, _weightDecay, _amsgrad);
    }

    private Kernels.AdamSlot<T> Slot<T>(Tensor param, Tensor grad, Dictionary<string, Tensor> state, double step) where T : unmanaged =>
        new(Dense<T>(param), Dense<T>(grad), Dense<T>(state["exp_avg"]), Dense<T>(state["exp_avg_sq"]),
            _amsgrad ? Dense<T>(state["max_exp_avg_sq"]) : Memory<T>.Empty, step);

    private static Memory<T> Dense<T>(Tensor t) where T : unmanaged => new(t.Data<T>(), t.Offset, t.Numel);

    /// <summary>Creates the state on a parameter's first step, then increments its step count (step_t += 1) and returns it.</summary>
    private double NextStep(Tensor param, Dictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("step", out var step))
        {
            state["step"] = step = Torch.Scalar(0, DType.Float64).Keep();
            state["exp_avg"] = Torch.ZerosLike(param).Keep();
            state["exp_avg_sq"] = Torch.ZerosLike(param).Keep();
            if (_amsgrad) state["max_exp_avg_sq"] = Torch.ZerosLike(param).Keep();
        }
        else if (_amsgrad && !state.ContainsKey("max_exp_avg_sq"))
            state["max_exp_avg_sq"] = Torch.ZerosLike(param).Keep();
        // step_t += 1, then the update reads step_t.item().
        var counter = step.Span<double>();
        counter[0] += 1;
        return counter[0];
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, double[] Value)> GetHyperparameters() =>
    [
        ("lr", [_lr]), ("betas", [_beta1, _beta2]), ("eps", [_eps]), ("weight_decay", [_weightDecay]), ("amsgrad", [_amsgrad ? 1 : 0]),
    ];

    /// <inheritdoc />
    protected override string? ValidateHyperparameters(IReadOnlyDictionary<string, double[]> v) =>
        Check(v["lr"][0], v["betas"][0], v["betas"][1], v["eps"][0], v["weight_decay"][0]);

    /// <inheritdoc />
    protected override void SetHyperparameters(IReadOnlyDictionary<string, double[]> v) =>
        (_lr, _beta1, _beta2, _eps, _weightDecay, _amsgrad) = (v["lr"][0], v["betas"][0], v["betas"][1], v["eps"][0], v["weight_decay"][0], v["amsgrad"][0] != 0);

    /// <inheritdoc />
    protected override IReadOnlyList<string> StateNames(IReadOnlyDictionary<string, double[]> v) =>
        v["amsgrad"][0] != 0 ? ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["step", "exp_avg", "exp_avg_sq"];

    /// <inheritdoc />
    public override string ToString() =>
        $"Adam(lr={Fmt(_lr)}, betas=({Fmt(_beta1)}, {Fmt(_beta2)}), eps={Fmt(_eps)}, weight_decay={Fmt(_weightDecay)}, amsgrad={_amsgrad})";
}
