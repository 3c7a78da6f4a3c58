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

    /// <summary>Every tensor of a safetensors checkpoint as raw float bits, for bitwise comparison.</summary>
    public static Dictionary<string, int[]> Bits(string checkpoint)
    {
        var file = MiniTorch.IO.Safetensors.LoadFile(checkpoint);
        return file.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());
    }
}
