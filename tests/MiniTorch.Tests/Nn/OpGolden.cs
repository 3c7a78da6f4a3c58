using System.Globalization;
using System.Text.Json;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// Runs the cases of a Golden/Everyday/*.json file (written by its gen_*.py with PyTorch 1.13):
/// each case names an op, its arguments and inputs, PyTorch's output(s) and, where recorded, the
/// gradients of the first output for an upstream gradient g. Floating point results are compared
/// with one fixed tolerance per dtype, integers and booleans exactly, and error cases must throw
/// an argument or operation exception (not a crash).
/// </summary>
internal static class OpGolden
{
    // float64 agrees to rounding; float32 leaves room for a different summation order or a
    // different (correctly rounded to within a few ulps) exp/log/erf than PyTorch's.
    public const double Rtol64 = 1e-10, Atol64 = 1e-12, Rtol32 = 1e-5, Atol32 = 1e-6;

    /// <summary>One case: the op's name, its arguments, and its inputs as tensors.</summary>
    public sealed class Case(JsonElement raw)
    {
        public JsonElement Raw { get; } = raw;
        public string Op => Raw.GetProperty("op").GetString()!;
        public string Name => Raw.GetProperty("name").GetString()!;
        public JsonElement Args => Raw.GetProperty("args");
        public Tensor[] Inputs { get; } = raw.GetProperty("inputs").EnumerateArray().Select(T).ToArray();
        public Tensor this[int i] => Inputs[i];

        public bool Has(string arg) => Args.TryGetProperty(arg, out var v) && v.ValueKind != JsonValueKind.Null;
        public int Int(string arg) => Args.GetProperty(arg).GetInt32();
        public int? IntOrNull(string arg) => Has(arg) ? Int(arg) : null;
        public double Double(string arg) => Num(Args.GetProperty(arg));
        public double? DoubleOrNull(string arg) => Has(arg) ? Double(arg) : null;
        public bool Bool(string arg) => Args.GetProperty(arg).GetBoolean();
        public string Str(string arg) => Args.GetProperty(arg).GetString()!;
        public int[] Ints(string arg) => Args.GetProperty(arg).ValueKind == JsonValueKind.Array
            ? Args.GetProperty(arg).EnumerateArray().Select(e => e.GetInt32()).ToArray() : [Int(arg)];

        public override string ToString() => Name;
    }

    public static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Everyday", file))).RootElement;

    /// <summary>A {"dtype", "shape", "data"} object as a tensor of that dtype.</summary>
    public static Tensor T(JsonElement e)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        var data = e.GetProperty("data");
        return e.GetProperty("dtype").GetString() switch
        {
            "int64" => Torch.FromArray(data.EnumerateArray().Select(v => v.GetInt64()).ToArray(), shape),
            "bool" => Torch.FromArray(data.EnumerateArray().Select(v => v.GetBoolean()).ToArray(), shape),
            "float32" => Torch.FromArray(data.EnumerateArray().Select(Num).ToArray(), shape).To(DType.Float32),
            "float64" => Torch.FromArray(data.EnumerateArray().Select(Num).ToArray(), shape),
            var d => throw new InvalidDataException($"unknown dtype {d}"),
        };
    }

    public static double Num(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? double.Parse(v.GetString()!, CultureInfo.InvariantCulture) : v.GetDouble();

    /// <summary>Runs every case of <paramref name="file"/>; each op must be in <paramref name="ops"/>. Returns the number of cases run.</summary>
    public static int Run(string file, IReadOnlyDictionary<string, Func<Case, Tensor[]>> ops)
    {
        int count = 0;
        foreach (var raw in Load(file).GetProperty("cases").EnumerateArray())
        {
            var c = new Case(raw);
            Assert.True(ops.ContainsKey(c.Op), $"{file}: no MiniTorch mapping for op '{c.Op}'");
            RunCase(c, ops[c.Op]);
            count++;
        }
        Assert.True(count > 0, $"{file} holds no cases");
        return count;
    }

    private static void RunCase(Case c, Func<Case, Tensor[]> op)
    {
        if (c.Raw.TryGetProperty("error", out var message))
        {
            var e = Record.Exception(() => op(c));
            Assert.True(e is ArgumentException or InvalidOperationException or IndexOutOfRangeException,
                $"{c.Name}: PyTorch raises \"{message.GetString()}\"; MiniTorch {(e is null ? "accepted the call" : $"threw {e.GetType().Name}: {e.Message}")}");
            return;
        }
        var grads = c.Raw.TryGetProperty("grads", out var gs) ? gs.EnumerateArray().ToArray() : null;
        if (grads is not null)
            for (int i = 0; i < c.Inputs.Length; i++)
                if (grads[i].ValueKind != JsonValueKind.Null) c.Inputs[i].RequiresGrad_();
        var outputs = op(c);
        var expected = c.Raw.GetProperty("out");
        var want = expected.ValueKind == JsonValueKind.Array ? expected.EnumerateArray().ToArray() : [expected];
        Assert.True(want.Length <= outputs.Length, $"{c.Name}: expected {want.Length} outputs, got {outputs.Length}");
        for (int k = 0; k < want.Length; k++) Same(want[k], outputs[k], $"{c.Name}: output {k}");
        if (grads is null) return;
        var leaves = c.Inputs.Where((_, i) => grads[i].ValueKind != JsonValueKind.Null).ToArray();
        var got = Torch.Grad([outputs[0]], leaves, [T(c.Raw.GetProperty("g"))], allowUnused: true);
        for (int i = 0, j = 0; i < c.Inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null) continue;
            var gi = got[j++] ?? Torch.ZerosLike(c.Inputs[i]);
            Same(grads[i], gi, $"{c.Name}: gradient of input {i}");
        }
    }

    /// <summary>Asserts dtype, shape and values (exact for integers and booleans, per-dtype tolerance for floats).</summary>
    public static void Same(JsonElement expected, Tensor actual, string what)
    {
        var want = T(expected);
        Assert.True(want.DType == actual.DType, $"{what}: expected dtype {want.DType}, got {actual.DType}");
        Assert.True(Shape.Equal(want.ShapeRef, actual.ShapeRef), $"{what}: expected shape {Shape.Format(want.ShapeRef)}, got {Shape.Format(actual.ShapeRef)}");
        if (!want.DType.IsFloatingPoint())
        {
            Assert.Equal(want.ToInt64Array(), actual.ToInt64Array());
            return;
        }
        var (rtol, atol) = want.DType == DType.Float64 ? (Rtol64, Atol64) : (Rtol32, Atol32);
        var e = want.ToDoubleArray();
        var a = actual.ToDoubleArray();
        for (int i = 0; i < a.Length; i++)
            Assert.True(a[i].Equals(e[i]) || Math.Abs(a[i] - e[i]) <= atol + rtol * Math.Abs(e[i]),
                $"{what}: element {i}: expected {e[i]:R}, got {a[i]:R}");
    }
}
