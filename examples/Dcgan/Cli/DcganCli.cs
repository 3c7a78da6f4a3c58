using System.CommandLine;
using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch;

namespace Dcgan.Cli;

/// <summary>
/// The command line: training is the root command (so a bare <c>dotnet run</c> trains with the
/// defaults), and <c>sample</c>, <c>walk</c> and <c>eval</c> work from a checkpoint.
/// </summary>
public static class DcganCli
{
    /// <summary>Exit code for bad input (data, checkpoint, arguments).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT, the shell convention); the checkpoint is written.</summary>
    public const int Interrupted = 130;

    /// <summary>Parses <paramref name="args"/> and runs the chosen command; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        // The handlers install their own Ctrl+C handling, so System.CommandLine must not.
        return parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
    }

    private static readonly Option<int?> Threads = new("--threads") { Description = "Kernel threads (default: all cores; results do not depend on it)" };

    /// <summary>Builds the command tree.</summary>
    public static RootCommand BuildRoot()
    {
        var recipe = new Option<string>("--recipe") { Description = "modern (default: spectral norm, EMA, … see the README) or dcgan (PyTorch's DCGAN example, as before)", DefaultValueFactory = _ => "modern" };
        recipe.AcceptOnlyFromAmong("modern", "dcgan");
        var data = new Option<string>("--data") { Description = "Training data: " + DataSource.Help, DefaultValueFactory = _ => "shapes" };
        var dataCount = new Option<int?>("--data-count") { Description = "Images in the procedural data set (default: the recipe's)" };
        var limit = new Option<int?>("--limit") { Description = "Read at most this many images from MNIST or a folder" };
        var epochs = new Option<int?>("--epochs") { Description = "Total epochs (default: the recipe's; with --resume, the new total)" };
        var timeBudget = new Option<double?>("--time-budget") { Description = "Train until this many seconds are spent (then checkpoint and evaluate as usual); --epochs still caps the run" };
        var batch = new Option<int?>("--batch-size") { Description = "Batch size (default: the recipe's)" };
        var nz = new Option<int?>("--nz") { Description = "Latent size" };
        var ngf = new Option<int?>("--ngf") { Description = "Generator width" };
        var ndf = new Option<int?>("--ndf") { Description = "Discriminator width" };
        var loss = new Option<string?>("--loss") { Description = "bce (non-saturating logistic), wgan-gp, or hinge (modern recipe only); default: the recipe's" };
        loss.AcceptOnlyFromAmong("bce", "wgan-gp", "hinge");
        var upsample = new Option<string?>("--upsample") { Description = "transposed (ConvTranspose2d) or resize (nearest ×2 + Conv2d 3×3); default: the recipe's" };
        upsample.AcceptOnlyFromAmong("transposed", "resize");
        var seed = new Option<long>("--seed") { Description = "Seed of everything random", DefaultValueFactory = _ => 0 };
        var lr = new Option<double?>("--lr") { Description = "Learning rate of both networks (dcgan: default 2e-4 for bce, 1e-4 for wgan-gp)" };
        var lrG = new Option<double?>("--lr-g") { Description = "Generator learning rate (modern recipe)" };
        var lrD = new Option<double?>("--lr-d") { Description = "Discriminator learning rate (modern recipe)" };
        var beta1 = new Option<double?>("--beta1") { Description = "Adam's β₁ (modern recipe)" };
        var beta2 = new Option<double?>("--beta2") { Description = "Adam's β₂ (modern recipe)" };
        var ema = new Option<double?>("--ema") { Description = "Decay of the generator's moving average, 0 for none (modern recipe)" };
        var sn = new Option<bool?>("--spectral-norm") { Description = "Spectral normalization in D (modern recipe)" };
        var augment = new Option<string?>("--augment") { Description = "DiffAugment policy: comma-separated color, translation, cutout; 'none' for none (modern recipe)" };
        var r1 = new Option<double?>("--r1") { Description = "R1 penalty weight γ, 0 for none (modern recipe)" };
        var r1Every = new Option<int?>("--r1-every") { Description = "Lazy R1: every this many steps (modern recipe)" };
        var mbstd = new Option<int?>("--mbstd") { Description = "Minibatch standard-deviation group size in D, 0 for none (modern recipe)" };
        var nCritic = new Option<int>("--n-critic") { Description = "Critic steps per generator step (wgan-gp)", DefaultValueFactory = _ => 5 };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop each epoch after this many batches" };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Also score the generator every this many steps (quality.svg and the curve in metrics.json)" };
        var name = new Option<string?>("--name") { Description = "Run name: outputs go to RUNS/NAME (default: LOSS-UPSAMPLE for dcgan, modern-LOSS-UPSAMPLE)" };
        var runs = new Option<string>("--runs") { Description = "Directory of runs", DefaultValueFactory = _ => "runs" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run from its checkpoint" };
        var noEval = new Option<bool>("--no-eval") { Description = "Skip the quality metrics after training" };

        var root = new RootCommand("Train a tiny DCGAN with MiniTorch (default command), or sample / walk / eval a checkpoint.")
        {
            recipe, data, dataCount, limit, epochs, timeBudget, batch, nz, ngf, ndf, loss, upsample, seed, lr, lrG, lrD, beta1, beta2, ema, sn, augment,
            r1, r1Every, mbstd, nCritic, maxSteps, evalEvery, name, runs, resume, noEval, Threads,
        };
        root.SetAction(p => Guard(p, () =>
        {
            var baseConfig = Defaults.For(p.GetValue(recipe) == "dcgan" ? Recipe.Dcgan : Recipe.Modern);
            var m = baseConfig.Modern;
            m = m with
            {
                LrG = Positive(p.GetValue(lrG) ?? p.GetValue(lr) ?? m.LrG, "--lr-g"),
                LrD = Positive(p.GetValue(lrD) ?? p.GetValue(lr) ?? m.LrD, "--lr-d"),
                Beta1 = p.GetValue(beta1) ?? m.Beta1,
                Beta2 = p.GetValue(beta2) ?? m.Beta2,
                EmaDecay = p.GetValue(ema) is { } e ? (e == 0 ? null : e) : m.EmaDecay,
                SpectralNorm = p.GetValue(sn) ?? m.SpectralNorm,
                Augment = p.GetValue(augment) is { } a ? (a == "none" ? "" : a) : m.Augment,
                R1Gamma = p.GetValue(r1) ?? m.R1Gamma,
                R1Every = Positive(p.GetValue(r1Every) ?? m.R1Every, "--r1-every"),
                MinibatchStd = p.GetValue(mbstd) ?? m.MinibatchStd,
            };
            var model = baseConfig.Model;
            var config = baseConfig with
            {
                Data = p.GetValue(data)!,
                DataCount = Positive(p.GetValue(dataCount) ?? baseConfig.DataCount, "--data-count"),
                Limit = p.GetValue(limit),
                Epochs = Positive(p.GetValue(epochs) ?? (p.GetValue(timeBudget) is null ? baseConfig.Epochs : int.MaxValue), "--epochs"),
                TimeBudget = p.GetValue(timeBudget) is { } tb ? PositiveSeconds(tb) : null,
                BatchSize = Positive(p.GetValue(batch) ?? baseConfig.BatchSize, "--batch-size"),
                Model = new ModelConfig(Positive(p.GetValue(nz) ?? model.Nz, "--nz"), Positive(p.GetValue(ngf) ?? model.Ngf, "--ngf"), Positive(p.GetValue(ndf) ?? model.Ndf, "--ndf")),
                Loss = p.GetValue(loss) is { } l ? ParseLoss(l) : baseConfig.Loss,
                Upsample = p.GetValue(upsample) is { } u ? (u == "resize" ? UpsampleMode.Resize : UpsampleMode.Transposed) : baseConfig.Upsample,
                Seed = p.GetValue(seed),
                LearningRate = p.GetValue(lr),
                NCritic = Positive(p.GetValue(nCritic), "--n-critic"),
                MaxStepsPerEpoch = p.GetValue(maxSteps),
                Modern = m,
            };
            string defaultName = $"{ConfigJson.Name(config.Loss)}-{ConfigJson.Name(config.Upsample)}";
            if (config.Recipe == Recipe.Modern) defaultName = "modern-" + defaultName;
            string runDir = Path.Combine(p.GetValue(runs)!, p.GetValue(name) ?? defaultName);
            return TrainMain(config, runDir, p.GetValue(resume), p.GetValue(epochs), !p.GetValue(noEval), p.GetValue(evalEvery));
        }));

        root.Add(SampleCommand());
        root.Add(WalkCommand());
        root.Add(EvalCommand());
        return root;
    }

    private static int TrainMain(TrainConfig config, string runDir, bool resume, int? epochs, bool evaluate, int? evalEvery)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C: finish the current step, checkpoint, exit. A second one kills the process.
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            bool plain = IsPlain();
            IProgressSink sink = plain ? new PlainProgress(Console.Out) : new SpectreProgress();
            Func<Func<TrainOutcome>, TrainOutcome>? wrap = sink is SpectreProgress s ? work => s.Run(work) : null;
            var (trainer, outcome) = Commands.Train(config, runDir, resume, epochs, evaluate, sink, wrap, cts.Token, evalEvery);
            if (outcome == TrainOutcome.Interrupted) return Interrupted;
            Console.WriteLine($"done: {trainer.Epoch} epochs, {trainer.GlobalStep} steps; samples, losses.svg, metrics.json and checkpoint in {runDir}");
            return 0;
        }
        finally { Console.CancelKeyPress -= onCancel; }
    }

    /// <summary>Plain log lines instead of a live display: under CI or when output is redirected.</summary>
    public static bool IsPlain() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) || Console.IsOutputRedirected;

    private static Command SampleCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file", Required = true };
        var n = new Option<int>("--n") { Description = "Number of samples", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "Output PNG", DefaultValueFactory = _ => "grid.png" };
        var seed = new Option<long>("--seed") { Description = "Noise seed", DefaultValueFactory = _ => 0 };
        var nrow = new Option<int>("--nrow") { Description = "Images per row", DefaultValueFactory = _ => 8 };
        var cmd = new Command("sample", "Draw samples from a checkpoint's generator into a PNG grid") { checkpoint, n, output, seed, nrow, Threads };
        cmd.SetAction(p => Guard(p, () =>
        {
            Commands.Sample(p.GetValue(checkpoint)!, p.GetValue(n), p.GetValue(output)!, p.GetValue(seed), Positive(p.GetValue(nrow), "--nrow"));
            Console.WriteLine($"wrote {p.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }

    private static Command WalkCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file", Required = true };
        var rows = new Option<int>("--rows") { Description = "Number of walks (rows)", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Images per walk", DefaultValueFactory = _ => 10 };
        var output = new Option<string>("--out") { Description = "Output PNG", DefaultValueFactory = _ => "walk.png" };
        var seed = new Option<long>("--seed") { Description = "Noise seed", DefaultValueFactory = _ => 0 };
        var cmd = new Command("walk", "Interpolate between random latent vectors (one walk per row)") { checkpoint, rows, steps, output, seed, Threads };
        cmd.SetAction(p => Guard(p, () =>
        {
            Commands.Walk(p.GetValue(checkpoint)!, p.GetValue(rows), p.GetValue(steps), p.GetValue(output)!, p.GetValue(seed));
            Console.WriteLine($"wrote {p.GetValue(output)}");
            return 0;
        }));
        return cmd;
    }

    private static Command EvalCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint file", Required = true };
        var samples = new Option<int>("--samples") { Description = "Images per set", DefaultValueFactory = _ => 512 };
        var output = new Option<string?>("--out") { Description = "Also write the rows to this JSON file" };
        var cmd = new Command("eval", "Score a checkpoint's samples with the classifier: confidence, class coverage, Fréchet distance") { checkpoint, samples, output, Threads };
        cmd.SetAction(p => Guard(p, () =>
        {
            Commands.Eval(p.GetValue(checkpoint)!, Positive(p.GetValue(samples), "--samples"), p.GetValue(output), new PlainProgress(Console.Out));
            return 0;
        }));
        return cmd;
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new DataException($"{option} must be positive, got {value}");

    private static double Positive(double value, string option) =>
        value > 0 ? value : throw new DataException($"{option} must be positive, got {value}");

    private static double PositiveSeconds(double value) =>
        value > 0 && double.IsFinite(value) ? value : throw new DataException($"--time-budget must be a positive number of seconds, got {value}");

    private static LossMode ParseLoss(string value) => value switch
    {
        "wgan-gp" => LossMode.WganGp,
        "hinge" => LossMode.Hinge,
        _ => LossMode.Bce,
    };

    /// <summary>Applies common options and turns bad input into a message and exit code instead of a stack trace.</summary>
    private static int Guard(ParseResult p, Func<int> body)
    {
        try
        {
            if (p.GetValue(Threads) is { } t) Torch.SetNumThreads(Positive(t, "--threads"));
            return body();
        }
        catch (DataException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }
}
