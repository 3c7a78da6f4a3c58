using System.Text.Json;
using Dcgan.Cli;
using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;
using MiniTorch.IO;

namespace MiniTorch.Examples.Tests.Training;

/// <summary>An absurd configuration in a checkpoint is refused before anything is built from it (the command line's cases are in <see cref="CliTests"/>).</summary>
public class ConfigValidationTests
{
    public static TheoryData<string, TrainConfig> Absurd => new()
    {
        { "ngf is 1000000000", new TrainConfig { Model = new ModelConfig(Ngf: 1_000_000_000) } },
        { "ndf is -16", new TrainConfig { Model = new ModelConfig(Ndf: -16) } },
        { "nz is 0", new TrainConfig { Model = new ModelConfig(Nz: 0) } },
        { "nc (the images are grayscale) is 3", new TrainConfig { Model = new ModelConfig(Nc: 3) } },
        { "batch_size is -64", new TrainConfig { BatchSize = -64 } },
        { "data_count is 2147483647", new TrainConfig { DataCount = int.MaxValue } },
        { "epochs is 0", new TrainConfig { Epochs = 0 } },
        { "learning_rate is -0.1", new TrainConfig { LearningRate = -0.1 } },
        { "ema_decay is 1.5", new TrainConfig { Recipe = Recipe.Modern, Modern = new ModernSettings { EmaDecay = 1.5 } } },
        { "cooldown is 2", new TrainConfig { Recipe = Recipe.Modern, Modern = new ModernSettings { Cooldown = 2 } } },
        { "batch_size 64 is not divisible by pack 3", new TrainConfig { Recipe = Recipe.Modern, Modern = new ModernSettings { Pack = 3 } } },
        { "augment 'blur'", new TrainConfig { Recipe = Recipe.Modern, Modern = new ModernSettings { Augment = "blur" } } },
        { "recipe 7 is not a recipe", new TrainConfig { Recipe = (Recipe)7 } },
    };

    [Theory]
    [MemberData(nameof(Absurd))]
    public void Resume_OfACheckpointWithAnAbsurdConfig_IsRefused_BeforeAllocating(string named, TrainConfig config)
    {
        using var dir = new TempDir();
        string path = dir.File("checkpoint.safetensors");
        // A checkpoint of this program whose configuration parses but asks for the absurd.
        Safetensors.Save(new Dictionary<string, Tensor>(), path, new Dictionary<string, string>
        {
            ["format"] = "minitorch-dcgan/1",
            ["config"] = JsonSerializer.Serialize(config, ConfigJson.Options),
        });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DataException>(() => Commands.Train(new TrainConfig(), dir.Path, resume: true, null, false, new SilentProgress()));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains($"checkpoint '{path}': implausible configuration: {named}", e.Message);
        // ngf 10⁹ would need petabytes; refusing it costs only the file's few hundred bytes and the message.
        Assert.True(allocated < 4 << 20, $"allocated {allocated} bytes before refusing");
        // sample, walk and eval read the configuration the same way.
        Assert.Contains("implausible configuration", Assert.Throws<DataException>(() => Commands.Sample(path, 4, dir.File("s.png"), 0)).Message);
        Assert.Contains("implausible configuration", Assert.Throws<DataException>(() => Commands.Eval(path, 8, null, new SilentProgress())).Message);
    }

    [Fact]
    public void EveryRecipeDefault_IsPlausible()
    {
        var modern = Defaults.For(Recipe.Modern);
        Assert.Same(modern, modern.Validate());
        var dcgan = Defaults.For(Recipe.Dcgan);
        Assert.Same(dcgan, dcgan.Validate());
        Assert.Throws<DataException>(() => DataSource.Load($"shapes:{TrainConfig.MaxDataCount + 1}", 64, 0));
    }
}
