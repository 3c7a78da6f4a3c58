using MiniTorch.Nn;

namespace MiniTorch.Optim;

/// <summary>
/// How <see cref="AveragedModel.UpdateParameters"/> combines an averaged tensor with the model's,
/// like the <c>avg_fn(averaged_model_parameter, model_parameter, num_averaged)</c> of PyTorch 1.13.
/// </summary>
/// <param name="averagedParameter">The current average (detached).</param>
/// <param name="modelParameter">The model's current value (detached).</param>
/// <param name="numAveraged">How many updates the average holds (at least 1 here).</param>
/// <returns>The new average, of the same shape and dtype.</returns>
public delegate Tensor AveragingFunction(Tensor averagedParameter, Tensor modelParameter, long numAveraged);

/// <summary>
/// A running average of a model's weights, like <c>torch.optim.swa_utils.AveragedModel</c> (PyTorch
/// 1.13): a separate copy of the model whose parameters (and, with <see cref="UseBuffers"/>, buffers)
/// follow the trained model's through an averaging function — an exponential moving average with
/// <see cref="Ema"/>, the equal-weight average of SWA by default. GANs sample and evaluate with the
/// averaged generator (Karras et al. 2018; Yazıcı et al. 2019).
/// </summary>
/// <remarks>
/// The first <see cref="UpdateParameters"/> copies the model (n_averaged = 0); each later one sets
/// p̄ ← avgFn(p̄, p, n) and then n ← n + 1. Default (SWA): p̄ + (p − p̄)/(n + 1). EMA:
/// β·p̄ + (1 − β)·p. Without <see cref="UseBuffers"/> the copy's buffers (BatchNorm running
/// statistics) keep the values they had when the copy was made, as in PyTorch 1.13.
/// C# has no deep copy, so the constructor takes a factory that builds a fresh model of the same
/// architecture; it checks that the result is a separate model with the same state dict layout
/// (keys, shapes, dtypes, no shared storage) and then copies the model's state and training flags into it.
/// The state dict holds <c>n_averaged</c> (float64, as MiniTorch keeps PyTorch's integer counters) and <c>module.*</c>.
/// </remarks>
public sealed class AveragedModel : Module
{
    private readonly AveragingFunction _avgFn;

    /// <summary>Creates the averaged copy of <paramref name="model"/>.</summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="copy">Builds a new, separate instance of the model's architecture, for example <c>() =&gt; new MyGenerator(config)</c>.</param>
    /// <param name="avgFn">The averaging function (default: the equal-weight average); see <see cref="Ema"/>.</param>
    /// <param name="useBuffers">Average the buffers too (parameters and buffers in order), as PyTorch's <c>use_buffers=True</c>.</param>
    public AveragedModel(Module model, Func<Module> copy, AveragingFunction? avgFn = null, bool useBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(copy);
        var averaged = copy() ?? throw new ArgumentException("AveragedModel: the copy factory returned null");
        CheckSeparateCopy(model, averaged);
        using (Torch.NoGrad()) averaged.LoadStateDict(model.StateDict());
        var flags = model.NamedModules().ToDictionary(m => m.Name, m => m.Module.Training);
        foreach (var (name, m) in averaged.NamedModules()) m.SetTrainingFlag(flags[name]);
        var requires = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.RequiresGrad);
        foreach (var (name, p) in averaged.NamedParameters()) p.RequiresGrad_(requires[name]);
        Module = RegisterModule("module", averaged);
        RegisterBuffer("n_averaged", Torch.Scalar(0, DType.Float64));
        _avgFn = avgFn ?? Swa;
        UseBuffers = useBuffers;
    }

    /// <summary>The averaged model (PyTorch's <c>.module</c>); sample and evaluate with it.</summary>
    public Module Module { get; }

    /// <summary>Whether buffers are averaged along with the parameters.</summary>
    public bool UseBuffers { get; }

    /// <summary>How many times <see cref="UpdateParameters"/> has run.</summary>
    public long NAveraged => (long)GetBuffer("n_averaged")!.Item();

    /// <summary>Runs the averaged model.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Module.Forward(input);
    }

    /// <summary>
    /// Folds the current weights of <paramref name="model"/> into the average (a copy on the first call).
    /// The model must have the architecture the average was made from; nothing is changed if it has not.
    /// </summary>
    public void UpdateParameters(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var mine = Tracked(Module).ToList();
        var theirs = Tracked(model).ToList();
        if (mine.Count != theirs.Count)
            throw new ArgumentException($"AveragedModel.UpdateParameters: the model has {theirs.Count} {What} but the average has {mine.Count}");
        for (int i = 0; i < mine.Count; i++)
            if (!Shape.Equal(mine[i].Value.ShapeRef, theirs[i].Value.ShapeRef) || mine[i].Value.DType != theirs[i].Value.DType)
                throw new ArgumentException(
                    $"AveragedModel.UpdateParameters: {theirs[i].Name} of the model is {Shape.Format(theirs[i].Value.ShapeRef)} {theirs[i].Value.DType} but the average's {mine[i].Name} is {Shape.Format(mine[i].Value.ShapeRef)} {mine[i].Value.DType}");
        long n = NAveraged;
        using (Torch.NoGrad())
        {
            // All new values are computed before any is written, so a failing avgFn leaves the average as it was.
            var updates = new Tensor[mine.Count];
            for (int i = 0; i < mine.Count; i++)
            {
                var (avg, current) = (mine[i].Value.Detach(), theirs[i].Value.Detach());
                var next = n == 0 ? current : _avgFn(avg, current, n);
                if (next is null || !Shape.Equal(next.ShapeRef, avg.ShapeRef))
                    throw new InvalidOperationException($"AveragedModel: avgFn returned {(next is null ? "null" : Shape.Format(next.ShapeRef))} for {mine[i].Name} of shape {Shape.Format(avg.ShapeRef)}");
                updates[i] = next;
            }
            for (int i = 0; i < mine.Count; i++)
            {
                // PyTorch keeps this counter as int64, so copy_ truncates its average toward zero.
                if (mine[i].Name.EndsWith("num_batches_tracked", StringComparison.Ordinal) && updates[i].Numel == 1) updates[i] = Truncate(updates[i]);
                mine[i].Value.CopyFrom(updates[i]);
            }
            GetBuffer("n_averaged")!.CopyFrom(Torch.Scalar(n + 1, DType.Float64));
        }
    }

    /// <summary>The exponential moving average β·p̄ + (1 − β)·p (PyTorch 2's <c>get_ema_avg_fn</c>), optionally with a warm-up.</summary>
    /// <param name="decay">β in [0, 1]: the weight of the old average (0.999 is common for GAN generators).</param>
    /// <param name="warmup">
    /// Use β = min(decay, (1 + n)/(10 + n)) after n updates (TensorFlow's <c>ExponentialMovingAverage</c>
    /// with <c>num_updates</c>), so the first averages forget the initial weights quickly.
    /// </param>
    public static AveragingFunction Ema(double decay = 0.999, bool warmup = false)
    {
        if (!(decay >= 0 && decay <= 1)) throw new ArgumentException($"Ema: decay must be in [0, 1], got {decay}");
        if (!warmup) return (avg, current, _) => decay * avg + (1 - decay) * current;
        return (avg, current, n) =>
        {
            double beta = Math.Min(decay, (1.0 + n) / (10.0 + n));
            return beta * avg + (1 - beta) * current;
        };
    }

    /// <summary>The equal-weight (SWA) average p̄ + (p − p̄)/(n + 1), PyTorch's default <c>avg_fn</c>.</summary>
    public static AveragingFunction Swa { get; } = (avg, current, n) => avg + (current - avg) / (n + 1);

    private static Tensor Truncate(Tensor counter) => Torch.Scalar(Math.Truncate(counter.Item()), counter.DType).Reshape(counter.Shape);

    private string What => UseBuffers ? "parameters and buffers" : "parameters";

    private IEnumerable<(string Name, Tensor Value)> Tracked(Module m) =>
        UseBuffers ? m.NamedParameters().Concat(m.NamedBuffers()) : m.NamedParameters();

    private static void CheckSeparateCopy(Module model, Module averaged)
    {
        if (ReferenceEquals(model, averaged))
            throw new ArgumentException("AveragedModel: the copy factory returned the model itself; it must build a new instance");
        if (model.GetType() != averaged.GetType())
            throw new ArgumentException($"AveragedModel: the copy factory built a {averaged.GetType().Name} for a {model.GetType().Name}");
        var a = model.StateDict();
        var b = averaged.StateDict();
        if (!a.Keys.SequenceEqual(b.Keys))
            throw new ArgumentException(
                $"AveragedModel: the copy's state dict keys differ from the model's (model: {string.Join(", ", a.Keys)}; copy: {string.Join(", ", b.Keys)})");
        foreach (var (key, t) in a)
            if (!Shape.Equal(t.ShapeRef, b[key].ShapeRef) || t.DType != b[key].DType)
                throw new ArgumentException($"AveragedModel: {key} is {Shape.Format(t.ShapeRef)} {t.DType} in the model but {Shape.Format(b[key].ShapeRef)} {b[key].DType} in the copy");
        var storages = new HashSet<object>(a.Values.Select(t => (object)t.Storage), ReferenceEqualityComparer.Instance);
        foreach (var (key, t) in b)
            if (storages.Contains(t.Storage))
                throw new ArgumentException($"AveragedModel: the copy's {key} shares memory with the model; the factory must build new layers, not reuse the model's");
        var models = new HashSet<Module>(model.NamedModules().Select(m => m.Module), ReferenceEqualityComparer.Instance);
        foreach (var (name, m) in averaged.NamedModules())
            if (models.Contains(m))
                throw new ArgumentException($"AveragedModel: the copy's submodule '{name}' is a module of the model; the factory must build new layers");
    }
}
