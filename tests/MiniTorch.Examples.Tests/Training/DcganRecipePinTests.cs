using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Dcgan.Cli;
using Dcgan.Models;
using Dcgan.Training;

namespace MiniTorch.Examples.Tests.Training;

/// <summary>
/// Pins the original DCGAN recipe (<c>--recipe dcgan</c>, the default before the modern recipe) to
/// the exact weights it produced before the modern recipe was added: a SHA-256 over G, D, both Adam
/// states and the per-step losses after a few steps. The hashes were taken from the code at commit
/// 8254fd8 (before any recipe change) on each of the kernels' three paths, which sum in different
/// orders. A failure means the <c>dcgan</c> recipe no longer trains as it did; if a library change
/// deliberately altered a kernel's summation order, the message gives the new hash. The three BCE
/// runs were re-pinned when binary cross-entropy with logits became one fused op with PyTorch's
/// gradient formula, (σ(x) − t)·g/N, in place of the gradient of the composite formula; with the
/// composite restored they give the old hashes (the fused batch norm + activation, the one-pass Adam
/// and the memory scope around each step are bitwise the previous code).
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
            ["default-size"] = "cb81b7d79d5fb3b3bcea372cac35a1104e145488a139726283d166224846f305",
            ["tiny-bce-transposed"] = "3f39b762cd986c4534955367ed24ac93a9f508a9c1b468f559c9a0bb1fdb56b0",
            ["tiny-bce-resize"] = "c7821a0229584f2f97ea1447449efe94054cbb58cc96e3a82b252d9ce284b649",
            ["tiny-wgan-gp-transposed"] = "5cf0437f44e7ba760da10f5af888bbc458c03a4e1e9d358e0b63b61b7e734ec6",
            ["tiny-wgan-gp-resize"] = "361e8808e785c843076fe1ea3e926d3d3654f6259ba62632de341c6c6a6a8dd1",
        },
        ["v256"] = new()
        {
            ["default-size"] = "1a2db37cecccf0a273ad334a24df886ce55df67bf62c2fd1322323546cdb4966",
            ["tiny-bce-transposed"] = "8b7a040473ac48dc8da429b4dd5b56fbe7791745a6d76f87a41455624576e21a",
            ["tiny-bce-resize"] = "7dfa55cb5e48427047af0bb88a00f427bf706bd0d6dcc49c45045dd6ba0070d2",
            ["tiny-wgan-gp-transposed"] = "f7300122a5852fb26743dca8433e9147b438fa84d61e3b7feab434887022ccc7",
            ["tiny-wgan-gp-resize"] = "83d49d53c8b0203f7d1b5cbd0e51049ae82e5232445f5e0e1c2fa917dc000f14",
        },
        ["scalar"] = new()
        {
            ["default-size"] = "bcd85cbf6b561ec2fc619cc3487b0469dd6f2ca7060cb1d05a955e2d46ce18df",
            ["tiny-bce-transposed"] = "5ab244988f5eb2695d354bc25b27ec1ed35ea1006071423378bbca960a535aa2",
            ["tiny-bce-resize"] = "a0c933a462e1ad28bfda7a01b49cbbccd19e17b8124ce8d9aa3308cfdbf128b4",
            ["tiny-wgan-gp-transposed"] = "62c250d051921ed61644f47a397dbec903f047207a16909a1f0c289c9e5fde8f",
            ["tiny-wgan-gp-resize"] = "8b84cb99082de84e574cda7ed7262f84c619af48b3fafe07c67046c0b0bbaa24",
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
