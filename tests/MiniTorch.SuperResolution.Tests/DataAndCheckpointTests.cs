using MiniTorch;
using MiniTorch.IO;
using SuperResolution;

namespace MiniTorch.SuperResolution.Tests;

public class DataAndCheckpointTests
{
    [Fact]
    public void PatchSource_Folder_LoadsLumaPatchesAndHoldsOneOut()
    {
        string dir = Directory.CreateTempSubdirectory("srdata").FullName;
        try
        {
            for (int i = 0; i < 3; i++)
                ImageIO.SavePng(Torch.Rand([3, 40, 36], new Generator(i)), Path.Combine(dir, $"img{i}.png"));
            ImageIO.SavePng(Torch.Rand([1, 20, 20], new Generator(9)), Path.Combine(dir, "small.png")); // smaller than a patch: skipped
            var source = PatchSource.Open("folder:" + dir, 32);
            Assert.Equal(3, source.TrainCount);
            Assert.Equal(1, source.HeldOutCount); // fewer than eight images: the last one doubles as held-out
            var batch = source.SampleBatch(5, new Random(1));
            Assert.Equal([5, 1, 32, 32], batch.Shape);
            Assert.All(batch.ToArray(), v => Assert.InRange(v, 0f, 1f));
            Assert.Equal([5, 1, 16, 16], PatchSource.Downscale(batch, 2).Shape);
        }
        finally { Directory.Delete(dir, true); }
        Assert.Contains("no such folder", Assert.Throws<ArgumentException>(() => PatchSource.Open("folder:" + dir, 32)).Message);
        Assert.Contains("expected procedural", Assert.Throws<ArgumentException>(() => PatchSource.Open("mnist", 32)).Message);
    }

    [Fact]
    public void Procedural_IsDeterministicAndInRange()
    {
        var a = Procedural.Image(40, 30, 7);
        Assert.Equal(a, Procedural.Image(40, 30, 7));
        Assert.NotEqual(a, Procedural.Image(40, 30, 8));
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Train_WritesCheckpointThatLoadModelRebuildsFromMetadata()
    {
        string dir = Directory.CreateTempSubdirectory("srckpt").FullName;
        try
        {
            var data = PatchSource.Open("procedural", 30, proceduralCount: 9, seed: 2);
            var options = new TrainOptions { Scale = 3, D = 6, S = 3, M = 1, Steps = 2, BatchSize = 2, CheckpointDir = dir, CheckpointEvery = 1 };
            var model = new FSRCNN(3, 6, 3, 1, new Generator(2));
            Trainer.Train(model, data, options, new PlainProgress(TextWriter.Null));
            string path = Path.Combine(dir, "fsrcnn_x3.safetensors");
            // The options passed to LoadModel are wrong on purpose: the checkpoint's metadata wins.
            var loaded = Program.LoadModel(path, scale: 2, d: 56, s: 12, m: 4);
            Assert.Equal((3, 6, 3, 1), (loaded.Scale, loaded.D, loaded.S, loaded.M));
            foreach (var (k, v) in model.StateDict()) Assert.Equal(v.ToArray(), loaded.StateDict()[k].ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }
}
