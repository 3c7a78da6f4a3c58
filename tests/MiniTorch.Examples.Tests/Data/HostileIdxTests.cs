using Dcgan.Data;
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
}
