using Dcgan.Cli;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch.IO;

namespace MiniTorch.Examples.Tests.Training;

[Collection("training")]
public class ModernRecipeTests
{
    [Fact]
    public void Samples_ComeFromTheAveragedGenerator()
    {
        using var dir = new TempDir();
        var config = TinyRuns.Modern();
        var trainer = new GanTrainer(config, Commands.LoadData(config), dir.Path);
        trainer.Train();
        Assert.Same(trainer.AveragedG!, trainer.SamplingG);
        trainer.SaveSamples(dir.File("again.png"));
        GanTrainer.SaveGrid(GanTrainer.Generate(trainer.AveragedG!, trainer.FixedNoise), dir.File("ema.png"), 8);
        GanTrainer.SaveGrid(GanTrainer.Generate(trainer.G, trainer.FixedNoise), dir.File("raw.png"), 8);
        Assert.Equal(File.ReadAllBytes(dir.File("ema.png")), File.ReadAllBytes(dir.File("again.png")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("raw.png")), File.ReadAllBytes(dir.File("again.png")));
        // sample/walk/eval load the averaged generator from the checkpoint.
        var (g, _) = Commands.LoadGenerator(trainer.CheckpointPath);
        Assert.Equal(trainer.AveragedG!.Parameters().Select(p => p.ToArray()), g.Parameters().Select(p => p.ToArray()));
        var (raw, _) = Commands.LoadGenerator(trainer.CheckpointPath, averaged: false);
        Assert.Equal(trainer.G.Parameters().Select(p => p.ToArray()), raw.Parameters().Select(p => p.ToArray()));
    }

    [Fact]
    public void TimeBudget_StopsTraining_CheckpointsAndEvaluates()
    {
        using var dir = new TempDir();
        string spent = Path.Combine(dir.Path, "spent"), ample = Path.Combine(dir.Path, "ample");
        var config = TinyRuns.Modern(epochs: 3, steps: 2);
        // A budget that is spent before the first step: the run stops at once, but still writes
        // its checkpoint, samples and metrics, and can be resumed.
        var (trainer, outcome) = Commands.Train(config with { TimeBudget = 1e-9 }, spent, false, null, evaluate: false, new SilentProgress());
        Assert.Equal(TrainOutcome.BudgetSpent, outcome);
        Assert.Equal(0, trainer.GlobalStep);
        Assert.True(File.Exists(trainer.CheckpointPath));
        Assert.True(File.Exists(Path.Combine(spent, "samples_final.png")));
        Assert.True(File.Exists(Path.Combine(spent, "metrics.json")));
        // A budget that is never reached changes nothing: the run is bitwise the run without one.
        Commands.Train(config with { TimeBudget = 1e9 }, ample, false, null, evaluate: false, new SilentProgress());
        var resumed = Commands.Train(config, spent, resume: true, epochsOverride: null, evaluate: false, new SilentProgress());
        Assert.Equal(TrainOutcome.Completed, resumed.Outcome);
        Assert.Equal(6, resumed.Trainer.GlobalStep);
        TinyRuns.AssertSameCheckpoint(Path.Combine(ample, "checkpoint.safetensors"), Path.Combine(spent, "checkpoint.safetensors"));
    }
    [Fact]
    public void Cooldown_BothRatesFallLinearlyToZeroOverTheRunsLastFraction()
    {
        using var dir = new TempDir();
        var config = TinyRuns.Modern(epochs: 2, steps: 4);
        config = config with { Modern = config.Modern with { Cooldown = 0.5 } };
        var trainer = new GanTrainer(config, Commands.LoadData(config), dir.Path);
        var rates = new List<(double G, double D)>();
        trainer.StepCompleted += t => rates.Add((t.OptG.Lr, t.OptD.Lr));
        Assert.Equal(TrainOutcome.Completed, trainer.Train());
        // 8 steps; before step i, i of them are done: the factor is min(1, (1 − i/8)/0.5).
        double[] factors = [1, 1, 1, 1, 1, 0.75, 0.5, 0.25];
        Assert.Equal(factors.Length, rates.Count);
        for (int i = 0; i < factors.Length; i++)
        {
            Assert.Equal(config.Modern.LrG * factors[i], rates[i].G, 15);
            Assert.Equal(config.Modern.LrD * factors[i], rates[i].D, 15);
        }
    }

    [Fact]
    public void Cooldown_WithATimeBudget_FollowsTheLargerOfTheStepsAndTheSecondsSpent()
    {
        using var dir = new TempDir();
        var config = TinyRuns.Modern(epochs: 2, steps: 4) with { TimeBudget = 100 };
        var trainer = new GanTrainer(config with { Modern = config.Modern with { Cooldown = 0.25 } }, Commands.LoadData(config), dir.Path);
        Assert.Equal(0.0, trainer.Progress(0));
        Assert.Equal(0.8, trainer.Progress(80), 15);
        Assert.Equal(1.0, trainer.Progress(250));
        Assert.Equal(0.8, trainer.Config.Modern.LearningRateFactor(0.8), 15);
        Assert.Equal(0.0, trainer.Config.Modern.LearningRateFactor(1));
        // Without epochs (a budget alone) only the seconds count.
        var open = new GanTrainer(config with { Epochs = int.MaxValue }, Commands.LoadData(config), dir.Path);
        Assert.Equal(0.5, open.Progress(50), 15);
        // No cooldown: the factor is 1 throughout.
        Assert.Equal(1.0, new ModernSettings().LearningRateFactor(0.99));
    }
}
