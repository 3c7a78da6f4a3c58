using System.Runtime.CompilerServices;
using System.Text.Json;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>Paths to the committed interop files and the values the tests share with the Python scripts.</summary>
internal static class IOGolden
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Golden", "IO");

    public static string File(string name) => Path.Combine(Dir, name);

    /// <summary>The committed source folder (for regenerating MiniTorch-made files with MINITORCH_REGEN_GOLDEN=1).</summary>
    public static string SourceDir([CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", "Golden", "IO"));

    private static JsonElement? _json;
    public static JsonElement Json => _json ??= JsonDocument.Parse(System.IO.File.ReadAllBytes(File("io.json"))).RootElement;

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>Exact dyadic values, so C# and numpy agree bit for bit: ((7i + seed) mod 13 − 6) / 16.</summary>
    public static double[] Pattern(int n, int seed) => Enumerable.Range(0, n).Select(i => ((7 * i + seed) % 13 - 6) / 16.0).ToArray();

    public static Tensor PatternTensor(int[] shape, int seed, DType dtype) =>
        Torch.FromArray(Pattern(Shape.Numel(shape), seed), shape).To(dtype);

    /// <summary>A small model whose state dict mixes dtypes, a 0-d and an empty tensor (mirrored in check_minitorch_files.py).</summary>
    public sealed class TinyNet : Module
    {
        public TinyNet()
        {
            RegisterModule("main", new Block());
            RegisterParameter("scale", PatternTensor([], 5, DType.Float64));
            RegisterBuffer("empty", Torch.Zeros([0, 3]));
        }

        public override Tensor Forward(Tensor input) => input;
    }

    public sealed class Block : Module
    {
        public Block()
        {
            RegisterParameter("weight", PatternTensor([4, 3, 2, 2], 1, DType.Float32));
            RegisterParameter("bias", PatternTensor([4], 2, DType.Float32));
            RegisterBuffer("running_var", PatternTensor([4], 3, DType.Float64));
        }

        public override Tensor Forward(Tensor input) => input;
    }
}
