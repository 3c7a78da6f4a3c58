using System.Buffers.Binary;
using System.Xml.Linq;
using Dcgan.Cli;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch.IO;

namespace MiniTorch.Examples.Tests.Training;

[Collection("training")]
public class SmokeTests
{
    public static TheoryData<Recipe, LossMode, UpsampleMode> Modes => new()
    {
        { Recipe.Dcgan, LossMode.Bce, UpsampleMode.Transposed },
        { Recipe.Dcgan, LossMode.Bce, UpsampleMode.Resize },
        { Recipe.Dcgan, LossMode.WganGp, UpsampleMode.Transposed },
        { Recipe.Dcgan, LossMode.WganGp, UpsampleMode.Resize },
        { Recipe.Modern, LossMode.Hinge, UpsampleMode.Transposed },
        { Recipe.Modern, LossMode.Bce, UpsampleMode.Resize },
        { Recipe.Modern, LossMode.WganGp, UpsampleMode.Transposed },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Train_FewSteps_LossesFinite_WeightsChange_OutputsValid(Recipe recipe, LossMode loss, UpsampleMode upsample)
    {
        using var dir = new TempDir();
        var config = TinyRuns.For(recipe, loss, upsample, epochs: 2, steps: 2);
        var trainer = new GanTrainer(config, Commands.LoadData(config), dir.Path);
        Assert.Equal(recipe == Recipe.Modern, trainer.D is ModernDiscriminator);
        Assert.Equal(recipe == Recipe.Modern, trainer.Ema is not null);
        var g0 = trainer.G.Parameters().Select(p => p.ToArray()).ToList();
        // The Wasserstein loss does not depend on the modern critic's logit bias (it cancels between real and fake).
        string logitBias = trainer.D.NamedParameters().LastOrDefault(p => p.Name.EndsWith("bias")).Name ?? "";
        var trained = trainer.D.NamedParameters().Where(p => !(loss == LossMode.WganGp && p.Name == logitBias)).Select(p => p.Parameter).ToList();
        var d0 = trained.Select(p => p.ToArray()).ToList();

        Assert.Equal(TrainOutcome.Completed, trainer.Train());

        Assert.Equal(4, trainer.History.LossD.Count);
        Assert.All(trainer.History.LossD, v => Assert.True(double.IsFinite(v)));
        Assert.All(trainer.History.LossG.Skip(loss == LossMode.WganGp ? config.NCritic - 1 : 0), v => Assert.True(double.IsFinite(v)));
        Assert.All(trainer.G.Parameters().Zip(g0), p => Assert.NotEqual(p.Second, p.First.ToArray()));
        Assert.All(trained.Zip(d0), p => Assert.NotEqual(p.Second, p.First.ToArray()));
        if (trainer.AveragedG is { } averaged)
        {
            // The average lies strictly between where G started and where it is now.
            var ema = averaged.Parameters().Select(p => p.ToArray()).ToList();
            Assert.All(ema.Zip(trainer.G.Parameters().Select(p => p.ToArray())), p => Assert.NotEqual(p.First, p.Second));
            Assert.All(ema.Zip(g0), p => Assert.NotEqual(p.First, p.Second));
        }

        AssertPng(Path.Combine(dir.Path, "samples_epoch_002.png"), 8 * 34 + 2, 8 * 34 + 2);
        AssertPng(Path.Combine(dir.Path, "samples_final.png"), 8 * 34 + 2, 8 * 34 + 2);
        var file = Safetensors.LoadFile(trainer.CheckpointPath);
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("G.main.0.weight"));
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("optD."));
        Assert.Equal(recipe == Recipe.Modern, file.Tensors.Keys.Any(k => k.StartsWith("Gema.module.main.0.weight")));
        Assert.Equal(recipe == Recipe.Modern, file.Metadata.ContainsKey("augment_rng_state"));
        Assert.Equal("2", file.Metadata["epoch"]);
        XDocument.Load(Path.Combine(dir.Path, "losses.svg"));
    }

    [Fact]
    public void Commands_TrainSampleWalk_WriteValidFiles()
    {
        using var dir = new TempDir();
        var run = Path.Combine(dir.Path, "run");
        Commands.Train(TinyRuns.Config(), run, resume: false, epochsOverride: null, evaluate: false, new SilentProgress());
        var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(2, metrics.RootElement.GetProperty("steps").GetInt32());
        Assert.Equal("bce", metrics.RootElement.GetProperty("config").GetProperty("loss").GetString());

        var checkpoint = Path.Combine(run, "checkpoint.safetensors");
        Commands.Sample(checkpoint, 6, dir.File("grid.png"), seed: 1, nrow: 3);
        AssertPng(dir.File("grid.png"), 3 * 34 + 2, 2 * 34 + 2);
        Commands.Walk(checkpoint, rows: 2, steps: 5, dir.File("walk.png"), seed: 1);
        AssertPng(dir.File("walk.png"), 5 * 34 + 2, 2 * 34 + 2);
    }

    [Fact]
    public void Cli_BadInput_ExitsWithCode2()
    {
        using var dir = new TempDir();
        var saved = Console.Error;
        Console.SetError(TextWriter.Null);
        try
        {
            Assert.Equal(DcganCli.BadInput, DcganCli.Run(["--data", "mnist:" + dir.File("nope"), "--runs", dir.Path, "--no-eval"]));
            Assert.Equal(DcganCli.BadInput, DcganCli.Run(["--data", "folder:" + dir.Path, "--runs", dir.Path, "--no-eval"]));
            Assert.Equal(DcganCli.BadInput, DcganCli.Run(["sample", "--checkpoint", dir.File("missing.safetensors")]));
            File.WriteAllBytes(dir.File("junk.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
            Assert.Equal(DcganCli.BadInput, DcganCli.Run(["sample", "--checkpoint", dir.File("junk.safetensors")]));
            Assert.Equal(DcganCli.BadInput, DcganCli.Run(["--resume", "--runs", dir.Path, "--name", "none"]));
        }
        finally { Console.SetError(saved); }
    }

    /// <summary>Checks the PNG signature and the IHDR chunk's size.</summary>
    internal static void AssertPng(string path, int width, int height)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
