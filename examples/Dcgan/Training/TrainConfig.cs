using Dcgan.Models;

namespace Dcgan.Training;

/// <summary>Everything that defines a training run. Saved into the checkpoint so <c>--resume</c> and <c>sample</c> rebuild the same networks.</summary>
public sealed record TrainConfig
{
    /// <summary>
    /// The training recipe. A configuration without one (an older checkpoint, or <c>new TrainConfig()</c>)
    /// is the original DCGAN recipe; the command line's default is <see cref="Recipe.Modern"/>.
    /// </summary>
    public Recipe Recipe { get; init; } = Recipe.Dcgan;

    /// <summary>Settings of the modern recipe (ignored by <see cref="Recipe.Dcgan"/>).</summary>
    public ModernSettings Modern { get; init; } = new();

    /// <summary>The <c>--data</c> specification (see <see cref="Data.DataSource"/>).</summary>
    public string Data { get; init; } = "shapes";

    /// <summary>Images in the procedural data set when <see cref="Data"/> gives no count.</summary>
    public int DataCount { get; init; } = Defaults.DataCount;

    /// <summary>Read at most this many images from files (null: all).</summary>
    public int? Limit { get; init; }

    /// <summary>Total epochs (a resumed run trains until this many are done).</summary>
    public int Epochs { get; init; } = Defaults.Epochs;

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Network sizes.</summary>
    public ModelConfig Model { get; init; } = new();

    /// <summary>Adversarial objective.</summary>
    public LossMode Loss { get; init; } = LossMode.Bce;

    /// <summary>How the generator upsamples.</summary>
    public UpsampleMode Upsample { get; init; } = UpsampleMode.Transposed;

    /// <summary>The seed of everything random: data, initial weights, noise, shuffling.</summary>
    public long Seed { get; init; }

    /// <summary>Critic updates per generator update in WGAN-GP mode.</summary>
    public int NCritic { get; init; } = 5;

    /// <summary>The gradient-penalty weight λ in WGAN-GP mode.</summary>
    public double GpLambda { get; init; } = 10;

    /// <summary>Stop an epoch after this many batches (null: the whole data set). For tests and quick looks.</summary>
    public int? MaxStepsPerEpoch { get; init; }

    /// <summary>Stop training after this many seconds (checked before each step; null: no limit).</summary>
    public double? TimeBudget { get; init; }

    /// <summary>Learning rate; null picks the mode's default (2e-4 for BCE, 1e-4 for WGAN-GP).</summary>
    public double? LearningRate { get; init; }

    /// <summary>The learning rate actually used.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Loss == LossMode.Bce ? 2e-4 : 1e-4);

    /// <summary>Adam's betas: (0.5, 0.999) for BCE as in DCGAN, (0, 0.9) for WGAN-GP as in its paper.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (double, double) Betas => Loss == LossMode.Bce ? (0.5, 0.999) : (0.0, 0.9);

    /// <summary>The largest latent size a configuration may ask for.</summary>
    public const int MaxNz = 1024;

    /// <summary>The largest generator or discriminator width (ngf, ndf): at 256 the two networks hold about 60 million parameters.</summary>
    public const int MaxWidth = 256;

    /// <summary>The largest batch.</summary>
    public const int MaxBatchSize = 4096;

    /// <summary>The largest procedural data set (2¹⁸ images of 32×32 floats: 1 GiB).</summary>
    public const int MaxDataCount = 1 << 18;

    /// <summary>
    /// Checks that every field is plausible before anything is built from it: a configuration read
    /// from a checkpoint (or given on the command line) that asks for a negative size, a network of
    /// billions of parameters or a NaN learning rate is refused with a <see cref="Data.DataException"/>
    /// naming the field, instead of failing in an allocation.
    /// </summary>
    /// <returns>This configuration.</returns>
    public TrainConfig Validate()
    {
        if (!Enum.IsDefined(Recipe)) Fail($"recipe {(int)Recipe} is not a recipe");
        if (!Enum.IsDefined(Loss)) Fail($"loss {(int)Loss} is not a loss");
        if (!Enum.IsDefined(Upsample)) Fail($"upsample {(int)Upsample} is not an upsampling mode");
        if (Data is null) Fail("data is missing");
        if (Model is null) Fail("model is missing");
        if (Modern is null) Fail("modern is missing");
        Range(Model!.Nz, 1, MaxNz, "nz");
        Range(Model.Ngf, 1, MaxWidth, "ngf");
        Range(Model.Ndf, 1, MaxWidth, "ndf");
        Range(Model.Nc, 1, 1, "nc (the images are grayscale)");
        Range(BatchSize, 1, MaxBatchSize, "batch_size");
        Range(DataCount, 1, MaxDataCount, "data_count");
        Range(Epochs, 1, int.MaxValue, "epochs");
        Range(NCritic, 1, 1000, "n_critic");
        if (Limit is { } limit) Range(limit, 1, int.MaxValue, "limit");
        if (MaxStepsPerEpoch is { } maxSteps) Range(maxSteps, 1, int.MaxValue, "max_steps_per_epoch");
        if (TimeBudget is { } budget && !(budget > 0 && double.IsFinite(budget))) Fail($"time_budget is {budget}; it must be a positive number of seconds");
        if (LearningRate is { } lr) PositiveRate(lr, "learning_rate");
        if (!(GpLambda >= 0 && double.IsFinite(GpLambda))) Fail($"gp_lambda is {GpLambda}; it must be zero or positive");
        var m = Modern!;
        PositiveRate(m.LrG, "lr_g");
        PositiveRate(m.LrD, "lr_d");
        Unit(m.Beta1, "beta1");
        Unit(m.Beta2, "beta2");
        if (m.EmaDecay is { } decay) Unit(decay, "ema_decay");
        if (!(m.Cooldown >= 0 && m.Cooldown <= 1)) Fail($"cooldown is {m.Cooldown}; it must be in [0, 1]");
        Range(m.Pack, 1, BatchSize, "pack");
        if (BatchSize % m.Pack != 0) Fail($"batch_size {BatchSize} is not divisible by pack {m.Pack}");
        Range(m.MinibatchStd, 0, BatchSize, "minibatch_std");
        Range(m.R1Every, 1, 1_000_000, "r1_every");
        if (!(m.R1Gamma >= 0 && double.IsFinite(m.R1Gamma))) Fail($"r1_gamma is {m.R1Gamma}; it must be zero or positive");
        if (m.Augment is null) Fail("augment is missing");
        try { MiniTorch.Nn.DiffAugment.ParsePolicy(m.Augment!); }
        catch (ArgumentException e) { Fail($"augment '{m.Augment}' is not a DiffAugment policy: {e.Message.Split('\n')[0]}"); }
        return this;

        static void Fail(string message) => throw new Data.DataException("implausible configuration: " + message);
        static void Range(long value, long min, long max, string name)
        {
            if (value < min || value > max) Fail($"{name} is {value}; it must be between {min} and {max}");
        }
        static void PositiveRate(double value, string name)
        {
            if (!(value > 0 && value < 1e3)) Fail($"{name} is {value}; it must be positive and finite");
        }
        static void Unit(double value, string name)
        {
            if (!(value >= 0 && value < 1)) Fail($"{name} is {value}; it must be in [0, 1)");
        }
    }
}

/// <summary>
/// The recipes' defaults. <c>dotnet run --project examples/Dcgan -c Release</c> trains the modern
/// recipe for <see cref="ModernEpochs"/> epochs, chosen to fit in two minutes on the 2-core machine
/// including the judge and the evaluation (examples/Dcgan/notes/recipe.md); the dcgan recipe keeps
/// its original 20 epochs of batch 64.
/// </summary>
public static class Defaults
{
    /// <summary>Images in the procedural data set.</summary>
    public const int DataCount = 4096;

    /// <summary>The dcgan recipe's epochs.</summary>
    public const int Epochs = 20;

    /// <summary>The dcgan recipe's batch size.</summary>
    public const int BatchSize = 64;

    /// <summary>The configuration a recipe starts from before the command line's options.</summary>
    public static TrainConfig For(Recipe recipe) => recipe == Recipe.Dcgan
        ? new TrainConfig()
        : new TrainConfig { Recipe = Recipe.Modern, Loss = LossMode.Hinge, BatchSize = ModernBatchSize, Epochs = ModernEpochs };

    /// <summary>The modern recipe's batch size.</summary>
    public const int ModernBatchSize = 32;

    /// <summary>The modern recipe's epochs: 28 × 128 = 3584 steps, what fits in two minutes on the 2-core machine (examples/Dcgan/notes/recipe.md).</summary>
    public const int ModernEpochs = 28;
}

/// <summary>The training recipe.</summary>
public enum Recipe
{
    /// <summary>PyTorch's DCGAN example (BatchNorm in D, Adam(2e-4, (0.5, 0.999)), no averaging), kept bitwise as it was.</summary>
    Dcgan,

    /// <summary>The modern small-GAN recipe of <see cref="ModernSettings"/>.</summary>
    Modern,
}

/// <summary>
/// The knobs of the modern recipe. The defaults are the recipe chosen by measurement
/// (examples/Dcgan/notes/recipe.md).
/// </summary>
public sealed record ModernSettings
{
    /// <summary>Spectral normalization of every discriminator convolution.</summary>
    public bool SpectralNorm { get; init; } = true;

    /// <summary>PacGAN packing (Lin et al., 2018): D judges this many images at once, stacked as channels (1: none).</summary>
    public int Pack { get; init; } = 1;

    /// <summary>BatchNorm after D's second and third convolutions, as in DCGAN (real and fake batches normalised separately).</summary>
    public bool BatchNormD { get; init; }

    /// <summary>Decay of the generator's exponential moving average (null: no averaging).</summary>
    public double? EmaDecay { get; init; } = 0.999;

    /// <summary>DiffAugment policy applied to real and fake images before D (empty: none).</summary>
    public string Augment { get; init; } = "";

    /// <summary>R1 penalty weight γ (0: none).</summary>
    public double R1Gamma { get; init; }

    /// <summary>Apply R1 every this many D steps, scaled by the interval (lazy regularization).</summary>
    public int R1Every { get; init; } = 4;

    /// <summary>Group size of D's minibatch standard-deviation layer before its last convolution (0: none).</summary>
    public int MinibatchStd { get; init; }

    /// <summary>Generator learning rate.</summary>
    public double LrG { get; init; } = 2e-3;

    /// <summary>Discriminator learning rate (half the generator's: the two-timescale rates that balance the classes, examples/Dcgan/notes/recipe.md).</summary>
    public double LrD { get; init; } = 1e-3;

    /// <summary>Adam's β₁ (0: no momentum, as in spectrally normalized GANs).</summary>
    public double Beta1 { get; init; }

    /// <summary>Adam's β₂.</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>
    /// Learning-rate cooldown: over this last fraction of the run both learning rates fall linearly to zero
    /// (0: constant rates). The run's progress is the larger of its steps over all epochs' steps and its seconds
    /// over the time budget. The command line sets <see cref="BudgetCooldown"/> for a run with a time budget.
    /// </summary>
    public double Cooldown { get; init; }

    /// <summary>The cooldown of a run with <c>--time-budget</c> (examples/Dcgan/notes/recipe.md: at 15000 steps of Fashion-MNIST it took the average's Fréchet from 10.3 to 8.5).</summary>
    public const double BudgetCooldown = 0.25;

    /// <summary>The factor on both learning rates at <paramref name="progress"/> (0 at the start, 1 at the end).</summary>
    public double LearningRateFactor(double progress) =>
        Cooldown > 0 ? Math.Clamp((1 - progress) / Cooldown, 0, 1) : 1;
}
