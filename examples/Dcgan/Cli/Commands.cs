using Dcgan.Data;
using Dcgan.Metrics;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch;

namespace Dcgan.Cli;

/// <summary>The work behind each subcommand, callable from tests without a command line.</summary>
public static class Commands
{
    /// <summary>
    /// Trains (or resumes) a run in <paramref name="runDir"/>, then evaluates it and writes
    /// <c>metrics.json</c>. Returns the trainer and how training ended.
    /// </summary>
    /// <param name="config">The run's configuration (for a resume, only its <see cref="TrainConfig.TimeBudget"/> is used: the rest comes from the checkpoint).</param>
    /// <param name="runDir">Output directory.</param>
    /// <param name="resume">Continue from <c>checkpoint.safetensors</c> in <paramref name="runDir"/>.</param>
    /// <param name="epochsOverride">With <paramref name="resume"/>: the new total number of epochs.</param>
    /// <param name="evaluate">Compute the quality metrics after training.</param>
    /// <param name="progress">Where progress goes.</param>
    /// <param name="wrap">Runs the training loop (a live progress display wraps it); null runs it directly.</param>
    /// <param name="cancel">Cancellation (Ctrl+C).</param>
    /// <param name="evalEvery">Also score the generator every this many steps (the quality curve); null: only at the end.</param>
    /// <param name="evaluation">The evaluation's sizes (null: <see cref="Evaluation.Settings"/>' defaults, as the command line uses).</param>
    public static (GanTrainer Trainer, TrainOutcome Outcome) Train(TrainConfig config, string runDir, bool resume, int? epochsOverride,
        bool evaluate, IProgressSink progress, Func<Func<TrainOutcome>, TrainOutcome>? wrap = null, CancellationToken cancel = default, int? evalEvery = null,
        Evaluation.Settings? evaluation = null)
    {
        var runClock = System.Diagnostics.Stopwatch.StartNew();
        GanTrainer trainer;
        if (resume)
        {
            var file = GanTrainer.ReadCheckpoint(Path.Combine(runDir, "checkpoint.safetensors"));
            // The time budget belongs to this invocation, not to the run.
            config = GanTrainer.ReadConfig(file) with { TimeBudget = config.TimeBudget };
            if (epochsOverride is { } e) config = config with { Epochs = e };
            trainer = new GanTrainer(config, LoadData(config), runDir, progress);
            trainer.LoadCheckpoint(file);
            progress.Log($"resuming {runDir} at epoch {trainer.Epoch} (+{trainer.StepInEpoch} steps), training to {config.Epochs} epochs");
        }
        else
        {
            trainer = new GanTrainer(config, LoadData(config), runDir, progress);
        }
        progress.Log($"data: {trainer.Data.Source}; {Describe(config)}, batch {config.BatchSize}, {trainer.StepsPerEpoch} steps/epoch, {Torch.GetNumThreads()} threads; output {runDir}");
        string runsDir = Path.GetDirectoryName(Path.GetFullPath(runDir))!;
        Judge? judge = null;
        if (evaluate && trainer.Data.Labels is null) progress.Log("quality metrics skipped: the data has no labels");
        else if (evaluate) judge = Judge.Create(config, trainer.Data, runsDir, progress, evaluation);
        var curve = new List<CurvePoint>();
        if (judge is not null && evalEvery is > 0)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            trainer.StepCompleted += t =>
            {
                if (t.GlobalStep % evalEvery.Value != 0) return;
                var rows = Evaluation.Run(t, judge).Skip(2).ToList();
                curve.Add(new CurvePoint(t.GlobalStep, clock.Elapsed.TotalSeconds, rows));
                foreach (var row in rows) progress.Log($"step {t.GlobalStep}: " + Format(row));
            };
        }
        var outcome = wrap is null ? trainer.Train(cancel) : wrap(() => trainer.Train(cancel));
        if (outcome == TrainOutcome.Interrupted)
        {
            progress.Log($"interrupted: checkpoint written to {trainer.CheckpointPath}; continue with --resume");
            return (trainer, outcome);
        }
        if (outcome == TrainOutcome.BudgetSpent)
            progress.Log($"time budget of {config.TimeBudget} s spent after {trainer.GlobalStep} steps; checkpoint written");
        IReadOnlyList<QualityRow> quality = judge is null ? [] : Evaluation.Run(trainer, judge);
        (MetricsReport.From(trainer, quality, curve) with { RunSeconds = runClock.Elapsed.TotalSeconds }).Write(Path.Combine(runDir, "metrics.json"));
        if (curve.Count > 0) QualityPlot.Write(curve, Path.Combine(runDir, "quality.svg"), quality.FirstOrDefault(r => r.Name == "real_vs_real")?.Frechet);
        foreach (var row in quality) progress.Log(Format(row));
        return (trainer, outcome);
    }

    /// <summary>The recipe, loss and upsampling of a configuration, as on the command line.</summary>
    public static string Describe(TrainConfig config) =>
        $"recipe {ConfigJson.Name(config.Recipe)}, loss {ConfigJson.Name(config.Loss)}, upsample {ConfigJson.Name(config.Upsample)}";

    /// <summary>Loads the configured data set.</summary>
    public static ImageSet LoadData(TrainConfig config) => DataSource.Load(config.Data, config.DataCount, config.Seed, config.Limit);

    /// <summary>
    /// A generator restored from a checkpoint (in evaluation mode), with the run's configuration:
    /// the averaged generator when the checkpoint has one and <paramref name="averaged"/> is set,
    /// otherwise the raw one.
    /// </summary>
    public static (DcganGenerator G, TrainConfig Config) LoadGenerator(string checkpoint, bool averaged = true)
    {
        var file = GanTrainer.ReadCheckpoint(checkpoint);
        var config = GanTrainer.ReadConfig(file);
        return (LoadGenerator(file, config, averaged && HasAverage(file) ? AveragedSection : "G."), config);
    }

    /// <summary>Where a checkpoint keeps the averaged generator's weights (the AveragedModel's <c>module.*</c>).</summary>
    private const string AveragedSection = "Gema.module.";

    private static bool HasAverage(MiniTorch.IO.SafetensorsFile file) => file.Tensors.Keys.Any(k => k.StartsWith(AveragedSection, StringComparison.Ordinal));

    private static DcganGenerator LoadGenerator(MiniTorch.IO.SafetensorsFile file, TrainConfig config, string section)
    {
        var g = new DcganGenerator(config.Model, config.Upsample, new Generator(config.Seed));
        try { g.LoadStateDict(GanTrainer.Section(file, section)); }
        catch (ArgumentException e) { throw new DataException($"the checkpoint's generator does not match its configuration: {e.Message.Split('\n')[0]}", e); }
        g.Eval();
        return g;
    }

    /// <summary>Writes a grid of <paramref name="n"/> samples.</summary>
    public static void Sample(string checkpoint, int n, string output, long seed, int nrow = 8)
    {
        if (n <= 0) throw new DataException($"--n must be positive, got {n}");
        var (g, config) = LoadGenerator(checkpoint);
        var z = Torch.Randn([n, config.Model.Nz, 1, 1], new Generator(seed));
        GanTrainer.SaveGrid(GanTrainer.Generate(g, z), output, nrow);
    }

    /// <summary>
    /// Writes a latent walk: each of <paramref name="rows"/> rows moves in <paramref name="steps"/>
    /// steps along a great circle (slerp) between two random latent vectors, which keeps the
    /// interpolated vectors at the typical norm of Gaussian samples.
    /// </summary>
    public static void Walk(string checkpoint, int rows, int steps, string output, long seed)
    {
        if (rows <= 0 || steps < 2) throw new DataException($"--rows must be positive and --steps at least 2, got {rows} and {steps}");
        var (g, config) = LoadGenerator(checkpoint);
        int nz = config.Model.Nz;
        var rng = new Generator(seed);
        var ends = Torch.Randn([rows, 2, nz], rng).ToDoubleArray();
        var z = new float[rows * steps * nz];
        for (int r = 0; r < rows; r++)
        {
            var a = ends.AsSpan((2 * r) * nz, nz);
            var b = ends.AsSpan((2 * r + 1) * nz, nz);
            for (int s = 0; s < steps; s++)
                Slerp(a, b, s / (double)(steps - 1), z.AsSpan((r * steps + s) * nz, nz));
        }
        GanTrainer.SaveGrid(GanTrainer.Generate(g, Torch.FromArray(z, rows * steps, nz, 1, 1)), output, steps);
    }

    /// <summary>Spherical interpolation between <paramref name="a"/> and <paramref name="b"/> at <paramref name="t"/> ∈ [0, 1].</summary>
    public static void Slerp(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double t, Span<float> result)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        double omega = Math.Acos(Math.Clamp(dot / Math.Sqrt(na * nb), -1, 1));
        double so = Math.Sin(omega);
        // Nearly parallel vectors: slerp tends to lerp.
        double wa = so < 1e-6 ? 1 - t : Math.Sin((1 - t) * omega) / so;
        double wb = so < 1e-6 ? t : Math.Sin(t * omega) / so;
        for (int i = 0; i < a.Length; i++) result[i] = (float)(wa * a[i] + wb * b[i]);
    }

    /// <summary>Evaluates a checkpoint's generator; writes the rows to <paramref name="output"/> as JSON when given.</summary>
    public static IReadOnlyList<QualityRow> Eval(string checkpoint, int samples, string? output, IProgressSink progress)
    {
        var file = GanTrainer.ReadCheckpoint(checkpoint);
        var config = GanTrainer.ReadConfig(file);
        var data = LoadData(config);
        var runsDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!)!;
        var judge = Judge.Create(config, data, runsDir, progress, new Evaluation.Settings(Samples: samples));
        var rows = new List<QualityRow>(judge.ReferenceRows()) { judge.Score("generator", LoadGenerator(file, config, "G.")) };
        if (HasAverage(file)) rows.Add(judge.Score("generator_ema", LoadGenerator(file, config, AveragedSection)));
        foreach (var row in rows) progress.Log(Format(row));
        if (output is not null)
            MiniTorch.IO.AtomicFile.WriteAllBytes(output, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(rows, new System.Text.Json.JsonSerializerOptions
            {
                WriteIndented = true, PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
                NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
            }));
        return rows;
    }

    /// <summary>One quality row as a log line, with the predicted classes by name.</summary>
    public static string Format(QualityRow r) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{r.Name,-20} confidence {r.Confidence:F3}  coverage {r.Coverage:F3}  frechet {r.Frechet,9:F3}  classes {string.Join(", ", r.Histogram.Select((c, i) => $"{(i < r.ClassNames.Length ? r.ClassNames[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture))} {c}"))}");
}
