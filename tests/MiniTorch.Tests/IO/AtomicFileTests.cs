using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void FailingWrite_LeavesPreviousFileAndNoTempFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "model.safetensors");
            var original = new Dictionary<string, Tensor> { ["w"] = Torch.Full([3], 1.5) };
            Safetensors.Save(original, path);
            var before = File.ReadAllBytes(path);

            // Simulates a writer dying midway: half the bytes are out when it throws.
            var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
            {
                s.Write(new byte[1000]);
                throw new IOException("disk on fire");
            }));
            Assert.Equal("disk on fire", e.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "model.safetensors" }, Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Equal(1.5, Safetensors.Load(path)["w"][0].Item());

            Safetensors.Save(new Dictionary<string, Tensor> { ["w"] = Torch.Full([3], 2.5) }, path);
            Assert.Equal(2.5, Safetensors.Load(path)["w"][2].Item());
            Assert.Single(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
