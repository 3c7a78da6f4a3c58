using System.Text.Json;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Training;

/// <summary>
/// Float64 DCGAN training (<see cref="TinyGan"/>: both convolutions, batch norm + ReLU/LeakyReLU,
/// BCE with logits, Adam) against PyTorch 1.13 step by step (Golden/Training/gen_training.py):
/// losses, parameters, running statistics within 1e-9 after each of five steps, with and without memory scopes.
/// </summary>
public class TrainingGoldenTests
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Training", "training.json"))));

    private static void Load(TinyGan gan, JsonElement state)
    {
        foreach (var (module, prefix) in new[] { (gan.G, "G."), (gan.D, "D.") })
        {
            var dict = new Dictionary<string, Tensor>();
            foreach (var p in state.EnumerateObject())
                if (p.Name.StartsWith(prefix, StringComparison.Ordinal)) dict[p.Name[prefix.Length..]] = T(p.Value);
            module.LoadStateDict(dict);
        }
    }

    private static void AssertState(TinyGan gan, JsonElement state, string what)
    {
        var mine = new Dictionary<string, Tensor>();
        foreach (var (k, v) in gan.G.StateDict()) mine["G." + k] = v;
        foreach (var (k, v) in gan.D.StateDict()) mine["D." + k] = v;
        int n = 0;
        foreach (var p in state.EnumerateObject())
        {
            Close(D(p.Value), mine[p.Name], 1e-9, 1e-9, $"{what} {p.Name}");
            n++;
        }
        Assert.Equal(mine.Count, n);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float64Training_FiveSteps_MatchesPyTorchTo1e9(bool inScopes)
    {
        var root = Doc.Value.RootElement;
        var gan = new TinyGan(dtype: DType.Float64) { Real = T(root.GetProperty("real")) };
        Load(gan, root.GetProperty("initial"));
        int step = 0;
        foreach (var s in root.GetProperty("steps").EnumerateArray())
        {
            step++;
            var z = T(s.GetProperty("z"));
            (double LossD, double LossG) losses;
            if (inScopes) using (Torch.MemoryScope()) losses = gan.Step(z);
            else losses = gan.Step(z);
            Assert.Equal(s.GetProperty("loss_d").GetDouble(), losses.LossD, 1e-9);
            Assert.Equal(s.GetProperty("loss_g").GetDouble(), losses.LossG, 1e-9);
            AssertState(gan, s.GetProperty("state"), $"step {step}");
        }
        Assert.Equal(5, step);
    }
}
