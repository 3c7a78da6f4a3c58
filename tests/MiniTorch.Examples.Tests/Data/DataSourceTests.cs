using System.Buffers.Binary;
using Dcgan.Data;

namespace MiniTorch.Examples.Tests.Data;

public class DataSourceTests
{
    /// <summary>Writes a tiny IDX pair (28×28 images, labels 0–9) as Fashion-MNIST ships it.</summary>
    private static void WriteIdx(string dir, int count)
    {
        var images = new byte[16 + count * 28 * 28];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 28);
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++) labels[8 + i] = (byte)(i % 10);
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), labels);
    }

    [Fact]
    public void FashionMnist_FromADirectory_HasTheGarmentClassNames()
    {
        using var dir = new TempDir();
        WriteIdx(dir.Path, 20);
        var set = DataSource.Load("fashion-mnist:" + dir.Path, 0, 0);
        Assert.Equal(20, set.Count);
        Assert.Equal(10, set.NumClasses);
        Assert.Equal("T-shirt/top", set.ClassNames[0]);
        Assert.Equal("Ankle boot", set.ClassNames[9]);
        Assert.Contains("Fashion-MNIST", set.Source);
        // mnist:DIR reads the same files and names the classes by digit.
        var digits = DataSource.Load("mnist:" + dir.Path, 0, 0);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], digits.ClassNames);
        Assert.Equal(set.PixelData, digits.PixelData);
    }

    [Fact]
    public void FashionMnist_WithoutADirectory_ReadsDebiansPackage_OrSaysHowToInstallIt()
    {
        if (Directory.Exists(DataSource.DebianFashionMnist))
        {
            var set = DataSource.Load("fashion-mnist", 0, 0, limit: 16);
            Assert.Equal(16, set.Count);
            Assert.Equal(DataSource.FashionMnistClasses, set.ClassNames);
        }
        else
        {
            var e = Assert.Throws<DataException>(() => DataSource.Load("fashion-mnist", 0, 0));
            Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        }
    }

    [Theory]
    [InlineData("fashion-mnist:/nonexistent-dir", "does not exist")]
    [InlineData("mnist:", "needs a directory")]
    [InlineData("shapes:0", "positive image count")]
    [InlineData("cifar", "unknown data source")]
    public void BadSpecs_GiveOneLineErrors(string spec, string message)
    {
        var e = Assert.Throws<DataException>(() => DataSource.Load(spec, 16, 0));
        Assert.Contains(message, e.Message);
    }
}
