using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Dcgan.Cli;
using Dcgan.Data;
using Dcgan.Training;
using MiniTorch.IO;

namespace MiniTorch.Examples.Tests.Data;

/// <summary>
/// The DCGAN example's readers on hostile input: gzip bombs, lying headers, special files, damaged
/// checkpoints. Each fails with a one-line error (InvalidDataException or DataException) after
/// allocating little, never with an unhandled exception, a hang or gigabytes of memory.
/// </summary>
public class HostileDataTests
{
    private static byte[] Header(int magic, params int[] fields)
    {
        var bytes = new byte[4 + 4 * fields.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < fields.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), fields[i]);
        return bytes;
    }

    /// <summary>Gzips <paramref name="prefix"/> followed by <paramref name="zeros"/> zero bytes, streamed (never held in memory).</summary>
    private static void WriteGz(string path, byte[] prefix, long zeros)
    {
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.SmallestSize);
        gz.Write(prefix);
        var block = new byte[1 << 20];
        for (long left = zeros; left > 0; left -= block.Length) gz.Write(block, 0, (int)Math.Min(block.Length, left));
    }

    private static long Allocated(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        read();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void GzipOfZeros_FailsOnItsMagicNumber_WithoutInflatingIt()
    {
        using var dir = new TempDir();
        WriteGz(dir.File("train-images-idx3-ubyte.gz"), [], 256L << 20); // 256 MiB of zeros in ~250 KB
        InvalidDataException? e = null;
        long bytes = Allocated(() => e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)));
        Assert.Contains("magic number 0x00000000, expected 0x00000803", e!.Message);
        Assert.True(bytes < 16 << 20, $"allocated {bytes} bytes");
    }

    [Fact]
    public void SmallGzipDeclaringMillionsOfImages_FailsOnTheMissingData_AfterAllocatingLittle()
    {
        using var dir = new TempDir();
        // Within the byte budget (500,000 images: 392 MB of pixels): the buffer grows only as data arrives.
        WriteGz(dir.File("train-images-idx3-ubyte.gz"), Header(0x803, 500_000, 28, 28), 2000);
        InvalidDataException? e = null;
        long bytes = Allocated(() => e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)));
        Assert.True(e!.Message.Contains("is truncated: the header promises 500000 images of 28×28 (392000016 bytes) but the data ends after 2016"), e.Message);
        Assert.True(bytes < 16 << 20, $"allocated {bytes} bytes");
        // Beyond it (5,000,000 images, 24 GB once padded to floats): refused from the header.
        WriteGz(dir.File("train-images-idx3-ubyte.gz"), Header(0x803, 5_000_000, 28, 28), 2000);
        bytes = Allocated(() => e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)));
        Assert.True(e!.Message.Contains("needs 24400000000 bytes, more than the limit of 4294967296 (ReadLimits.MaxBytes)"), e.Message);
        Assert.True(bytes < 1 << 20, $"allocated {bytes} bytes");
    }

    [Fact]
    public void CountTimesImageSize_CannotOverflow_AndIsChecked()
    {
        using var dir = new TempDir();
        // int.MaxValue images of 32×32 (count × 1024 overflows int): refused from the header.
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), [.. Header(0x803, int.MaxValue, 32, 32), .. new byte[1024]]);
        var e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path));
        Assert.True(e.Message.Contains("is truncated: the header promises 2147483647 images of 32×32 (2199023254544 bytes)"), e.Message);
        WriteGz(dir.File("train-images-idx3-ubyte.gz"), Header(0x803, int.MaxValue, 32, 32), 0);
        File.Delete(dir.File("train-images-idx3-ubyte"));
        e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path));
        Assert.Contains("needs 10995116272640 bytes, more than the limit", e.Message);
        Assert.Contains("count field 2147483647", e.Message);
        Assert.Contains("-3 images", Assert.Throws<InvalidDataException>(() =>
        {
            File.WriteAllBytes(dir.File("train-images-idx3-ubyte.gz"), Gz(Header(0x803, -3, 28, 28)));
            MnistIdx.Load(dir.Path);
        }).Message);
    }

    private static byte[] Gz(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void Limit_ReadsOnlyTheImagesAsked_FromAGzip()
    {
        using var dir = new TempDir();
        var raw = new byte[16 + 100 * 28 * 28];
        Header(0x803, 100, 28, 28).CopyTo(raw, 0);
        raw[16 + 5] = 255;
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte.gz"), Gz(raw));
        var set = MnistIdx.Load(dir.Path, limit: 3);
        Assert.Equal(3, set.Count);
        Assert.Equal(1f, set.Image(0)[2 * 32 + 2 + 5]);
    }

    [Fact]
    public void SpecialFilesNamedLikeData_AreRefusedWithoutReading()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempDir();
        File.CreateSymbolicLink(dir.File("train-images-idx3-ubyte"), "/dev/zero");
        var e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path));
        Assert.Contains("is a character device, not a regular file", e.Message);

        using var images = new TempDir();
        File.CreateSymbolicLink(images.File("zero.png"), "/dev/zero");
        e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(images.Path));
        Assert.Contains($"'{images.File("zero.png")}' is a character device", e.Message);
    }

    [Fact]
    public void ImageFolder_ReadsJpegAndOtherFormats_AndFollowsLinks()
    {
        using var dir = new TempDir();
        var green = Torch.Cat([Torch.Zeros(1, 40, 60), Torch.Ones(1, 40, 60), Torch.Zeros(1, 40, 60)]);
        File.WriteAllBytes(dir.File("a.jpg"), ImageIO.EncodeJpeg(green, quality: 95));
        ImageIO.SavePng(Torch.Full([1, 32, 32], 0.25), dir.File("b.png"));
        if (OperatingSystem.IsLinux()) File.CreateSymbolicLink(dir.File("c.png"), dir.File("b.png"));
        var set = ImageFolder.Load(dir.Path);
        Assert.Equal(OperatingSystem.IsLinux() ? 3 : 2, set.Count);
        Assert.Equal(0.587f, set.Image(0)[16 * 32 + 16], 2); // the luma of pure green, through JPEG
        Assert.Equal(0.25f, set.Image(1)[100], 2);
    }

    [Fact]
    public void Resume_OnADamagedCheckpoint_IsAOneLineError()
    {
        using var dir = new TempDir();
        string path = dir.File("checkpoint.safetensors");
        // A lone surrogate escape in the header: valid JSON syntax, no character.
        var header = Encoding.UTF8.GetBytes("{\"__metadata__\":{\"format\":\"\\ud800\"}}");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)header.Length), .. header]);
        var e = Assert.Throws<DataException>(() => GanTrainer.ReadCheckpoint(path));
        Assert.Contains("lone UTF-16 surrogate", e.Message);

        // A checkpoint of this program whose configuration is not JSON.
        Safetensors.Save(new Dictionary<string, Tensor>(), path, new Dictionary<string, string> { ["format"] = "minitorch-dcgan/1", ["config"] = "{oops" });
        e = Assert.Throws<DataException>(() => GanTrainer.ReadCheckpoint(path));
        Assert.Contains($"checkpoint '{path}': the checkpoint is damaged", e.Message);
        // --resume goes through the same reader: one DataException, which the command line prints on one line.
        Assert.Contains("damaged", Assert.Throws<DataException>(() => Commands.Train(new TrainConfig(), dir.Path, resume: true, null, false, new SilentProgress())).Message);
    }
}
