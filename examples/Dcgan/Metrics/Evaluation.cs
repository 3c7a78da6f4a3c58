using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch;

namespace Dcgan.Metrics;

/// <summary>
/// The quality evaluation: a trained generator's samples, with two reference rows that give
/// the numbers a scale — real images against other real images (the best achievable) and an
/// untrained generator (the worst).
/// </summary>
public static class Evaluation
{
    /// <summary>Sizes of the evaluation.</summary>
    /// <param name="Samples">Images per compared set.</param>
    /// <param name="JudgeImages">Procedural images the classifier is trained on.</param>
    /// <param name="Classifier">The classifier's training settings.</param>
    public sealed record Settings(int Samples = 512, int JudgeImages = 4096, ClassifierCache.Settings? Classifier = null);

    /// <summary>Scores <paramref name="g"/>. Returns the rows: real_vs_real, untrained_generator, generator.</summary>
    public static IReadOnlyList<QualityRow> Run(DcganGenerator g, TrainConfig config, ImageSet trainData, string cacheDir, IProgressSink log, Settings? settings = null)
    {
        var judge = Judge.Create(config, trainData, cacheDir, log, settings);
        return [.. judge.ReferenceRows(), judge.Score("generator", g)];
    }

    /// <summary>
    /// The rows of a trainer's final state: the references, the raw generator, and the averaged
    /// generator when the recipe keeps one.
    /// </summary>
    public static IReadOnlyList<QualityRow> Run(GanTrainer trainer, Judge judge)
    {
        var rows = new List<QualityRow>(judge.ReferenceRows()) { judge.Score("generator", trainer.G) };
        if (trainer.Ema is not null) rows.Add(judge.Score("generator_ema", trainer.Ema.Module));
        return rows;
    }
}

/// <summary>
/// A trained classifier with the features of the real reference images and the fixed latent
/// vectors, ready to score any number of generators the same way (at the end of training, or
/// every few steps for a quality curve).
/// </summary>
public sealed class Judge
{
    private readonly QualityMetrics _metrics;
    private readonly double[,] _realFeatures;
    private readonly Tensor _realB, _z;
    private readonly TrainConfig _config;

    private Judge(QualityMetrics metrics, double[,] realFeatures, Tensor realB, Tensor z, TrainConfig config) =>
        (_metrics, _realFeatures, _realB, _z, _config) = (metrics, realFeatures, realB, z, config);

    /// <summary>Trains or loads the classifier for <paramref name="config"/>'s data and prepares the references.</summary>
    public static Judge Create(TrainConfig config, ImageSet trainData, string cacheDir, IProgressSink log, Evaluation.Settings? settings = null)
    {
        settings ??= new Evaluation.Settings();
        int samples = settings.Samples;
        var (judgeData, key, realA, realB) = References(config, trainData, samples, settings.JudgeImages);
        var classifier = ClassifierCache.GetOrTrain(judgeData, key, cacheDir, log, settings.Classifier);
        var metrics = new QualityMetrics(classifier, judgeData.ClassNames);
        var realFeatures = metrics.Analyse(realA).Features;
        var z = Torch.Randn([samples, config.Model.Nz, 1, 1], new Generator(config.Seed ^ 0xE7A1));
        return new Judge(metrics, realFeatures, realB, z, config);
    }

    /// <summary>The class names of the judged data (for histograms).</summary>
    public string[] ClassNames => _metrics.ClassNames;

    /// <summary>real_vs_real and untrained_generator.</summary>
    public IReadOnlyList<QualityRow> ReferenceRows()
    {
        var untrained = new DcganGenerator(_config.Model, _config.Upsample, new Generator(_config.Seed));
        return [_metrics.Row("real_vs_real", _realB, _realFeatures), Score("untrained_generator", untrained)];
    }

    /// <summary>Scores the samples of <paramref name="g"/> (in evaluation mode) from the fixed latent vectors.</summary>
    public QualityRow Score(string name, DcganGenerator g) => _metrics.Row(name, GanTrainer.Generate(g, _z), _realFeatures);

    /// <summary>
    /// The classifier's training data and two disjoint sets of real images. For the procedural
    /// shapes these are fresh images from other seeds (so they were seen by neither network);
    /// for files, the classifier trains on the loaded set and the references are drawn from it.
    /// </summary>
    private static (ImageSet Judge, string Key, Tensor RealA, Tensor RealB) References(TrainConfig config, ImageSet trainData, int samples, int judgeImages)
    {
        if (config.Data.StartsWith("shapes", StringComparison.OrdinalIgnoreCase))
        {
            var judge = ShapesDataset.Generate(judgeImages, seed: 424242);
            var reference = ShapesDataset.Generate(2 * samples, seed: 777_777);
            return (judge, $"shapes{judgeImages}", reference.Batch(Enumerable.Range(0, samples).ToArray()), reference.Batch(Enumerable.Range(samples, samples).ToArray()));
        }
        if (trainData.Count < 2 * samples)
            throw new DataException($"the quality metrics need at least {2 * samples} images; '{trainData.Source}' has {trainData.Count}");
        var rng = new Generator(99);
        var order = Enumerable.Range(0, trainData.Count).ToArray();
        for (int i = order.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        return (trainData, config.Data, trainData.Batch(order.AsSpan(0, samples)), trainData.Batch(order.AsSpan(samples, samples)));
    }
}
