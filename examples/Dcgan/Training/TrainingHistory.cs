using System.Text.Json;

namespace Dcgan.Training;

/// <summary>Per-step losses and discriminator outputs, kept for the plot and the checkpoint.</summary>
public sealed class TrainingHistory
{
    /// <summary>Discriminator (critic) loss per step.</summary>
    public List<double> LossD { get; init; } = [];

    /// <summary>Generator loss per step.</summary>
    public List<double> LossG { get; init; } = [];

    /// <summary>D(x) per step.</summary>
    public List<double> DReal { get; init; } = [];

    /// <summary>D(G(z)) per step.</summary>
    public List<double> DFake { get; init; } = [];

    /// <summary>Seconds of each epoch trained (the last one partial when a run stopped inside it).</summary>
    public List<double> EpochSeconds { get; init; } = [];

    /// <summary>Steps in each entry of <see cref="EpochSeconds"/> (empty in older checkpoints: whole epochs).</summary>
    public List<int> EpochSteps { get; init; } = [];

    // NaN losses must survive a round trip (a diverged run is still worth plotting).
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Appends one step.</summary>
    public void Add(StepStats s)
    {
        LossD.Add(s.LossD); LossG.Add(s.LossG); DReal.Add(s.DReal); DFake.Add(s.DFake);
    }

    /// <summary>The history as compact JSON (stored in the checkpoint's metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    public static TrainingHistory FromJson(string json) => JsonSerializer.Deserialize<TrainingHistory>(json, Options) ?? new();
}
