using Dcgan.Data;
using Dcgan.Models;
using MiniTorch;
using MiniTorch.Nn;
using MiniTorch.Optim;

namespace Dcgan.Training;

/// <summary>How a call to <see cref="GanTrainer.Train"/> ended.</summary>
public enum TrainOutcome
{
    /// <summary>All configured epochs are done.</summary>
    Completed,

    /// <summary>Cancelled (Ctrl+C); a checkpoint was written and the run can be resumed.</summary>
    Interrupted,

    /// <summary>The time budget (<see cref="TrainConfig.TimeBudget"/>) was spent; a checkpoint was written.</summary>
    BudgetSpent,
}

/// <summary>
/// Trains a DCGAN (BCE) or WGAN-GP on an <see cref="ImageSet"/>. All randomness comes from
/// generators derived from the seed: the weights, the data order (one permutation per epoch,
/// a pure function of seed and epoch) and the noise (one generator whose state is checkpointed),
/// so a resumed run continues bit for bit.
/// </summary>
public sealed partial class GanTrainer
{
    private readonly IProgressSink _progress;

    /// <summary>Builds fresh networks and optimizers for <paramref name="config"/>.</summary>
    public GanTrainer(TrainConfig config, ImageSet data, string runDir, IProgressSink? progress = null)
    {
        config.Validate();
        if (data.Count < config.BatchSize)
            throw new DataException($"the data set has {data.Count} images, fewer than one batch of {config.BatchSize}");
        Config = config;
        Data = data;
        RunDir = runDir;
        _progress = progress ?? new SilentProgress();
        var init = new Generator(config.Seed);
        G = new DcganGenerator(config.Model, config.Upsample, init);
        if (config.Recipe == Recipe.Dcgan)
        {
            if (config.Loss == LossMode.Hinge) throw new DataException("--loss hinge needs --recipe modern");
            D = new DcganDiscriminator(config.Model, batchNorm: config.Loss == LossMode.Bce, init);
            OptG = new Adam(G.Parameters(), lr: config.EffectiveLearningRate, betas: config.Betas);
            OptD = new Adam(D.Parameters(), lr: config.EffectiveLearningRate, betas: config.Betas);
        }
        else BuildModern(init);
        Noise = new Generator(config.Seed ^ 0x5EED_0001);
        FixedNoise = Torch.Randn([64, config.Model.Nz, 1, 1], new Generator(config.Seed ^ 0x5EED_0002));
        Augment = new Generator(config.Seed ^ 0x5EED_0003);
    }

    /// <summary>The generator's moving average (modern recipe, see <see cref="WarmEma"/>), or null.</summary>
    public AveragedModel? Ema { get; private set; }

    /// <summary>The averaged generator, or null.</summary>
    public DcganGenerator? AveragedG => (DcganGenerator?)Ema?.Module;

    /// <summary>The generator that samples and evaluation use: the averaged one when there is one.</summary>
    public DcganGenerator SamplingG => AveragedG ?? G;

    /// <summary>The source of DiffAugment's random draws (its state is checkpointed).</summary>
    public Generator Augment { get; }

    /// <summary>The run's configuration.</summary>
    public TrainConfig Config { get; private set; }

    /// <summary>The training images.</summary>
    public ImageSet Data { get; }

    /// <summary>Where outputs go.</summary>
    public string RunDir { get; }

    /// <summary>The generator.</summary>
    public DcganGenerator G { get; }

    /// <summary>The discriminator (critic): a <see cref="DcganDiscriminator"/> or a <see cref="ModernDiscriminator"/>.</summary>
    public Module D { get; private set; }

    /// <summary>The generator's optimizer.</summary>
    public Adam OptG { get; private set; }

    /// <summary>The discriminator's optimizer.</summary>
    public Adam OptD { get; private set; }

    /// <summary>The source of latent noise and interpolation weights (its state is checkpointed).</summary>
    public Generator Noise { get; }

    /// <summary>The 64 latent vectors of the sample grids, the same every epoch.</summary>
    public Tensor FixedNoise { get; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; private set; }

    /// <summary>Batches already done in the current epoch (non-zero only after an interruption).</summary>
    public int StepInEpoch { get; private set; }

    /// <summary>Batches done over the whole run.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>Per-step losses.</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>Batches per epoch (the last incomplete batch is dropped).</summary>
    public int StepsPerEpoch => Math.Min(Data.Count / Config.BatchSize, Config.MaxStepsPerEpoch ?? int.MaxValue);

    /// <summary>The checkpoint's path.</summary>
    public string CheckpointPath => Path.Combine(RunDir, "checkpoint.safetensors");

    /// <summary>Raises the epoch target (for <c>--resume --epochs N</c>).</summary>
    public void SetEpochs(int epochs) => Config = Config with { Epochs = epochs };

    /// <summary>
    /// Trains until <see cref="TrainConfig.Epochs"/> epochs are complete, writing the sample grid,
    /// the loss plot and the checkpoint after each epoch. On cancellation it checkpoints the
    /// position inside the epoch and returns <see cref="TrainOutcome.Interrupted"/>.
    /// </summary>
    public TrainOutcome Train(CancellationToken cancel = default)
    {
        Directory.CreateDirectory(RunDir);
        int steps = StepsPerEpoch, b = Config.BatchSize;
        var budgetClock = System.Diagnostics.Stopwatch.StartNew();
        while (Epoch < Config.Epochs)
        {
            var order = EpochOrder(Epoch);
            _progress.EpochStarted(Epoch + 1, Config.Epochs, steps, StepInEpoch);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int first = StepInEpoch;
            for (; StepInEpoch < steps; StepInEpoch++)
            {
                bool spent = Config.TimeBudget is { } budget && budgetClock.Elapsed.TotalSeconds >= budget;
                if (cancel.IsCancellationRequested || spent)
                {
                    History.EpochSeconds.Add(clock.Elapsed.TotalSeconds);
                    History.EpochSteps.Add(StepInEpoch - first);
                    _progress.EpochEnded(Epoch + 1, clock.Elapsed, completed: false);
                    SaveCheckpoint(CheckpointPath);
                    WritePlot();
                    if (!spent) return TrainOutcome.Interrupted;
                    SaveSamples(Path.Combine(RunDir, "samples_final.png"));
                    return TrainOutcome.BudgetSpent;
                }
                if (Config.Recipe == Recipe.Modern) SetLearningRates(budgetClock.Elapsed.TotalSeconds);
                StepStats stats;
                // The step's tensors go back to MiniTorch's caching allocator when it ends (docs/memory.md):
                // the next step reuses their arrays instead of leaving garbage for the collector.
                using (Torch.MemoryScope())
                {
                    var real = Data.Batch(order.AsSpan(StepInEpoch * b, b));
                    GlobalStep++;
                    stats = Config.Recipe == Recipe.Modern ? ModernStep(real) : Config.Loss == LossMode.Bce ? BceStep(real) : WganGpStep(real);
                }
                History.Add(stats);
                _progress.Step(stats);
                StepCompleted?.Invoke(this);
            }
            History.EpochSeconds.Add(clock.Elapsed.TotalSeconds);
            History.EpochSteps.Add(steps - first);
            _progress.EpochEnded(Epoch + 1, clock.Elapsed, completed: true);
            Epoch++;
            StepInEpoch = 0;
            SaveSamples(Path.Combine(RunDir, $"samples_epoch_{Epoch:D3}.png"));
            WritePlot();
            SaveCheckpoint(CheckpointPath);
        }
        SaveSamples(Path.Combine(RunDir, "samples_final.png"));
        return TrainOutcome.Completed;
    }

    /// <summary>
    /// The run's progress before the next step, 0 to 1: the larger of the steps done over all epochs' steps and,
    /// with a time budget, the seconds spent over the budget (a budget's run ends with whichever comes first).
    /// </summary>
    public double Progress(double budgetSeconds)
    {
        double total = (double)Config.Epochs * StepsPerEpoch;
        double bySteps = Config.Epochs == int.MaxValue ? 0 : (double)(Epoch * StepsPerEpoch + StepInEpoch) / total;
        double byTime = Config.TimeBudget is { } budget ? budgetSeconds / budget : 0;
        return Math.Clamp(Math.Max(bySteps, byTime), 0, 1);
    }

    /// <summary>The modern recipe's learning rates for the next step, after <see cref="ModernSettings.Cooldown"/>.</summary>
    private void SetLearningRates(double budgetSeconds)
    {
        var m = Config.Modern;
        if (m.Cooldown <= 0) return;
        double factor = m.LearningRateFactor(Progress(budgetSeconds));
        OptG.Lr = m.LrG * factor;
        OptD.Lr = m.LrD * factor;
    }

    /// <summary>Raised after every training step (for example to score the generator every few steps).</summary>
    public event Action<GanTrainer>? StepCompleted;

    /// <summary>The data order of an epoch: a permutation that depends only on the seed and the epoch.</summary>
    public int[] EpochOrder(int epoch)
    {
        var rng = new Generator(Config.Seed * 7919 + epoch + 1);
        var order = Enumerable.Range(0, Data.Count).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private Tensor SampleNoise(int n) => Torch.Randn([n, Config.Model.Nz, 1, 1], Noise);

    /// <summary>One DCGAN step, as in PyTorch's example: D on real and detached fake, then G with the non-saturating loss.</summary>
    private StepStats BceStep(Tensor real)
    {
        int n = real.Size(0);
        // (1) Update D: maximise log D(x) + log(1 − D(G(z))).
        OptD.ZeroGrad();
        var outReal = D.Forward(real);
        var lossReal = Losses.Bce(outReal, 1);
        lossReal.Backward();
        var fake = G.Forward(SampleNoise(n));
        var outFake = D.Forward(fake.Detach());
        var lossFake = Losses.Bce(outFake, 0);
        lossFake.Backward();
        OptD.Step();
        // (2) Update G: maximise log D(G(z)). D's weights are frozen for this backward pass
        // because only G is stepped; skipping their gradients saves a third of D's backward.
        OptG.ZeroGrad();
        SetRequiresGrad(D, false);
        var lossG = Losses.Bce(D.Forward(fake), 1);
        lossG.Backward();
        SetRequiresGrad(D, true);
        OptG.Step();
        return new StepStats(GlobalStep, lossReal.Item() + lossFake.Item(), lossG.Item(), MeanSigmoid(outReal), MeanSigmoid(outFake));
    }

    private double _lastLossG = double.NaN;

    /// <summary>One critic step of WGAN-GP, and every <see cref="TrainConfig.NCritic"/>-th step a generator step.</summary>
    private StepStats WganGpStep(Tensor real)
    {
        int n = real.Size(0);
        Tensor fake;
        using (Torch.NoGrad()) fake = G.Forward(SampleNoise(n));
        OptD.ZeroGrad();
        var scoreReal = D.Forward(real).Mean();
        var scoreFake = D.Forward(fake).Mean();
        var gp = GradientPenalty.Wgan(D.Forward, real, fake, Noise, Config.GpLambda);
        var lossD = scoreFake - scoreReal + gp;
        lossD.Backward();
        OptD.Step();
        if (GlobalStep % Config.NCritic == 0)
        {
            OptG.ZeroGrad();
            SetRequiresGrad(D, false);
            var lossG = -D.Forward(G.Forward(SampleNoise(n))).Mean();
            lossG.Backward();
            SetRequiresGrad(D, true);
            OptG.Step();
            _lastLossG = lossG.Item();
        }
        return new StepStats(GlobalStep, lossD.Item(), _lastLossG, scoreReal.Item(), scoreFake.Item());
    }

    private static void SetRequiresGrad(Module m, bool value)
    {
        foreach (var p in m.Parameters()) p.RequiresGrad = value;
    }

    private static double MeanSigmoid(Tensor logits)
    {
        using (Torch.NoGrad()) return logits.Sigmoid().Mean().Item();
    }
}
