using Dcgan.Cli;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch.IO;

namespace MiniTorch.Examples.Tests.Training;

[Collection("training")]
public class ModernRecipeTests
{
    public static TheoryData<LossMode, UpsampleMode> Modes => new()
    {
        { LossMode.Hinge, UpsampleMode.Transposed },
        { LossMode.Bce, UpsampleMode.Resize },
        { LossMode.WganGp, UpsampleMode.Transposed },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Train_FewSteps_LossesFinite_WeightsAndAverageMove_OutputsValid(LossMode loss, UpsampleMode upsample)
    {
        using var dir = new TempDir();
        var config = TinyRuns.Modern(loss, upsample, epochs: 2, steps: 2);
        var trainer = new GanTrainer(config, Commands.LoadData(config), dir.Path);
        Assert.IsType<ModernDiscriminator>(trainer.D);
        Assert.NotNull(trainer.Ema);
        var g0 = trainer.G.Parameters().Select(p => p.ToArray()).ToList();
        // The Wasserstein loss does not depend on the logit's bias (it cancels between real and fake).
        string logitBias = trainer.D.NamedParameters().Last(p => p.Name.EndsWith("bias")).Name;
        var trained = trainer.D.NamedParameters().Where(p => !(loss == LossMode.WganGp && p.Name == logitBias)).Select(p => p.Parameter).ToList();
        var d0 = trained.Select(p => p.ToArray()).ToList();

        Assert.Equal(TrainOutcome.Completed, trainer.Train());

        Assert.Equal(4, trainer.History.LossD.Count);
        Assert.All(trainer.History.LossD, v => Assert.True(double.IsFinite(v)));
        Assert.All(trainer.History.LossG.Skip(config.Loss == LossMode.WganGp ? config.NCritic - 1 : 0), v => Assert.True(double.IsFinite(v)));
        Assert.All(trainer.G.Parameters().Zip(g0), p => Assert.NotEqual(p.Second, p.First.ToArray()));
        Assert.All(trained.Zip(d0), p => Assert.NotEqual(p.Second, p.First.ToArray()));
        // The average lies strictly between where G started and where it is now.
        var ema = trainer.AveragedG!.Parameters().Select(p => p.ToArray()).ToList();
        Assert.All(ema.Zip(trainer.G.Parameters().Select(p => p.ToArray())), p => Assert.NotEqual(p.First, p.Second));
        Assert.All(ema.Zip(g0), p => Assert.NotEqual(p.First, p.Second));

        SmokeTests.AssertPng(Path.Combine(dir.Path, "samples_epoch_002.png"), 8 * 34 + 2, 8 * 34 + 2);
        SmokeTests.AssertPng(Path.Combine(dir.Path, "samples_final.png"), 8 * 34 + 2, 8 * 34 + 2);
        var file = Safetensors.LoadFile(trainer.CheckpointPath);
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("Gema.module.main.0.weight"));
        Assert.Contains("augment_rng_state", file.Metadata.Keys);
    }

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

    [Theory]
    [InlineData(LossMode.Hinge)]
    [InlineData(LossMode.WganGp)]
    public void Resume_OnePlusOneEpochs_EqualsTwoStraight_Bitwise(LossMode loss)
    {
        using var dir = new TempDir();
        string straight = Path.Combine(dir.Path, "straight"), split = Path.Combine(dir.Path, "split");
        var config = TinyRuns.Modern(loss, epochs: 2, steps: 3);
        Commands.Train(config, straight, false, null, evaluate: false, new SilentProgress());
        Commands.Train(config with { Epochs = 1 }, split, false, null, evaluate: false, new SilentProgress());
        Commands.Train(config with { Epochs = 1 }, split, resume: true, epochsOverride: 2, evaluate: false, new SilentProgress());
        TinyRuns.AssertSameCheckpoint(Path.Combine(straight, "checkpoint.safetensors"), Path.Combine(split, "checkpoint.safetensors"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "samples_final.png")), File.ReadAllBytes(Path.Combine(split, "samples_final.png")));
    }

    [Fact]
    public void SameSeed_GivesBitwiseIdenticalWeights_ForOneAndTwoThreads()
    {
        using var dir = new TempDir();
        int saved = Torch.GetNumThreads();
        var config = TinyRuns.Modern(LossMode.Hinge, UpsampleMode.Resize, epochs: 1, steps: 2) with { Model = new ModelConfig(8, 8, 8), BatchSize = 16 };
        try
        {
            Torch.SetNumThreads(1);
            Commands.Train(config, Path.Combine(dir.Path, "one"), false, null, evaluate: false, new SilentProgress());
            Torch.SetNumThreads(2);
            Commands.Train(config, Path.Combine(dir.Path, "two"), false, null, evaluate: false, new SilentProgress());
        }
        finally { Torch.SetNumThreads(saved); }
        TinyRuns.AssertSameCheckpoint(Path.Combine(dir.Path, "one", "checkpoint.safetensors"), Path.Combine(dir.Path, "two", "checkpoint.safetensors"));
    }
}
