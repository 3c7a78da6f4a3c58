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
}
