using Dcgan.Data;
using Dcgan.Metrics;

namespace MiniTorch.Examples.Tests.Metrics;

public class ClassifierCacheTests
{
    [Fact]
    public void Fingerprint_ChangesWithTheImagesLabelsAndSettings_NotOtherwise()
    {
        var data = ShapesDataset.Generate(16, 0);
        var settings = new ClassifierCache.Settings();
        string f = ClassifierCache.Fingerprint(data, settings);
        Assert.Equal(f, ClassifierCache.Fingerprint(ShapesDataset.Generate(16, 0), settings));

        var pixels = (float[])data.PixelData.Clone();
        pixels[100] += 0.5f;   // one pixel of a differently drawn data set
        Assert.NotEqual(f, ClassifierCache.Fingerprint(new ImageSet(pixels, data.Labels, data.ClassNames, data.Source), settings));

        var labels = (int[])data.Labels!.Clone();
        labels[0] = (labels[0] + 1) % data.NumClasses;
        Assert.NotEqual(f, ClassifierCache.Fingerprint(new ImageSet(data.PixelData, labels, data.ClassNames, data.Source), settings));
        Assert.NotEqual(f, ClassifierCache.Fingerprint(data, settings with { Epochs = settings.Epochs + 1 }));
    }
}
