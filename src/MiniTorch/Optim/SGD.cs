namespace MiniTorch.Optim;

/// <summary>Stochastic gradient descent with momentum, like <c>torch.optim.SGD</c> (PyTorch 1.13).</summary>
/// <remarks>
/// d = g + λθ; with momentum μ: b = d on the first step, else b = μb + (1 − τ)d, and d = d + μb
/// (Nesterov) or d = b; then θ = θ − lr·d. State: <c>momentum_buffer</c> (only with μ ≠ 0).
/// </remarks>
public sealed class SGD : Optimizer
{
    private double _lr, _momentum, _dampening, _weightDecay;
    private bool _nesterov;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameters">The parameters to optimise.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="momentum">The momentum factor μ.</param>
    /// <param name="dampening">The dampening τ of the momentum.</param>
    /// <param name="weightDecay">The L2 penalty λ.</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters)
    {
        if (Check(lr, momentum, dampening, weightDecay, nesterov) is { } error) throw new ArgumentException(error);
        (_lr, _momentum, _dampening, _weightDecay, _nesterov) = (lr, momentum, dampening, weightDecay, nesterov);
    }

    private static string? Check(double lr, double momentum, double dampening, double weightDecay, bool nesterov)
    {
        if (!(lr >= 0)) return $"Invalid learning rate: {Fmt(lr)}";
        if (!(momentum >= 0)) return $"Invalid momentum value: {Fmt(momentum)}";
        if (!(weightDecay >= 0)) return $"Invalid weight_decay value: {Fmt(weightDecay)}";
        if (nesterov && (momentum <= 0 || dampening != 0)) return "Nesterov momentum requires a momentum and zero dampening";
        return null;
    }

    /// <inheritdoc />
    public override double Lr { get => _lr; set => _lr = !(value >= 0) ? throw new ArgumentException($"Invalid learning rate: {Fmt(value)}") : value; }

    /// <summary>The momentum factor.</summary>
    public double Momentum => _momentum;
    /// <summary>The dampening of the momentum.</summary>
    public double Dampening => _dampening;
    /// <summary>The L2 penalty.</summary>
    public double WeightDecay => _weightDecay;
    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov => _nesterov;

    /// <inheritdoc />
    protected override void StepParameter(Tensor param, Tensor grad, Dictionary<string, Tensor> state)
    {
        bool init = false;
        Tensor? buf = null;
        if (_momentum != 0 && !state.TryGetValue("momentum_buffer", out buf))
        {
            buf = Torch.ZerosLike(param).Keep();
            state["momentum_buffer"] = buf;
            init = true;
        }
        if (param.DType == DType.Float32)
            Kernels.OptimKernels.Sgd(param.Span<float>(), grad.Span<float>(), buf is null ? default : buf.Span<float>(), init, _lr, _momentum, _dampening, _weightDecay, _nesterov);
        else
            Kernels.OptimKernels.Sgd(param.Span<double>(), grad.Span<double>(), buf is null ? default : buf.Span<double>(), init, _lr, _momentum, _dampening, _weightDecay, _nesterov);
    }

    /// <inheritdoc />
    protected override IEnumerable<(string Name, double[] Value)> GetHyperparameters() =>
    [
        ("lr", [_lr]), ("momentum", [_momentum]), ("dampening", [_dampening]),
        ("weight_decay", [_weightDecay]), ("nesterov", [_nesterov ? 1 : 0]),
    ];

    /// <inheritdoc />
    protected override string? ValidateHyperparameters(IReadOnlyDictionary<string, double[]> v) =>
        Check(v["lr"][0], v["momentum"][0], v["dampening"][0], v["weight_decay"][0], v["nesterov"][0] != 0);

    /// <inheritdoc />
    protected override void SetHyperparameters(IReadOnlyDictionary<string, double[]> v) =>
        (_lr, _momentum, _dampening, _weightDecay, _nesterov) = (v["lr"][0], v["momentum"][0], v["dampening"][0], v["weight_decay"][0], v["nesterov"][0] != 0);

    /// <inheritdoc />
    protected override IReadOnlyList<string> StateNames(IReadOnlyDictionary<string, double[]> v) => v["momentum"][0] != 0 ? ["momentum_buffer"] : [];

    /// <inheritdoc />
    public override string ToString() => $"SGD(lr={Fmt(_lr)}, momentum={Fmt(_momentum)}, dampening={Fmt(_dampening)}, weight_decay={Fmt(_weightDecay)}, nesterov={_nesterov})";
}
