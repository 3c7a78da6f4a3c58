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
    public static TheoryData<LossMode, UpsampleMode> Modes => new()
    {
        { LossMode.Bce, UpsampleMode.Transposed },
        { LossMode.Bce, UpsampleMode.Resize },
        { LossMode.WganGp, UpsampleMode.Transposed },
        { LossMode.WganGp, UpsampleMode.Resize },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Train_FewSteps_LossesFinite_WeightsChange_OutputsValid(LossMode loss, UpsampleMode upsample)
    {
        using var dir = new TempDir();
        var config = TinyRuns.Config(loss, upsample);
        var trainer = new GanTrainer(config, Commands.LoadData(config), dir.Path);
        var g0 = trainer.G.Parameters().Select(p => p.ToArray()).ToList();
        var d0 = trainer.D.Parameters().Select(p => p.ToArray()).ToList();

        Assert.Equal(TrainOutcome.Completed, trainer.Train());

        Assert.Equal(2, trainer.History.LossD.Count);
        Assert.All(trainer.History.LossD, v => Assert.True(double.IsFinite(v)));
        Assert.All(trainer.History.LossG.Skip(1), v => Assert.True(double.IsFinite(v)));
        Assert.All(trainer.G.Parameters().Zip(g0), p => Assert.NotEqual(p.Second, p.First.ToArray()));
        Assert.All(trainer.D.Parameters().Zip(d0), p => Assert.NotEqual(p.Second, p.First.ToArray()));

        AssertPng(Path.Combine(dir.Path, "samples_epoch_001.png"), 8 * 34 + 2, 8 * 34 + 2);
        var file = Safetensors.LoadFile(trainer.CheckpointPath);
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("G.main.0.weight"));
        Assert.Contains(file.Tensors.Keys, k => k.StartsWith("optD."));
        Assert.Equal("1", file.Metadata["epoch"]);
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
