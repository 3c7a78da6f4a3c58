using Dcgan.Cli;
using Dcgan.Data;
using Dcgan.Models;
using Dcgan.Training;

namespace MiniTorch.Examples.Tests.Training;

public class CliTests
{
    [Fact]
    public void RecipeDcgan_IsExactlyTheOriginalConfiguration()
    {
        Assert.Equal(new TrainConfig(), DcganCli.ParseTrainConfig("--recipe", "dcgan"));
        Assert.Equal(new TrainConfig { Loss = LossMode.WganGp, Upsample = UpsampleMode.Resize },
                     DcganCli.ParseTrainConfig("--recipe", "dcgan", "--loss", "wgan-gp", "--upsample", "resize"));
    }

    [Fact]
    public void NoArguments_GiveTheModernRecipe_AndOptionsOverrideIt()
    {
        var config = DcganCli.ParseTrainConfig();
        Assert.Equal(Defaults.For(Recipe.Modern), config);
        Assert.Equal(Recipe.Modern, config.Recipe);
        var tuned = DcganCli.ParseTrainConfig("--loss", "bce", "--upsample", "resize", "--ema", "0", "--augment", "translation,cutout", "--lr-d", "4e-4", "--time-budget", "30");
        Assert.Equal((LossMode.Bce, UpsampleMode.Resize), (tuned.Loss, tuned.Upsample));
        Assert.Null(tuned.Modern.EmaDecay);
        Assert.Equal("translation,cutout", tuned.Modern.Augment);
        Assert.Equal(4e-4, tuned.Modern.LrD);
        Assert.Equal(config.Modern.LrG, tuned.Modern.LrG);
        Assert.Equal(30, tuned.TimeBudget);
        Assert.Equal(int.MaxValue, tuned.Epochs); // a budget without --epochs trains until it is spent
        // A budget brings the learning-rate cooldown over its last quarter; --cooldown overrides it, and without a
        // budget the rates stay constant unless --cooldown asks.
        Assert.Equal(0.0, config.Modern.Cooldown);
        Assert.Equal(ModernSettings.BudgetCooldown, tuned.Modern.Cooldown);
        Assert.Equal(0.5, DcganCli.ParseTrainConfig("--time-budget", "30", "--cooldown", "0.5").Modern.Cooldown);
        Assert.Equal(0.0, DcganCli.ParseTrainConfig("--time-budget", "30", "--cooldown", "0").Modern.Cooldown);
        Assert.Equal(1.0, DcganCli.ParseTrainConfig("--cooldown", "1").Modern.Cooldown);
    }

    [Theory]
    [InlineData("--augment", "blur", "--augment")]
    [InlineData("--time-budget", "0", "--time-budget")]
    [InlineData("--ema", "1", "--ema")]
    [InlineData("--cooldown", "1.5", "--cooldown")]
    [InlineData("--cooldown", "-0.1", "--cooldown")]
    [InlineData("--r1", "-1", "--r1")]
    [InlineData("--loss", "lsgan", "'lsgan'")]
    // Absurd sizes are refused by TrainConfig.Validate before anything is built.
    [InlineData("--ngf", "1000000000", "ngf is 1000000000")]
    [InlineData("--nz", "5000", "nz is 5000")]
    [InlineData("--batch-size", "100000", "batch_size is 100000")]
    [InlineData("--pack", "3", "not divisible by pack 3")]
    public void BadOptions_AreRejectedWithAMessageNamingThem(string option, string value, string named)
    {
        var e = Assert.Throws<DataException>(() => DcganCli.ParseTrainConfig(option, value));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void HingeLoss_NeedsTheModernRecipe()
    {
        using var dir = new TempDir();
        var config = DcganCli.ParseTrainConfig("--recipe", "dcgan", "--loss", "hinge") with { DataCount = 64 };
        var e = Assert.Throws<DataException>(() => new GanTrainer(config, Commands.LoadData(config), dir.Path));
        Assert.Contains("--recipe modern", e.Message);
    }
}
