using Dcgan.Models;
using Dcgan.Training;

namespace MiniTorch.Examples.Tests.Training;

/// <summary>Configurations small enough to train in well under a second per step.</summary>
public static class TinyRuns
{
    public static TrainConfig Config(LossMode loss = LossMode.Bce, UpsampleMode upsample = UpsampleMode.Transposed, int epochs = 1, int steps = 2) => new()
    {
        Data = "shapes",
        DataCount = 64,
        Epochs = epochs,
        BatchSize = 8,
        Model = new ModelConfig(Nz: 8, Ngf: 4, Ndf: 4),
        Loss = loss,
        Upsample = upsample,
        Seed = 7,
        NCritic = 2,
        MaxStepsPerEpoch = steps,
    };

    /// <summary>
    /// A tiny modern-recipe configuration with every optional piece switched on (spectral norm,
    /// EMA, DiffAugment, lazy R1 every other step, minibatch standard deviation).
    /// </summary>
    public static TrainConfig Modern(LossMode loss = LossMode.Hinge, UpsampleMode upsample = UpsampleMode.Transposed, int epochs = 1, int steps = 2) =>
        Config(loss, upsample, epochs, steps) with
        {
            Recipe = Recipe.Modern,
            Modern = new ModernSettings
            {
                SpectralNorm = true, EmaDecay = 0.9, Augment = "color,translation,cutout", R1Gamma = 1, R1Every = 2, MinibatchStd = 4,
                LrG = 1e-3, LrD = 2e-3, Beta1 = 0, Beta2 = 0.99,
            },
        };

    /// <summary>The tiny configuration of <paramref name="recipe"/>: <see cref="Config"/> or <see cref="Modern"/>.</summary>
    public static TrainConfig For(Recipe recipe, LossMode loss, UpsampleMode upsample = UpsampleMode.Transposed, int epochs = 1, int steps = 2) =>
        recipe == Recipe.Modern ? Modern(loss, upsample, epochs, steps) : Config(loss, upsample, epochs, steps);

    /// <summary>Every tensor of a safetensors checkpoint as raw float bits, for bitwise comparison.</summary>
    public static Dictionary<string, int[]> Bits(string checkpoint)
    {
        var file = MiniTorch.IO.Safetensors.LoadFile(checkpoint);
        return file.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());
    }

    /// <summary>Asserts two checkpoints hold bitwise the same tensors and the same training position and random state.</summary>
    public static void AssertSameCheckpoint(string a, string b)
    {
        var x = Bits(a);
        var y = Bits(b);
        Assert.Equal(x.Keys.Order(), y.Keys.Order());
        foreach (var k in x.Keys) Assert.True(x[k].SequenceEqual(y[k]), $"tensor {k} differs");
        var mx = MiniTorch.IO.Safetensors.LoadFile(a).Metadata;
        var my = MiniTorch.IO.Safetensors.LoadFile(b).Metadata;
        // Everything but the history, whose epoch timings differ between runs.
        foreach (var key in new[] { "epoch", "step_in_epoch", "global_step", "rng_state", "last_loss_g", "augment_rng_state" })
        {
            Assert.Equal(mx.ContainsKey(key), my.ContainsKey(key));
            if (mx.ContainsKey(key)) Assert.Equal(mx[key], my[key]);
        }
    }
}
