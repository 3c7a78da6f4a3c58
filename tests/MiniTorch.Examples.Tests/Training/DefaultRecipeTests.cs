using System.Text.Json;
using Dcgan.Cli;
using Dcgan.Metrics;
using Dcgan.Training;

namespace MiniTorch.Examples.Tests.Training;

/// <summary>The README's command: the modern default recipe at its real sizes, for a few steps.</summary>
[Collection("training")]
public class DefaultRecipeTests
{
    [Fact]
    public void DefaultRecipe_FullSize_FewSteps_TrainsAndReportsTheRawAndTheAveragedGenerator()
    {
        using var dir = new TempDir();
        string run = Path.Combine(dir.Path, "run");
        // No options but a smaller data set and three steps: the networks, losses and optimizers of the default.
        var config = DcganCli.ParseTrainConfig("--data", "shapes:256", "--epochs", "1", "--max-steps", "3");
        Assert.Equal((Recipe.Modern, Dcgan.Models.LossMode.Hinge), (config.Recipe, config.Loss));
        var log = new RecordingProgress();
        var judge = new Evaluation.Settings(Samples: 128, JudgeImages: 512, new ClassifierCache.Settings(Epochs: 1, BatchSize: 64));
        var (trainer, outcome) = Commands.Train(config, run, resume: false, epochsOverride: null, evaluate: true, log, evaluation: judge);

        Assert.Equal(TrainOutcome.Completed, outcome);
        Assert.Equal(3, trainer.GlobalStep);
        Assert.IsType<Dcgan.Models.ModernDiscriminator>(trainer.D);
        Assert.NotNull(trainer.AveragedG);
        Assert.All(trainer.History.LossD.Concat(trainer.History.LossG), v => Assert.True(double.IsFinite(v)));
        Assert.Contains(trainer.D.NamedParameters(), p => p.Name.EndsWith("parametrizations.weight.original", StringComparison.Ordinal));

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        var root = metrics.RootElement;
        Assert.Equal("generator_ema", root.GetProperty("samples_from").GetString());
        Assert.True(root.GetProperty("run_seconds").GetDouble() > 0);
        var rows = root.GetProperty("quality").EnumerateArray().ToList();
        Assert.Equal(["real_vs_real", "untrained_generator", "generator", "generator_ema"], rows.Select(r => r.GetProperty("name").GetString()));
        foreach (var row in rows)
        {
            Assert.Equal(["circle", "square", "triangle", "cross"], row.GetProperty("class_names").EnumerateArray().Select(n => n.GetString()));
            Assert.Equal(128, row.GetProperty("histogram").EnumerateArray().Sum(c => c.GetInt32()));
        }
        // The log names the classes too.
        Assert.Contains(log.Lines, l => l.StartsWith("generator_ema", StringComparison.Ordinal) && l.Contains("classes circle "));
        SmokeTests.AssertPng(Path.Combine(run, "samples_final.png"), 8 * 34 + 2, 8 * 34 + 2);
    }
}
