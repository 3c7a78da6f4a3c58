using System.Runtime.CompilerServices;
using Dcgan.Data;
using MiniTorch.IO;
using MiniTorch.Tests.IO;

namespace MiniTorch.Examples.Tests.Data;

/// <summary>Nothing else runs while these measure allocation and CPU time.</summary>
[CollectionDefinition(nameof(HostileIdxTests), DisableParallelization = true)]
public sealed class HostileIdxCollection;

/// <summary>
/// The IDX files of the hostile corpus (tests/MiniTorch.Tests/Golden/Hostile/idx) against the DCGAN
/// example's MNIST reader: refused with an InvalidDataException naming the file and the field, within
/// 2 s of CPU time and 256 MiB of allocation.
/// </summary>
[Collection(nameof(HostileIdxTests))]
public class HostileIdxTests
{
    public static TheoryData<string> Files => [.. HostileCorpus.Entries.Where(e => e.Reader == "idx").Select(e => e.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Idx_IsRefused(string file)
    {
        var entry = HostileCorpus.Entries.Single(e => e.File == file);
        // Files named *-labels are label files for 10 images; the others are image files.
        HostileCorpus.AssertRefused(entry, path =>
        {
            if (path.EndsWith("-labels", StringComparison.Ordinal)) MnistIdx.ReadLabels(path, 10);
            else MnistIdx.ReadImages(path);
        });
    }

    private static string FuzzDir([CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", "..", "..", "fuzz"));

    public static TheoryData<string, string> FuzzInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in new[] { "corpus", "crashes" })
            foreach (var target in new[] { "idx", "idx-gz", "idx-labels" })
            {
                string dir = Path.Combine(FuzzDir(), kind, target);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)) data.Add(target, Path.GetRelativePath(FuzzDir(), file));
            }
        return data;
    }

    /// <summary>
    /// The fuzzers' committed IDX corpus and crashers (fuzz/README.md), through the IDX targets of
    /// fuzz/MiniTorch.Fuzz with their budgets: a result or an InvalidDataException, within bounds.
    /// </summary>
    [Theory]
    [MemberData(nameof(FuzzInputs))]
    public void FuzzInput_GivesImagesOrInvalidData_WithinBounds(string target, string file)
    {
        var limits = new ReadLimits { MaxPixels = 1 << 22, MaxBytes = 64 << 20 };
        string dir = Directory.CreateTempSubdirectory("idx_fuzz_").FullName;
        try
        {
            string path = Path.Combine(dir, target switch { "idx-gz" => "images.gz", "idx-labels" => "labels", _ => "images" });
            File.Copy(Path.Combine(FuzzDir(), file), path);
            FuzzReplay.AssertWithinBounds(file, () =>
            {
                if (target == "idx-labels") MnistIdx.ReadLabels(path, 3, limits);
                else MnistIdx.ReadImages(path, limits: limits);
            });
        }
        finally { Directory.Delete(dir, true); }
    }
}
