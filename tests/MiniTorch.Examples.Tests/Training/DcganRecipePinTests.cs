using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Dcgan.Cli;
using Dcgan.Models;
using Dcgan.Training;

namespace MiniTorch.Examples.Tests.Training;

/// <summary>
/// Pins the original DCGAN recipe (<c>--recipe dcgan</c>, the default before the modern recipe) to
/// the exact weights it produced before the modern recipe was added: a SHA-256 over G, D, both Adam
/// states and the per-step losses after a few steps. The BCE hashes (the recipe itself, at the
/// README's sizes and tiny) were taken from the code at commit 8254fd8, before any recipe change,
/// on each of the kernels' three paths, which sum in different orders. The WGAN-GP hashes
/// (<c>--loss wgan-gp</c>) were taken again when the example's own gradient penalty gave way to the
/// library's <see cref="MiniTorch.Nn.GradientPenalty.Wgan(System.Func{Tensor, Tensor}, Tensor, Tensor, Generator?, double, MiniTorch.Nn.Reduction)"/>:
/// the example computed the norm as √(s + 10⁻¹²), the library as √max(s, smallest normal), which
/// differ in float32 when a freshly initialised critic's input gradients are tiny (s below about 10⁻⁵).
/// A failure means the <c>dcgan</c> recipe no longer trains as it did; if a library change
/// deliberately altered a kernel's summation order, the message gives the new hash.
/// </summary>
[Collection("training")]
public class DcganRecipePinTests
{
    /// <summary>The kernels' SIMD path, which decides their summation order.</summary>
    private static string SimdPath => Vector512.IsHardwareAccelerated ? "v512" : Vector256.IsHardwareAccelerated ? "v256" : "scalar";

    private static readonly Dictionary<string, Dictionary<string, string>> Pinned = new()
    {
        ["v512"] = new()
        {
            ["default-size"] = "8e80461dbae836e29902359969f33d52f903a919b32fb696875fe7e5d1fe36df",
            ["tiny-bce-transposed"] = "258a7241854385fa16140f418f8598fb173c71f40c2ddc7635ebf64dd0b80482",
            ["tiny-bce-resize"] = "1f038c937182a80c43050e292586a939c1825d0282bb1952cfb11ff6598105c0",
            ["tiny-wgan-gp-transposed"] = "4d258d553f2113be39a6710c374632fa38e5035439b2f396672c35d2c3550c50",
            ["tiny-wgan-gp-resize"] = "adff85f665c1408103de7b9e46605a884097dee40fd669368c966fd6d6a3983a",
        },
        ["v256"] = new()
        {
            ["default-size"] = "091410bce670bebb4a762f501cf3bb243d5a9793c7ff58a0cb1cb8319020f0d5",
            ["tiny-bce-transposed"] = "19cf1dfb4c3ff00f7e01b1032e6ee83c074d9a2c6311667ad1294c961e29cc3f",
            ["tiny-bce-resize"] = "316bf80a36ecc75f59403fcaec1bce2bec573b6fc2cf2cad687c9e739ba11735",
            ["tiny-wgan-gp-transposed"] = "b3e2a93c33c4f49defb989bb0883035856e6e68d5724777c7d7fc1f1f8b7fdb8",
            ["tiny-wgan-gp-resize"] = "a6ac3da23975ab5a80b5a8f30f6dc63f69034878c675a71f3eae64d56b593564",
        },
        ["scalar"] = new()
        {
            ["default-size"] = "7bcbf971625b3ed0180d484b59bf114eecc97dba296bd45e04d8e578b263e637",
            ["tiny-bce-transposed"] = "a61e09ed2eeaa1e099349829aff4a0a17e54c7e210182c316bc7542092306405",
            ["tiny-bce-resize"] = "0552b73b08a410e12339527ed941f7ed1ea8cf05e9cdb03be871e0431b5f905c",
            ["tiny-wgan-gp-transposed"] = "b71790141f2ad74ecdd702471d2c1c00b2ebdbfaea644f8d8ae22686e19863d4",
            ["tiny-wgan-gp-resize"] = "c15c2949c8c129f75bcce595428ec6334898a43fe8c8396c92317264f5bdff40",
        },
    };

    /// <summary>SHA-256 over every state tensor's bits (in name order) and the loss history.</summary>
    internal static string Hash(GanTrainer t)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string prefix, OrderedDictionary<string, Tensor> state)
        {
            foreach (var (k, v) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes(prefix + k));
                foreach (var x in v.ToDoubleArray()) sha.AppendData(BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(x)));
            }
        }
        Add("G.", t.G.StateDict());
        Add("D.", t.D.StateDict());
        Add("optG.", t.OptG.StateDict());
        Add("optD.", t.OptD.StateDict());
        foreach (var series in new[] { t.History.LossD, t.History.LossG, t.History.DReal, t.History.DFake })
            foreach (var x in series) sha.AppendData(BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(x)));
        return Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant();
    }

    public static TheoryData<string> Cases => new() { "default-size", "tiny-bce-transposed", "tiny-bce-resize", "tiny-wgan-gp-transposed", "tiny-wgan-gp-resize" };

    internal static TrainConfig CaseConfig(string name) => name switch
    {
        // The README's defaults (nz 64, ngf 32, ndf 16, batch 64), three steps on a smaller data set.
        "default-size" => new TrainConfig { DataCount = 256, Epochs = 1, MaxStepsPerEpoch = 3 },
        "tiny-bce-transposed" => TinyRuns.Config(LossMode.Bce, UpsampleMode.Transposed, epochs: 2, steps: 2),
        "tiny-bce-resize" => TinyRuns.Config(LossMode.Bce, UpsampleMode.Resize, epochs: 2, steps: 2),
        "tiny-wgan-gp-transposed" => TinyRuns.Config(LossMode.WganGp, UpsampleMode.Transposed, epochs: 2, steps: 2),
        "tiny-wgan-gp-resize" => TinyRuns.Config(LossMode.WganGp, UpsampleMode.Resize, epochs: 2, steps: 2),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DcganRecipe_TrainsBitwiseAsBefore(string name)
    {
        using var dir = new TempDir();
        var config = CaseConfig(name);
        var trainer = new GanTrainer(config, Commands.LoadData(config), dir.Path);
        Assert.Equal(TrainOutcome.Completed, trainer.Train());
        string hash = Hash(trainer);
        Assert.True(Pinned[SimdPath].TryGetValue(name, out var expected), $"no pinned hash for {name} on the {SimdPath} path; this run gives {hash}");
        Assert.True(expected == hash, $"the dcgan recipe's {name} run on the {SimdPath} path gives {hash}, pinned {expected}");
    }
}
