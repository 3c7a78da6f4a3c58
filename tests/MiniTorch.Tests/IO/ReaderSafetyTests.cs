using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

/// <summary>
/// What every reader does with files that are not what they claim: special files are refused from
/// their metadata without being read, budgets are checked before allocation, and every malformed input
/// is an <see cref="InvalidDataException"/> that names the file.
/// </summary>
public class ReaderSafetyTests
{
    /// <summary>Every reader that takes a path.</summary>
    public static TheoryData<string> Readers => ["png", "pgm", "npy", "safetensors", "image", "txt"];

    private static void Read(string reader, string path)
    {
        switch (reader)
        {
            case "png": Png.Load(path); break;
            case "pgm": Pgm.Load(path); break;
            case "npy": Npy.Load(path); break;
            case "safetensors": Safetensors.LoadFile(path); break;
            case "image": ImageIO.Load(path); break;
            case "txt":
                // main.bias is [4]: files b0_0.txt … b3_0.txt; the first is the special file.
                new IOGolden.TinyNet().LoadTxtKernels("main.bias", Path.GetDirectoryName(path)!, Path.GetFileName(path).Replace("0", "{0}").Replace("_{0}", "_{1}"));
                break;
            default: throw new ArgumentException(reader);
        }
    }

    private static string Name(string reader) => reader == "txt" ? "b0_0.txt" : $"x.{reader}";

    private static void AssertRefused(string reader, string path, string what)
    {
        var e = SpecialFiles.Within(20, () => Read(reader, path));
        var invalid = Assert.IsType<InvalidDataException>(e);
        Assert.Contains($"'{path}' is {what}, not a regular file", invalid.Message);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Fifo_IsRefusedWithoutBlocking(string reader)
    {
        if (!SpecialFiles.Supported) return;
        using var files = new SpecialFiles();
        AssertRefused(reader, files.Fifo(Name(reader)), "a FIFO (named pipe)");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void SymlinkToDevZero_IsRefusedWithoutReading(string reader)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var files = new SpecialFiles();
        AssertRefused(reader, files.Link(Name(reader), "/dev/zero"), "a character device");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Socket_IsRefused(string reader)
    {
        if (!SpecialFiles.Supported) return;
        using var files = new SpecialFiles();
        AssertRefused(reader, files.Socket(Name(reader)), "a socket");
    }

    [Fact]
    public void SymlinkToRegularFile_IsReadAsTheFile()
    {
        if (!SpecialFiles.Supported) return;
        using var files = new SpecialFiles();
        Assert.Equal(new[] { 3, 4, 6 }, ImageIO.Load(files.Link("a.png", IOGolden.File("py_rgb.png"))).Shape);
        Assert.Equal(new[] { 1, 5, 7 }, Pgm.Load(files.Link("b.pgm", IOGolden.File("py_gray.pgm"))).Shape);
        Assert.Equal(Npy.Load(IOGolden.File("py_f32.npy")).ToArray(), Npy.Load(files.Link("c.npy", IOGolden.File("py_f32.npy"))).ToArray());
        Assert.Equal(5, Safetensors.Load(files.Link("d.safetensors", IOGolden.File("minitorch_state.safetensors"))).Count);
        // A chain of links ends at the file.
        Assert.Equal(new[] { 3, 4, 6 }, ImageIO.Load(files.Link("e.png", files.Path("a.png"))).Shape);
    }

    [Fact]
    public void Folders_RefuseASpecialFileNamedLikeData_AndNameIt()
    {
        if (!SpecialFiles.Supported) return;
        using var files = new SpecialFiles();
        File.Copy(IOGolden.File("py_gray.png"), files.Path("a.png"));
        string fifo = files.Fifo("b.png");
        var e = SpecialFiles.Within(20, () => ImageIO.LoadFolder(files.Dir).ToList());
        Assert.Contains($"'{fifo}' is a FIFO", Assert.IsType<InvalidDataException>(e).Message);

        using var weights = new SpecialFiles();
        string zero = OperatingSystem.IsLinux() ? weights.Link("main.weight.npy", "/dev/zero") : weights.Fifo("main.weight.npy");
        e = SpecialFiles.Within(20, () => new IOGolden.TinyNet().LoadNpyFolder(weights.Dir));
        Assert.Contains($"'{zero}' is a", Assert.IsType<InvalidDataException>(e).Message);
    }

    [Fact]
    public void MissingFile_DanglingLink_AndDirectory_AreClearErrors()
    {
        using var files = new SpecialFiles();
        Assert.Contains("no such file", Assert.Throws<FileNotFoundException>(() => Npy.Load(files.Path("missing.npy"))).Message);
        if (SpecialFiles.Supported)
        {
            string dangling = files.Link("dangling.png", files.Path("nowhere.png"));
            Assert.Contains("symbolic link to the missing", Assert.Throws<FileNotFoundException>(() => ImageIO.Load(dangling)).Message);
        }
        Directory.CreateDirectory(files.Path("dir.npy"));
        Assert.Contains("is a directory", Assert.Throws<InvalidDataException>(() => Npy.Load(files.Path("dir.npy"))).Message);
    }

    [Fact]
    public void MalformedFiles_NameTheFileAndTheField()
    {
        using var files = new SpecialFiles();
        var npy = File.ReadAllBytes(IOGolden.File("py_f32.npy"));
        File.WriteAllBytes(files.Path("short.npy"), npy[..^4]);
        var e = Assert.Throws<InvalidDataException>(() => Npy.Load(files.Path("short.npy")));
        Assert.StartsWith($"'{files.Path("short.npy")}': npy header promises shape", e.Message);

        File.WriteAllBytes(files.Path("bad.safetensors"), [8, 0, 0, 0, 0, 0, 0, 0, .. "{\"a\":1} "u8]);
        e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(files.Path("bad.safetensors")));
        Assert.StartsWith($"'{files.Path("bad.safetensors")}': safetensors entry 'a' must be an object", e.Message);

        File.WriteAllBytes(files.Path("bad.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        e = Assert.Throws<InvalidDataException>(() => ImageIO.Load(files.Path("bad.png")));
        Assert.StartsWith($"'{files.Path("bad.png")}': PNG file truncated at byte 8", e.Message);
    }

    private static byte[] Safetensors1(string header) => [.. BitConverter.GetBytes((long)Encoding.UTF8.GetByteCount(header)), .. Encoding.UTF8.GetBytes(header)];

    [Theory]
    [InlineData("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", "name at byte 1")]
    [InlineData("{\"__metadata__\":{\"k\":\"\\udfff x\"}}", "string at byte 21")]
    [InlineData("{\"__metadata__\":{\"\\ud83d\\u0041\":\"v\"}}", "name at byte 17")] // a high surrogate followed by a non-surrogate
    public void Safetensors_LoneSurrogateEscape_IsInvalidData(string header, string where)
    {
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.LoadFile(new MemoryStream(Safetensors1(header))));
        Assert.Contains($"{where} with an escaped lone UTF-16 surrogate", e.Message);
        // A proper pair is a character and loads.
        var ok = Safetensors.LoadFile(new MemoryStream(Safetensors1("{\"__metadata__\":{\"k\":\"\\ud83d\\ude00\"}}")));
        Assert.Equal("\U0001F600", ok.Metadata["k"]);
    }

    [Fact]
    public void Png_ZlibPresetDictionary_IsInvalidData()
    {
        // zlib header with FDICT set, a dictionary id, then a deflate block: valid zlib syntax no PNG may use.
        int cmf = 0x78, flg = 0x20;
        flg += 31 - (cmf * 256 + flg) % 31;
        byte[] idat = [(byte)cmf, (byte)flg, 0, 0, 0, 1, 0x63, 0, 0];
        var png = PngTests.MakeRaw(2, 2, 8, 0, 0, idat);
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(png));
        Assert.Contains("PNG image data is not valid zlib data", e.Message);
    }

    [Fact]
    public void ReadLimits_DefaultsArePillowsAndConfigurable()
    {
        Assert.Equal(89_478_485, ReadLimits.Default.MaxPixels);
        Assert.Equal(89_478_485, ReadLimits.PillowMaxImagePixels);
        Assert.Equal(4L << 30, ReadLimits.Default.MaxBytes);
        var png = ImageIO.EncodePng(Torch.Zeros(1, 100, 100));
        Assert.Equal(new[] { 1, 100, 100 }, Png.Decode(png, new ReadLimits { MaxPixels = 10_000 }).Shape);
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(png, new ReadLimits { MaxPixels = 9_999 }));
        Assert.Contains("PNG image 100x100 has 10000 pixels, more than the limit of 9999", e.Message);
        Assert.Contains("more than the limit of 9999", Assert.Throws<InvalidDataException>(() =>
            ImageIO.Decode(ImageIO.EncodeJpeg(Torch.Zeros(3, 100, 100)), new ReadLimits { MaxPixels = 9_999 })).Message);
        Assert.Contains("ReadLimits.MaxBytes", Assert.Throws<InvalidDataException>(() =>
            Npy.Load(File.OpenRead(IOGolden.File("py_f32.npy")), new ReadLimits { MaxBytes = 10 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadLimits { MaxPixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadLimits.Default with { MaxBytes = -1 });
        Assert.Throws<ArgumentNullException>(() => ReadLimits.Default = null!);
    }

    [Fact]
    public void Png_DecompressionBomb_IsRefusedFromItsHeader()
    {
        // 16384 × 16384 gray: 256 M zero bytes compress to about 260 KB. The header alone refuses it.
        int side = 16384;
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[side + 1];
            for (int y = 0; y < side; y++) zs.Write(row);
        }
        var bomb = PngTests.MakeRaw(side, side, 8, 0, 0, z.ToArray());
        Assert.InRange(bomb.Length, 200_000, 400_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Png.Decode(bomb));
        Assert.Contains("more than the limit of 89478485", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 * bomb.Length, "the refusal allocated more than a few copies of the file");
    }

    [Fact]
    public void Png_ImageDataBeyondTheHeaderSize_IsNotInflated()
    {
        // A 4×4 gray image whose zlib stream holds 64 MB: only the 20 bytes the header declares are inflated.
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.SmallestSize, leaveOpen: true)) zs.Write(new byte[64 << 20]);
        var png = PngTests.MakeRaw(4, 4, 8, 0, 0, z.ToArray());
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(new float[16], Png.Decode(png).ToArray());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4L * png.Length + (1 << 20));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("pgm")]
    [InlineData("jpg")]
    [InlineData("zeros")]
    public void HugeSparseFile_BehindASmallHeader_IsRefusedBeforeItIsRead(string kind)
    {
        using var files = new SpecialFiles();
        string path = files.Path($"big.{kind}");
        byte[] header = kind switch
        {
            "png" => ImageIO.EncodePng(Torch.Zeros(1, 8, 8)),
            "pgm" => "P5\n8 8\n255\n"u8.ToArray(),
            "jpg" => ImageIO.EncodeJpeg(Torch.Zeros(3, 8, 8)),
            _ => [],
        };
        using (var f = File.Create(path))
        {
            f.Write(header);
            f.SetLength(3L << 30); // 3 GiB, sparse: no disk used, but a naive reader would allocate it all
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => ImageIO.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the refusal read the file");
        Assert.StartsWith($"'{path}'", e.Message);
        Assert.Contains(kind == "zeros" ? "not an image in a format MiniTorch reads" : "is larger than the", e.Message);
    }
}
