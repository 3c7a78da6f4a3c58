using Dcgan.Data;

namespace MiniTorch.Examples.Tests.Data;

public class ShapesDatasetTests
{
    [Fact]
    public void Generate_SameSeed_GivesIdenticalImages_AndPrefixProperty()
    {
        var a = ShapesDataset.Generate(40, seed: 3);
        var b = ShapesDataset.Generate(40, seed: 3);
        var c = ShapesDataset.Generate(20, seed: 3);
        Assert.Equal(a.PixelData, b.PixelData);
        Assert.Equal(a.PixelData.AsSpan(0, c.PixelData.Length).ToArray(), c.PixelData);
        Assert.NotEqual(a.PixelData, ShapesDataset.Generate(40, seed: 4).PixelData);
    }

    [Fact]
    public void Generate_ImagesAreInRange_AntiAliased_AndClassesBalanced()
    {
        var set = ShapesDataset.Generate(64, seed: 1);
        Assert.True(ShapesDataset.ClassNames.Length >= 4);
        Assert.All(set.PixelData, p => Assert.InRange(p, 0f, 1f));
        // Anti-aliasing: edge pixels take intermediate values, not just 0 and 1.
        Assert.Contains(set.PixelData, p => p > 0.1f && p < 0.9f);
        for (int i = 0; i < set.Count; i++)
        {
            float ink = 0;
            foreach (var p in set.Image(i)) ink += p;
            Assert.InRange(ink, 15f, 600f); // every image shows a shape, none is filled
        }
        var counts = set.Labels!.GroupBy(l => l).Select(g => g.Count()).ToArray();
        Assert.Equal(ShapesDataset.ClassNames.Length, counts.Length);
        Assert.All(counts, c => Assert.Equal(64 / ShapesDataset.ClassNames.Length, c));
    }

    [Fact]
    public void Batch_ScalesToMinusOneOne_WithNchwShape()
    {
        var set = ShapesDataset.Generate(8, seed: 2);
        var batch = set.Batch([3, 5]);
        Assert.Equal([2, 1, 32, 32], batch.Shape);
        var values = batch.ToArray();
        Assert.Equal(set.Image(3)[100] * 2 - 1, values[100], 6);
        Assert.Equal(set.Image(5)[500] * 2 - 1, values[1024 + 500], 6);
        Assert.Equal([set.Labels![3], set.Labels[5]], set.BatchLabels([3, 5]));
    }

    [Fact]
    public void DataSource_RejectsUnknownKindsAndBadCounts()
    {
        Assert.Contains("unknown data source", Assert.Throws<DataException>(() => DataSource.Load("imagenet:/x", 10, 0)).Message);
        Assert.Contains("positive image count", Assert.Throws<DataException>(() => DataSource.Load("shapes:-3", 10, 0)).Message);
        Assert.Equal(12, DataSource.Load("shapes:12", 10, 0).Count);
    }
}
