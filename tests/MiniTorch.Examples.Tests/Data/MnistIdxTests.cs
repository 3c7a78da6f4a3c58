using System.Buffers.Binary;
using System.IO.Compression;
using Dcgan.Data;

namespace MiniTorch.Examples.Tests.Data;

public class MnistIdxTests
{
    private static byte[] Images(int count, int rows = 28, int cols = 28, int magic = 0x803)
    {
        var bytes = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (int i = 16; i < bytes.Length; i++) bytes[i] = (byte)(i * 7);
        return bytes;
    }

    private static byte[] Labels(int count, int magic = 0x801)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        for (int i = 0; i < count; i++) bytes[8 + i] = (byte)(i % 10);
        return bytes;
    }

    private static void WriteGz(string path, byte[] data)
    {
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.Fastest);
        gz.Write(data);
    }

    [Fact]
    public void Load_PadsTo32_AndReadsLabels()
    {
        using var dir = new TempDir();
        var raw = Images(3);
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), raw);
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), Labels(3));
        var set = MnistIdx.Load(dir.Path);
        Assert.Equal(3, set.Count);
        Assert.Equal([0, 1, 2], set.Labels!);
        Assert.Equal(10, set.NumClasses);
        var img = set.Image(1);
        Assert.Equal(0f, img[0]);                    // padding
        Assert.Equal(0f, img[1 * 32 + 31]);
        // pixel (r=0, c=0) of image 1 lands at (2, 2)
        Assert.Equal(raw[16 + 28 * 28] / 255f, img[2 * 32 + 2]);
        Assert.Equal(raw[16 + 28 * 28 + 27 * 28 + 27] / 255f, img[29 * 32 + 29]);
    }

    [Fact]
    public void Load_ReadsGzippedFiles_WithoutLabels()
    {
        using var dir = new TempDir();
        var raw = Images(2);
        WriteGz(dir.File("train-images-idx3-ubyte.gz"), raw);
        var set = MnistIdx.Load(dir.Path);
        Assert.Equal(2, set.Count);
        Assert.Null(set.Labels);
        Assert.Equal(raw[16 + 5 * 28 + 9] / 255f, set.Image(0)[(5 + 2) * 32 + 9 + 2]);
    }

    [Fact]
    public void Load_WrongMagic_IsAClearError()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), Images(2, magic: 0x801));
        var e = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path));
        Assert.Contains("magic number 0x00000801, expected 0x00000803", e.Message);
    }

    [Fact]
    public void Load_TruncatedOrCorruptFiles_AreClearErrors()
    {
        using var dir = new TempDir();
        var raw = Images(4);
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), raw.AsSpan(0, raw.Length - 100).ToArray());
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)).Message);

        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)).Message);

        File.Delete(dir.File("train-images-idx3-ubyte"));
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte.gz"), raw); // not gzip at all
        Assert.Contains("not a valid gzip file", Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)).Message);
    }

    [Fact]
    public void Load_BadLabelsOrMissingFiles_AreClearErrors()
    {
        using var dir = new TempDir();
        Assert.Contains("no 'train-images-idx3-ubyte'", Assert.Throws<DataException>(() => MnistIdx.Load(dir.Path)).Message);
        Assert.Contains("does not exist", Assert.Throws<DataException>(() => MnistIdx.Load(dir.File("nope"))).Message);
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), Images(5));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), Labels(3));
        Assert.Contains("has 3 labels (count field) but there are 5 images", Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)).Message);
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), Labels(5, magic: 0x803));
        Assert.Contains("magic number 0x00000803, expected 0x00000801", Assert.Throws<InvalidDataException>(() => MnistIdx.Load(dir.Path)).Message);
    }
}
