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
}

/// <summary>
/// Defaults chosen so that <c>dotnet run --project examples/Dcgan -c Release</c> finishes within
/// five minutes on a 2-core machine and the shapes are recognisable (see docs/performance.md).
/// </summary>
public static class Defaults
{
    /// <summary>Images in the procedural data set.</summary>
    public const int DataCount = 4096;

    /// <summary>Training epochs.</summary>
    public const int Epochs = 20;

    /// <summary>Batch size.</summary>
    public const int BatchSize = 64;

    /// <summary>The configuration a recipe starts from before the command line's options.</summary>
    public static TrainConfig For(Recipe recipe) => recipe == Recipe.Dcgan
        ? new TrainConfig()
        : new TrainConfig { Recipe = Recipe.Modern, Loss = LossMode.Hinge, Epochs = 40 };
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
    public double LrG { get; init; } = 2e-4;

    /// <summary>Discriminator learning rate.</summary>
    public double LrD { get; init; } = 2e-4;

    /// <summary>Adam's β₁.</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam's β₂.</summary>
    public double Beta2 { get; init; } = 0.999;
}
