using System.Globalization;
using System.Text.Json;
using Dcgan.Data;
using Dcgan.Metrics;
using MiniTorch;
using MiniTorch.IO;

namespace Dcgan.Training;

public sealed partial class GanTrainer
{
    private const string FormatTag = "minitorch-dcgan/1";

    /// <summary>Generates images from <paramref name="z"/> with the generator in evaluation mode (BatchNorm running statistics).</summary>
    public static Tensor Generate(Models.DcganGenerator g, Tensor z)
    {
        bool training = g.Training;
        g.Eval();
        try
        {
            using (Torch.NoGrad()) return g.Forward(z);
        }
        finally { g.Train(training); }
    }

    /// <summary>Writes the 8×8 grid of the fixed noise batch.</summary>
    public void SaveSamples(string path) => SaveGrid(Generate(SamplingG, FixedNoise), path, 8);

    /// <summary>Saves images in [-1, 1] as a PNG grid.</summary>
    public static void SaveGrid(Tensor images, string path, int nrow) =>
        ImageIO.SaveImageGrid(images, path, nrow: nrow, padding: 2, normalize: true, valueRange: (-1, 1));

    /// <summary>Writes <c>losses.svg</c>.</summary>
    public void WritePlot()
    {
        var svg = LossPlot.Render(
        [
            ("loss D", History.LossD),
            ("loss G", History.LossG),
        ], title: $"DCGAN losses ({Config.Recipe.ToString().ToLowerInvariant()}, {ConfigJson.Name(Config.Loss)})");
        AtomicFile.WriteAllBytes(Path.Combine(RunDir, "losses.svg"), System.Text.Encoding.UTF8.GetBytes(svg));
    }

    /// <summary>
    /// Writes G, D, both optimizers' states, the position in training and the noise generator's
    /// state to one safetensors file (atomically: a crash leaves the previous checkpoint intact).
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        var tensors = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in G.StateDict()) tensors.Add("G." + k, v);
        foreach (var (k, v) in D.StateDict()) tensors.Add("D." + k, v);
        foreach (var (k, v) in OptG.StateDict()) tensors.Add("optG." + k, v);
        foreach (var (k, v) in OptD.StateDict()) tensors.Add("optD." + k, v);
        if (Ema is not null)
            foreach (var (k, v) in Ema.StateDict()) tensors.Add("Gema." + k, v);
        var meta = new Dictionary<string, string>
        {
            ["format"] = FormatTag,
            ["config"] = JsonSerializer.Serialize(Config, ConfigJson.Options),
            ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["step_in_epoch"] = StepInEpoch.ToString(CultureInfo.InvariantCulture),
            ["global_step"] = GlobalStep.ToString(CultureInfo.InvariantCulture),
            ["rng_state"] = string.Join(",", Noise.GetState().Select(w => w.ToString("x16"))),
            ["last_loss_g"] = _lastLossG.ToString("R", CultureInfo.InvariantCulture),
            ["history"] = History.ToJson(),
        };
        if (Config.Recipe == Recipe.Modern)
        {
            meta["augment_rng_state"] = string.Join(",", Augment.GetState().Select(w => w.ToString("x16")));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Safetensors.Save(tensors, path, meta);
    }

    /// <summary>Reads a checkpoint's file, turning format problems into <see cref="DataException"/>.</summary>
    public static SafetensorsFile ReadCheckpoint(string path)
    {
        if (!File.Exists(path)) throw new DataException($"checkpoint '{path}' does not exist");
        SafetensorsFile file;
        try { file = Safetensors.LoadFile(path); }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new DataException($"checkpoint '{path}' cannot be read: {e.Message}", e);
        }
        if (!file.Metadata.TryGetValue("format", out var tag) || tag != FormatTag)
            throw new DataException($"'{path}' is not a DCGAN checkpoint of this program (missing format tag '{FormatTag}')");
        try { ReadConfig(file); }
        catch (DataException e) { throw new DataException($"checkpoint '{path}': {e.Message}", e); }
        return file;
    }

    /// <summary>A damaged checkpoint's content (a missing or unparsable field, mismatched tensors) as a <see cref="DataException"/>.</summary>
    private static T Restoring<T>(Func<T> restore)
    {
        try { return restore(); }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException or JsonException or NotSupportedException or ArgumentException)
        {
            throw new DataException($"the checkpoint is damaged and cannot be restored: {e.Message}", e);
        }
    }

    /// <summary>The training configuration stored in a checkpoint, checked for plausibility (<see cref="TrainConfig.Validate"/>) before anything is built from it.</summary>
    public static TrainConfig ReadConfig(SafetensorsFile file) => Restoring(() =>
        JsonSerializer.Deserialize<TrainConfig>(file.Metadata["config"], ConfigJson.Options)
        ?? throw new DataException("checkpoint has an empty configuration")).Validate();

    /// <summary>Restores networks, optimizers, position and noise state from a checkpoint.</summary>
    public void LoadCheckpoint(SafetensorsFile file) => Restoring(() => { Restore(file); return 0; });

    private void Restore(SafetensorsFile file)
    {
        G.LoadStateDict(Section(file, "G."));
        D.LoadStateDict(Section(file, "D."));
        OptG.LoadStateDict(Section(file, "optG."));
        OptD.LoadStateDict(Section(file, "optD."));
        var m = file.Metadata;
        Epoch = int.Parse(m["epoch"], CultureInfo.InvariantCulture);
        StepInEpoch = int.Parse(m["step_in_epoch"], CultureInfo.InvariantCulture);
        GlobalStep = long.Parse(m["global_step"], CultureInfo.InvariantCulture);
        Noise.SetState(m["rng_state"].Split(',').Select(s => ulong.Parse(s, NumberStyles.HexNumber)).ToArray());
        _lastLossG = double.Parse(m["last_loss_g"], CultureInfo.InvariantCulture);
        History = TrainingHistory.FromJson(m["history"]);
        if (Config.Recipe == Recipe.Modern)
        {
            Augment.SetState(m["augment_rng_state"].Split(',').Select(s => ulong.Parse(s, NumberStyles.HexNumber)).ToArray());
            Ema?.LoadStateDict(Section(file, "Gema."));
        }
    }

    /// <summary>The tensors whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public static OrderedDictionary<string, Tensor> Section(SafetensorsFile file, string prefix)
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (k, v) in file.Tensors)
            if (k.StartsWith(prefix, StringComparison.Ordinal)) result.Add(k[prefix.Length..], v);
        return result;
    }
}

/// <summary>JSON settings for configurations: enums as strings, so files are readable.</summary>
public static class ConfigJson
{
    /// <summary>The shared options.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>An enum value as it appears in configuration files and on the command line (kebab-case).</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
