using System.Security.Cryptography;
using System.Text;
using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;
using MiniTorch.Optim;

namespace Dcgan.Metrics;

/// <summary>
/// Trains the judging classifier once per data source and keeps it in <c>runs/</c>
/// (<c>classifier_KEY.safetensors</c>), so every later evaluation reuses the same judge.
/// </summary>
public static class ClassifierCache
{
    /// <summary>Training settings of the classifier.</summary>
    public sealed record Settings(int Epochs = 3, int BatchSize = 64, double LearningRate = 2e-3, long Seed = 1234);

    /// <summary>Loads the cached classifier for <paramref name="key"/> or trains it on <paramref name="data"/>.</summary>
    public static ShapeClassifier GetOrTrain(ImageSet data, string key, string cacheDir, IProgressSink log, Settings? settings = null)
    {
        settings ??= new Settings();
        if (data.Labels is null || data.NumClasses < 2)
            throw new DataException($"the quality metrics need labelled data; '{data.Source}' has no labels");
        var model = new ShapeClassifier(data.NumClasses, new Generator(settings.Seed));
        // The key names the data; the fingerprint of the actual images, labels and settings makes a
        // cached judge stale as soon as any of them changes (e.g. a new ShapeStyle default).
        string path = Path.Combine(cacheDir, $"classifier_{Sanitize(key)}_{data.NumClasses}_{Fingerprint(data, settings)}.safetensors");
        if (File.Exists(path))
        {
            try
            {
                model.LoadStateDict(Safetensors.Load(path));
                log.Log($"classifier: loaded {path}");
                return model;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException)
            {
                log.Log($"classifier: cached file {path} is unusable ({e.Message.Split('\n')[0]}); retraining");
            }
        }
        double accuracy = Train(model, data, settings, log);
        Directory.CreateDirectory(cacheDir);
        Safetensors.Save(model.StateDict(), path, new Dictionary<string, string> { ["train_accuracy"] = accuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) });
        log.Log($"classifier: trained (last-epoch accuracy {accuracy:P1}), saved {path}");
        return model;
    }

    /// <summary>Trains <paramref name="model"/> with Adam and cross-entropy; returns the last epoch's training accuracy.</summary>
    public static double Train(ShapeClassifier model, ImageSet data, Settings settings, IProgressSink log)
    {
        var opt = new Adam(model.Parameters(), lr: settings.LearningRate);
        var rng = new Generator(settings.Seed + 1);
        int steps = data.Count / settings.BatchSize;
        double accuracy = 0;
        model.Train();
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, data.Count).ToArray();
            for (int i = order.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
            int correct = 0;
            for (int s = 0; s < steps; s++)
            {
                var idx = order.AsSpan(s * settings.BatchSize, settings.BatchSize);
                var labels = data.BatchLabels(idx);
                opt.ZeroGrad();
                var logits = model.Forward(data.Batch(idx));
                var loss = F.CrossEntropy(logits, labels);
                loss.Backward();
                opt.Step();
                correct += (int)logits.Argmax(1).Eq(Torch.FromArray(labels, labels.Length)).Sum().ItemInt64();
            }
            accuracy = correct / (double)(steps * settings.BatchSize);
            log.Log($"classifier epoch {epoch + 1}/{settings.Epochs}: accuracy {accuracy:P1}");
        }
        model.Eval();
        return accuracy;
    }

    /// <summary>A short hash of the judge's training data (pixels, labels) and settings.</summary>
    public static string Fingerprint(ImageSet data, Settings settings)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.PixelData.AsSpan()));
        if (data.Labels is { } labels) sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()));
        sha.AppendData(Encoding.UTF8.GetBytes(settings.ToString()));
        return Convert.ToHexString(sha.GetHashAndReset())[..8].ToLowerInvariant();
    }

    /// <summary>A file-name-safe key: letters and digits kept, plus a short hash of the whole key.</summary>
    public static string Sanitize(string key)
    {
        var safe = new string(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        if (safe.Length > 24) safe = safe[..24];
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8].ToLowerInvariant();
        return $"{safe}-{hash}";
    }
}
