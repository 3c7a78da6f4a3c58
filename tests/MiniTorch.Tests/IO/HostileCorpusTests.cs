using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>Nothing else runs while these measure allocation and CPU time.</summary>
[CollectionDefinition(nameof(HostileCorpusTests), DisableParallelization = true)]
public sealed class HostileCollection;

/// <summary>
/// Every file of the committed hostile corpus (Golden/Hostile/manifest.json) against its reader: refused
/// with an InvalidDataException naming the file and the field, within 2 s of CPU and 256 MiB. The IDX
/// files are read by the DCGAN example's reader in MiniTorch.Examples.Tests.
/// </summary>
[Collection(nameof(HostileCorpusTests))]
public class HostileCorpusTests
{
    public static TheoryData<string> Files(string reader) => [.. HostileCorpus.Entries.Where(e => e.Reader == reader).Select(e => e.File)];

    public static TheoryData<string> Png => Files("png");
    public static TheoryData<string> Pgm => Files("pgm");
    public static TheoryData<string> Npy => Files("npy");
    public static TheoryData<string> Safetensors => Files("safetensors");
    public static TheoryData<string> Image => Files("image");
    public static TheoryData<string> Txt => Files("txt");

    private static HostileCorpus.Entry Entry(string file) => HostileCorpus.Entries.Single(e => e.File == file);

    [Fact]
    public void Corpus_CoversEveryReader()
    {
        var readers = HostileCorpus.Entries.Select(e => e.Reader).ToHashSet();
        Assert.Equal(["idx", "image", "npy", "pgm", "png", "safetensors", "txt"], readers.Order());
        Assert.All(HostileCorpus.Entries, e => Assert.True(File.Exists(e.Path), e.File));
    }

    [Theory]
    [MemberData(nameof(Png))]
    public void Png_IsRefused(string file)
    {
        HostileCorpus.AssertRefused(Entry(file), path => MiniTorch.IO.Png.Load(path));
        HostileCorpus.AssertRefused(Entry(file), path => ImageIO.Load(path));
    }

    [Theory]
    [MemberData(nameof(Pgm))]
    public void Pgm_IsRefused(string file) =>
        HostileCorpus.AssertRefused(Entry(file), path => _ = file.EndsWith(".ppm") ? ImageIO.Load(path) : MiniTorch.IO.Pgm.Load(path));

    [Theory]
    [MemberData(nameof(Npy))]
    public void Npy_IsRefused(string file) => HostileCorpus.AssertRefused(Entry(file), path => MiniTorch.IO.Npy.Load(path));

    [Theory]
    [MemberData(nameof(Safetensors))]
    public void Safetensors_IsRefused(string file) => HostileCorpus.AssertRefused(Entry(file), path => MiniTorch.IO.Safetensors.LoadFile(path));

    [Theory]
    [MemberData(nameof(Image))]
    public void Image_IsRefused(string file) => HostileCorpus.AssertRefused(Entry(file), path => ImageIO.Load(path));

    /// <summary>A module with one scalar parameter: its text kernel is one value.</summary>
    private sealed class OneValue : Module
    {
        public OneValue() => RegisterParameter("b", Torch.Zeros(1));
        public override Tensor Forward(Tensor input) => input;
    }

    [Theory]
    [MemberData(nameof(Txt))]
    public void TxtKernels_AreRefused(string file) =>
        HostileCorpus.AssertRefused(Entry(file), path => new OneValue().LoadTxtKernels("b", Path.GetDirectoryName(path)!, Path.GetFileName(path).Replace("0_0", "{0}_{1}")));
}
