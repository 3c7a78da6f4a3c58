using Dcgan.Cli;
using Dcgan.Models;
using Dcgan.Training;

namespace MiniTorch.Examples.Tests.Training;

[Collection("training")]
public class ResumeTests
{
    [Theory]
    [InlineData(Recipe.Dcgan, LossMode.Bce)]
    [InlineData(Recipe.Dcgan, LossMode.WganGp)]
    [InlineData(Recipe.Modern, LossMode.Hinge)]
    [InlineData(Recipe.Modern, LossMode.WganGp)]
    public void Resume_OnePlusOneEpochs_EqualsTwoStraight_Bitwise(Recipe recipe, LossMode loss)
    {
        using var dir = new TempDir();
        string straight = Path.Combine(dir.Path, "straight"), split = Path.Combine(dir.Path, "split");
        var config = TinyRuns.For(recipe, loss, epochs: 2, steps: 3);
        Commands.Train(config, straight, false, null, evaluate: false, new SilentProgress());
        Commands.Train(config with { Epochs = 1 }, split, false, null, evaluate: false, new SilentProgress());
        Commands.Train(config with { Epochs = 1 }, split, resume: true, epochsOverride: 2, evaluate: false, new SilentProgress());
        TinyRuns.AssertSameCheckpoint(Path.Combine(straight, "checkpoint.safetensors"), Path.Combine(split, "checkpoint.safetensors"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "samples_final.png")), File.ReadAllBytes(Path.Combine(split, "samples_final.png")));
    }

    /// <summary>Cancels the run after a given number of steps, as Ctrl+C does.</summary>
    private sealed class CancelAfter(int steps, CancellationTokenSource cts) : IProgressSink
    {
        private int _seen;
        public void EpochStarted(int epoch, int totalEpochs, int steps, int startStep) { }
        public void Step(StepStats stats) { if (++_seen == steps) cts.Cancel(); }
        public void EpochEnded(int epoch, TimeSpan elapsed, bool completed) { }
        public void Log(string message) { }
    }

    [Theory]
    [InlineData(Recipe.Dcgan, LossMode.Bce)]
    [InlineData(Recipe.Modern, LossMode.Hinge)]
    public void Interrupt_MidEpoch_WritesCheckpoint_AndResumeMatchesStraightRun(Recipe recipe, LossMode loss)
    {
        using var dir = new TempDir();
        string straight = Path.Combine(dir.Path, "straight"), split = Path.Combine(dir.Path, "split");
        var config = TinyRuns.For(recipe, loss, epochs: 2, steps: 3);
        Commands.Train(config, straight, false, null, evaluate: false, new SilentProgress());
        using var cts = new CancellationTokenSource();
        var (trainer, outcome) = Commands.Train(config, split, false, null, evaluate: false, new CancelAfter(4, cts), cancel: cts.Token);
        Assert.Equal(TrainOutcome.Interrupted, outcome);
        Assert.Equal((1, 1), (trainer.Epoch, trainer.StepInEpoch));
        Assert.False(File.Exists(Path.Combine(split, "metrics.json")));
        Commands.Train(config, split, resume: true, epochsOverride: null, evaluate: false, new SilentProgress());
        TinyRuns.AssertSameCheckpoint(Path.Combine(straight, "checkpoint.safetensors"), Path.Combine(split, "checkpoint.safetensors"));
    }

    [Theory]
    [InlineData(Recipe.Dcgan, LossMode.WganGp)]
    [InlineData(Recipe.Modern, LossMode.Hinge)]
    public void SameSeed_GivesBitwiseIdenticalWeights_ForOneAndTwoThreads(Recipe recipe, LossMode loss)
    {
        using var dir = new TempDir();
        int saved = Torch.GetNumThreads();
        var config = TinyRuns.For(recipe, loss, UpsampleMode.Resize, epochs: 1, steps: 2) with { Model = new ModelConfig(8, 8, 8), BatchSize = 16 };
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
