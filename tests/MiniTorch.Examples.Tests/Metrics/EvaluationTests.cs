using Dcgan.Data;
using Dcgan.Metrics;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch.Examples.Tests.Training;

namespace MiniTorch.Examples.Tests.Metrics;

[Collection("training")]
public class EvaluationTests
{
    [Fact]
    public void Run_GivesReferenceRows_RealBeatsUntrained_AndCachesTheClassifier()
    {
        using var dir = new TempDir();
        var config = TinyRuns.Config();
        var settings = new Evaluation.Settings(Samples: 128, JudgeImages: 512, new ClassifierCache.Settings(Epochs: 2, BatchSize: 32));
        var g = new DcganGenerator(config.Model, config.Upsample, new Generator(1));
        var log = new RecordingProgress();
        var rows = Evaluation.Run(g, config, ShapesDataset.Generate(64, 0), dir.Path, log, settings);

        Assert.Equal(["real_vs_real", "untrained_generator", "generator"], rows.Select(r => r.Name));
        var real = rows[0];
        var untrained = rows[1];
        Assert.True(real.Frechet < untrained.Frechet / 5, $"real {real.Frechet} vs untrained {untrained.Frechet}");
        Assert.True(real.Coverage > 0.9, $"real coverage {real.Coverage}");   // the classes are balanced
        Assert.True(real.Confidence > 0.6, $"real confidence {real.Confidence}");
        Assert.All(rows, r => Assert.Equal(128, r.Histogram.Sum()));
        Assert.Single(Directory.GetFiles(dir.Path, "classifier_*.safetensors"));
        Assert.Contains(log.Lines, l => l.StartsWith("classifier: trained"));

        var again = Evaluation.Run(g, config, ShapesDataset.Generate(64, 0), dir.Path, log, settings);
        Assert.Contains(log.Lines, l => l.StartsWith("classifier: loaded"));
        Assert.Equal(rows[0].Frechet, again[0].Frechet);
    }

    [Fact]
    public void Row_SingleClassSet_HasLowCoverage_AndIdenticalSetsHaveZeroDistance()
    {
        var data = ShapesDataset.Generate(64, 3);
        var classifier = new ShapeClassifier(4, new Generator(5));
        ClassifierCache.Train(classifier, ShapesDataset.Generate(256, 9), new ClassifierCache.Settings(Epochs: 2, BatchSize: 32), new SilentProgress());
        var metrics = new QualityMetrics(classifier);
        var circles = Enumerable.Range(0, 64).Where(i => data.Labels![i] == 0).ToArray();
        var all = data.Batch(Enumerable.Range(0, 64).ToArray());
        var realFeatures = metrics.Analyse(all).Features;
        var same = metrics.Row("same", all, realFeatures);
        Assert.InRange(same.Frechet, 0, 1e-6);
        var single = metrics.Row("circles", data.Batch(circles), realFeatures);
        Assert.True(single.Coverage < same.Coverage, $"{single.Coverage} vs {same.Coverage}");
        Assert.True(single.Coverage < 0.5, $"coverage of one class {single.Coverage}");
        Assert.True(single.Frechet > same.Frechet);
    }
}
