using System.Text.Json;
using Dcgan.Training;

namespace Dcgan.Metrics;

/// <summary>The contents of <c>metrics.json</c>.</summary>
public sealed record MetricsReport
{
    /// <summary>The run's configuration.</summary>
    public required TrainConfig Config { get; init; }

    /// <summary>Completed epochs.</summary>
    public int Epochs { get; init; }

    /// <summary>Batches processed.</summary>
    public long Steps { get; init; }

    /// <summary>Wall-clock seconds of each epoch.</summary>
    public IReadOnlyList<double> EpochSeconds { get; init; } = [];

    /// <summary>Mean batches per second over the timed epochs.</summary>
    public double StepsPerSecond { get; init; }

    /// <summary>Threads the kernels used.</summary>
    public int Threads { get; init; }

    /// <summary>Mean losses and D outputs over the last epoch.</summary>
    public Dictionary<string, double> FinalEpoch { get; init; } = [];

    /// <summary>
    /// The generator the sample grids come from: <c>generator_ema</c> (the moving average) when the
    /// recipe keeps one, otherwise <c>generator</c>. The quality rows score both.
    /// </summary>
    public string SamplesFrom { get; init; } = "generator";

    /// <summary>
    /// Wall-clock seconds of the whole command in this process: loading the data, training or loading
    /// the judge's classifier, training, and the evaluation (without the .NET start-up and build).
    /// </summary>
    public double RunSeconds { get; init; }

    /// <summary>Quality rows (empty when the data has no labels or evaluation was skipped).</summary>
    public IReadOnlyList<QualityRow> Quality { get; init; } = [];

    /// <summary>The generator's quality every <c>--eval-every</c> steps (empty when not asked for).</summary>
    public IReadOnlyList<CurvePoint> QualityCurve { get; init; } = [];

    /// <summary>Builds the report from a trainer's state.</summary>
    public static MetricsReport From(GanTrainer trainer, IReadOnlyList<QualityRow> quality, IReadOnlyList<CurvePoint>? curve = null)
    {
        var h = trainer.History;
        int last = Math.Min(trainer.StepsPerEpoch, h.LossD.Count);
        double Mean(List<double> v) => v.Skip(v.Count - last).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        double seconds = h.EpochSeconds.Sum();
        return new MetricsReport
        {
            Config = trainer.Config,
            Epochs = trainer.Epoch,
            Steps = trainer.GlobalStep,
            EpochSeconds = h.EpochSeconds,
            StepsPerSecond = seconds > 0 ? TimedSteps(h, trainer.StepsPerEpoch) / seconds : 0,
            Threads = MiniTorch.Torch.GetNumThreads(),
            FinalEpoch = new()
            {
                ["loss_d"] = Mean(h.LossD), ["loss_g"] = Mean(h.LossG), ["d_real"] = Mean(h.DReal), ["d_fake"] = Mean(h.DFake),
            },
            SamplesFrom = trainer.AveragedG is null ? "generator" : "generator_ema",
            Quality = quality,
            QualityCurve = curve ?? [],
        };
    }

    private static double TimedSteps(TrainingHistory h, int stepsPerEpoch) =>
        h.EpochSteps.Count == h.EpochSeconds.Count ? h.EpochSteps.Sum() : h.EpochSeconds.Count * (double)stepsPerEpoch;

    /// <summary>Writes the report as indented JSON, atomically.</summary>
    public void Write(string path)
    {
        var options = new JsonSerializerOptions(ConfigJson.Options)
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        MiniTorch.IO.AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, options));
    }
}

/// <summary>The quality of the raw and the averaged generator after <paramref name="Step"/> steps.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="Seconds">Training seconds so far.</param>
/// <param name="Rows">The generator's row, and the averaged generator's when there is one.</param>
public sealed record CurvePoint(long Step, double Seconds, IReadOnlyList<QualityRow> Rows);
