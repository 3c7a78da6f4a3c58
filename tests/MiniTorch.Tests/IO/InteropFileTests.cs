using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

/// <summary>
/// Files made by MiniTorch and committed beside check_minitorch_files.py (which loads them with
/// numpy + json and compares them with numpy's own writer); here: the writer still produces
/// those exact bytes. Set MINITORCH_REGEN_GOLDEN=1 to rewrite them in the source tree.
/// </summary>
public class InteropFileTests
{
    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt", ["written_by"] = "MiniTorch" };

    private static void CheckOrRegenerate(string name, byte[] produced)
    {
        if (Environment.GetEnvironmentVariable("MINITORCH_REGEN_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(IOGolden.SourceDir(), name), produced);
            return;
        }
        Assert.Equal(File.ReadAllBytes(IOGolden.File(name)), produced);
    }

    private static byte[] Bytes(Action<Stream> write)
    {
        using var ms = new MemoryStream();
        write(ms);
        return ms.ToArray();
    }

    [Fact]
    public void StateDictSafetensors_WriterReproducesCommittedFile()
    {
        var dict = new IOGolden.TinyNet().StateDict();
        CheckOrRegenerate("minitorch_state.safetensors", Bytes(s => Safetensors.Save(dict, s, Metadata)));
    }

    [Fact]
    public void Npy_WriterReproducesCommittedFiles()
    {
        CheckOrRegenerate("minitorch_f64.npy", Bytes(s => Npy.Save(IOGolden.PatternTensor([2, 3, 4], 4, DType.Float64), s)));
        CheckOrRegenerate("minitorch_f32.npy", Bytes(s => Npy.Save(IOGolden.PatternTensor([7], 6, DType.Float32), s)));
        CheckOrRegenerate("minitorch_scalar.npy", Bytes(s => Npy.Save(IOGolden.PatternTensor([], 8, DType.Float32), s)));
    }

    [Fact]
    public void Png_CommittedFileDecodesToPattern()
    {
        // The PNG bytes depend on the zlib build, so compare pixels, not bytes; the Python check reads the same file with PIL.
        var image = GrayRamp();
        if (Environment.GetEnvironmentVariable("MINITORCH_REGEN_GOLDEN") == "1")
        {
            ImageIO.SavePng(image, Path.Combine(IOGolden.SourceDir(), "minitorch_rgb.png"));
            return;
        }
        var loaded = Png.Load(IOGolden.File("minitorch_rgb.png"));
        Assert.Equal(new[] { 3, 4, 5 }, loaded.Shape);
        Assert.Equal(image.ToArray().Select(v => (int)(v * 255 + 0.5f)), loaded.ToArray().Select(v => (int)MathF.Round(v * 255)));
    }

    /// <summary>RGB [3, 4, 5] with value (c·20 + y·5 + x) / 64, mirrored in check_minitorch_files.py.</summary>
    internal static Tensor GrayRamp()
    {
        var v = new float[60];
        for (int c = 0; c < 3; c++) for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) v[c * 20 + y * 5 + x] = (c * 20 + y * 5 + x) / 64f;
        return Torch.FromArray(v, 3, 4, 5);
    }
}
