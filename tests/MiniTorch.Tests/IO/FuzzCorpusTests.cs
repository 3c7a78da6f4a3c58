using System.Runtime.CompilerServices;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Replays what the coverage-guided fuzzers (fuzz/README.md) committed: the minimized corpus of every
/// library target (fuzz/corpus/TARGET) and every input that once crashed or hung a reader
/// (fuzz/crashes/TARGET). Each input must give a tensor or an InvalidDataException, within the hostile
/// corpus's bounds (2 s of CPU time, 256 MiB of allocation), with the fuzzers' tight budgets.
/// </summary>
[Collection(nameof(HostileCorpusTests))]
public class FuzzCorpusTests
{
    private static string FuzzDir([CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", "..", "..", "fuzz"));

    // The budgets of fuzz/MiniTorch.Fuzz/Program.cs.
    private static readonly ReadLimits Limits = new() { MaxPixels = 1 << 22, MaxBytes = 64 << 20 };

    private sealed class Kernel : Module
    {
        public Kernel() => RegisterParameter("w", Torch.Zeros(1, 1, 3, 3));
        public override Tensor Forward(Tensor input) => input;
    }

    /// <summary>The library's fuzz targets (the IDX ones are replayed by MiniTorch.Examples.Tests).</summary>
    private static void Read(string target, string path)
    {
        switch (target)
        {
            case "png": Png.Decode(ReaderFuzzTests.FixCrcs(File.ReadAllBytes(path)), Limits); break; // as the target: CRCs repaired
            case "pgm": Pgm.Decode(File.ReadAllBytes(path), Limits); break;
            case "image": ImageIO.Decode(File.ReadAllBytes(path), Limits); break;
            case "npy": Npy.Load(new MemoryStream(File.ReadAllBytes(path)), Limits); break;
            case "safetensors": Safetensors.LoadFile(new MemoryStream(File.ReadAllBytes(path)), Limits); break;
            case "txt":
                string dir = Directory.CreateTempSubdirectory("mt_fuzz_txt_").FullName;
                try
                {
                    File.Copy(path, Path.Combine(dir, "k0_0.txt"));
                    new Kernel().LoadTxtKernels("w", dir, "k{0}_{1}.txt");
                }
                finally { Directory.Delete(dir, true); }
                break;
            default: throw new ArgumentException(target);
        }
    }

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "crashes" })
            foreach (var target in new[] { "png", "pgm", "image", "npy", "safetensors", "txt" })
            {
                string dir = Path.Combine(FuzzDir(), kind, target);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                    data.Add(target, Path.GetRelativePath(FuzzDir(), file));
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_GivesATensorOrInvalidData_WithinBounds(string target, string file) =>
        FuzzReplay.AssertWithinBounds(file, () => Read(target, Path.Combine(FuzzDir(), file)));

    [Fact]
    public void EveryLibraryTarget_HasACommittedCorpus()
    {
        foreach (var target in new[] { "png", "pgm", "image", "npy", "safetensors", "txt" })
            Assert.True(Directory.Exists(Path.Combine(FuzzDir(), "corpus", target)) && Directory.EnumerateFiles(Path.Combine(FuzzDir(), "corpus", target)).Any(),
                $"fuzz/corpus/{target} is missing: run fuzz/run.sh {target}");
    }
}
