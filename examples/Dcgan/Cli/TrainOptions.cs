using System.CommandLine;
using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;

namespace Dcgan.Cli;

/// <summary>
/// The training command's options and how they become a <see cref="TrainConfig"/>: the chosen
/// recipe's configuration (<see cref="Defaults.For"/>) with every given option applied on top.
/// </summary>
public sealed class TrainOptions
{
    /// <summary>--recipe.</summary>
    public Option<string> Recipe { get; } = new("--recipe") { Description = "modern (default; see the README) or dcgan (PyTorch's DCGAN example, as before)", DefaultValueFactory = _ => "modern" };
    /// <summary>--data.</summary>
    public Option<string> Data { get; } = new("--data") { Description = "Training data: " + DataSource.Help, DefaultValueFactory = _ => "shapes" };
    /// <summary>--data-count.</summary>
    public Option<int?> DataCount { get; } = new("--data-count") { Description = "Images in the procedural data set (default: the recipe's)" };
    /// <summary>--limit.</summary>
    public Option<int?> Limit { get; } = new("--limit") { Description = "Read at most this many images from MNIST or a folder" };
    /// <summary>--epochs.</summary>
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Total epochs (default: the recipe's, or unlimited with --time-budget; with --resume, the new total)" };
    /// <summary>--time-budget.</summary>
    public Option<double?> TimeBudget { get; } = new("--time-budget") { Description = "Train until this many seconds are spent, then checkpoint and evaluate as usual" };
    /// <summary>--batch-size.</summary>
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Batch size (default: the recipe's)" };
    /// <summary>--nz.</summary>
    public Option<int?> Nz { get; } = new("--nz") { Description = "Latent size (default: the recipe's)" };
    /// <summary>--ngf.</summary>
    public Option<int?> Ngf { get; } = new("--ngf") { Description = "Generator width (default: the recipe's)" };
    /// <summary>--ndf.</summary>
    public Option<int?> Ndf { get; } = new("--ndf") { Description = "Discriminator width (default: the recipe's)" };
    /// <summary>--loss.</summary>
    public Option<string?> Loss { get; } = new("--loss") { Description = "bce (non-saturating logistic), wgan-gp, or hinge (modern recipe only); default: the recipe's" };
    /// <summary>--upsample.</summary>
    public Option<string?> Upsample { get; } = new("--upsample") { Description = "transposed (ConvTranspose2d) or resize (nearest ×2 + Conv2d 3×3); default: the recipe's" };
    /// <summary>--seed.</summary>
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 0 };
    /// <summary>--lr.</summary>
    public Option<double?> Lr { get; } = new("--lr") { Description = "Learning rate of both networks (dcgan default: 2e-4 for bce, 1e-4 for wgan-gp)" };
    /// <summary>--lr-g.</summary>
    public Option<double?> LrG { get; } = new("--lr-g") { Description = "Generator learning rate (modern recipe)" };
    /// <summary>--lr-d.</summary>
    public Option<double?> LrD { get; } = new("--lr-d") { Description = "Discriminator learning rate (modern recipe)" };
    /// <summary>--beta1.</summary>
    public Option<double?> Beta1 { get; } = new("--beta1") { Description = "Adam's β₁ (modern recipe)" };
    /// <summary>--beta2.</summary>
    public Option<double?> Beta2 { get; } = new("--beta2") { Description = "Adam's β₂ (modern recipe)" };
    /// <summary>--ema.</summary>
    public Option<double?> Ema { get; } = new("--ema") { Description = "Decay of the generator's moving average, 0 for none (modern recipe)" };
    /// <summary>--cooldown.</summary>
    public Option<double?> Cooldown { get; } = new("--cooldown") { Description = "Fraction of the run at its end over which both learning rates fall linearly to zero (modern recipe; default 0, or 0.25 with --time-budget)" };
    /// <summary>--spectral-norm.</summary>
    public Option<bool?> SpectralNorm { get; } = new("--spectral-norm") { Description = "Spectral normalization of D's convolutions, true or false (modern recipe)" };
    /// <summary>--bn-d.</summary>
    public Option<bool?> BatchNormD { get; } = new("--bn-d") { Description = "BatchNorm in D as in DCGAN, true or false (modern recipe)" };
    /// <summary>--pack.</summary>
    public Option<int?> Pack { get; } = new("--pack") { Description = "PacGAN: D judges this many images at once, 1 for none (modern recipe)" };
    /// <summary>--augment.</summary>
    public Option<string?> Augment { get; } = new("--augment") { Description = "DiffAugment policy: comma-separated color, translation, cutout, or none (modern recipe)" };
    /// <summary>--r1.</summary>
    public Option<double?> R1 { get; } = new("--r1") { Description = "R1 penalty weight γ, 0 for none (modern recipe)" };
    /// <summary>--r1-every.</summary>
    public Option<int?> R1Every { get; } = new("--r1-every") { Description = "Lazy R1: apply it every this many steps, scaled by the interval (modern recipe)" };
    /// <summary>--mbstd.</summary>
    public Option<int?> Mbstd { get; } = new("--mbstd") { Description = "Group size of D's minibatch standard-deviation channel, 0 for none (modern recipe)" };
    /// <summary>--n-critic.</summary>
    public Option<int> NCritic { get; } = new("--n-critic") { Description = "Critic steps per generator step (wgan-gp)", DefaultValueFactory = _ => 5 };
    /// <summary>--max-steps.</summary>
    public Option<int?> MaxSteps { get; } = new("--max-steps") { Description = "Stop each epoch after this many batches" };
    /// <summary>--eval-every.</summary>
    public Option<int?> EvalEvery { get; } = new("--eval-every") { Description = "Also score the generators every this many steps (quality.svg, and the curve in metrics.json)" };
    /// <summary>--name.</summary>
    public Option<string?> Name { get; } = new("--name") { Description = "Run name: outputs go to RUNS/NAME (default: LOSS-UPSAMPLE for dcgan, modern-LOSS-UPSAMPLE for modern)" };
    /// <summary>--runs.</summary>
    public Option<string> Runs { get; } = new("--runs") { Description = "Directory of runs", DefaultValueFactory = _ => "runs" };
    /// <summary>--resume.</summary>
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run from its checkpoint" };
    /// <summary>--no-eval.</summary>
    public Option<bool> NoEval { get; } = new("--no-eval") { Description = "Skip the quality metrics after training" };

    /// <summary>Creates the options.</summary>
    public TrainOptions()
    {
        Recipe.AcceptOnlyFromAmong("modern", "dcgan");
        Loss.AcceptOnlyFromAmong("bce", "wgan-gp", "hinge");
        Upsample.AcceptOnlyFromAmong("transposed", "resize");
        Augment.Validators.Add(r =>
        {
            foreach (var part in (r.GetValueOrDefault<string?>() ?? "").Split(',', StringSplitOptions.TrimEntries))
                if (part is not ("none" or "color" or "translation" or "cutout"))
                    r.AddError($"--augment: unknown policy '{part}'; expected a comma-separated list of color, translation, cutout, or none");
        });
    }

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Option[] all =
        [
            Recipe, Data, DataCount, Limit, Epochs, TimeBudget, BatchSize, Nz, Ngf, Ndf, Loss, Upsample, Seed, Lr, LrG, LrD, Beta1, Beta2,
            Ema, Cooldown, SpectralNorm, BatchNormD, Pack, Augment, R1, R1Every, Mbstd, NCritic, MaxSteps, EvalEvery, Name, Runs, Resume, NoEval,
        ];
        foreach (var o in all) command.Options.Add(o);
    }

    /// <summary>The configuration the parsed options ask for.</summary>
    public TrainConfig ToConfig(ParseResult p)
    {
        var baseConfig = Defaults.For(p.GetValue(Recipe) == "dcgan" ? Training.Recipe.Dcgan : Training.Recipe.Modern);
        var m = baseConfig.Modern;
        m = m with
        {
            LrG = Positive(p.GetValue(LrG) ?? p.GetValue(Lr) ?? m.LrG, "--lr-g"),
            LrD = Positive(p.GetValue(LrD) ?? p.GetValue(Lr) ?? m.LrD, "--lr-d"),
            Beta1 = UnitInterval(p.GetValue(Beta1) ?? m.Beta1, "--beta1"),
            Beta2 = UnitInterval(p.GetValue(Beta2) ?? m.Beta2, "--beta2"),
            EmaDecay = p.GetValue(Ema) is { } e ? (e == 0 ? null : UnitInterval(e, "--ema")) : m.EmaDecay,
            SpectralNorm = p.GetValue(SpectralNorm) ?? m.SpectralNorm,
            BatchNormD = p.GetValue(BatchNormD) ?? m.BatchNormD,
            Pack = DcganCli.Positive(p.GetValue(Pack) ?? m.Pack, "--pack"),
            Augment = p.GetValue(Augment) is { } a ? (a == "none" ? "" : a) : m.Augment,
            R1Gamma = NonNegative(p.GetValue(R1) ?? m.R1Gamma, "--r1"),
            R1Every = DcganCli.Positive(p.GetValue(R1Every) ?? m.R1Every, "--r1-every"),
            MinibatchStd = (int)NonNegative(p.GetValue(Mbstd) ?? m.MinibatchStd, "--mbstd"),
        };
        var model = baseConfig.Model;
        double? budget = p.GetValue(TimeBudget) is { } tb
            ? (tb > 0 && double.IsFinite(tb) ? tb : throw new DataException($"--time-budget must be a positive number of seconds, got {tb}"))
            : null;
        double cooldown = p.GetValue(Cooldown) ?? (budget is null ? m.Cooldown : ModernSettings.BudgetCooldown);
        m = m with { Cooldown = cooldown >= 0 && cooldown <= 1 ? cooldown : throw new DataException($"--cooldown must be in [0, 1], got {cooldown}") };
        return (baseConfig with
        {
            Data = p.GetValue(Data)!,
            DataCount = DcganCli.Positive(p.GetValue(DataCount) ?? baseConfig.DataCount, "--data-count"),
            Limit = p.GetValue(Limit),
            Epochs = DcganCli.Positive(p.GetValue(Epochs) ?? (budget is null ? baseConfig.Epochs : int.MaxValue), "--epochs"),
            TimeBudget = budget,
            BatchSize = DcganCli.Positive(p.GetValue(BatchSize) ?? baseConfig.BatchSize, "--batch-size"),
            Model = new ModelConfig(DcganCli.Positive(p.GetValue(Nz) ?? model.Nz, "--nz"), DcganCli.Positive(p.GetValue(Ngf) ?? model.Ngf, "--ngf"),
                                   DcganCli.Positive(p.GetValue(Ndf) ?? model.Ndf, "--ndf")),
            Loss = p.GetValue(Loss) switch { null => baseConfig.Loss, "wgan-gp" => LossMode.WganGp, "hinge" => LossMode.Hinge, _ => LossMode.Bce },
            Upsample = p.GetValue(Upsample) switch { null => baseConfig.Upsample, "resize" => UpsampleMode.Resize, _ => UpsampleMode.Transposed },
            Seed = p.GetValue(Seed),
            LearningRate = p.GetValue(Lr),
            NCritic = DcganCli.Positive(p.GetValue(NCritic), "--n-critic"),
            MaxStepsPerEpoch = p.GetValue(MaxSteps),
            Modern = m,
        }).Validate();
    }

    /// <summary>The run's output directory: RUNS/NAME, with a name from the recipe, loss and upsampling unless given.</summary>
    public string RunDir(ParseResult p, TrainConfig config)
    {
        string name = $"{ConfigJson.Name(config.Loss)}-{ConfigJson.Name(config.Upsample)}";
        if (config.Recipe == Training.Recipe.Modern) name = "modern-" + name;
        return Path.Combine(p.GetValue(Runs)!, p.GetValue(Name) ?? name);
    }

    private static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value) ? value : throw new DataException($"{option} must be positive, got {value}");

    private static double NonNegative(double value, string option) =>
        value >= 0 && double.IsFinite(value) ? value : throw new DataException($"{option} must be zero or positive, got {value}");

    private static double UnitInterval(double value, string option) =>
        value >= 0 && value < 1 ? value : throw new DataException($"{option} must be in [0, 1), got {value}");
}
