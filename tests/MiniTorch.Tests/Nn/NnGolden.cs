using System.Text.Json;

namespace MiniTorch.Tests.Nn;

/// <summary>Reads Golden/Nn/nn.json (written by gen_nn.py with PyTorch 1.13).</summary>
internal static class NnGolden
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Nn", "nn.json"))));

    public static JsonElement Root => Doc.Value.RootElement;

    public static DType DTypeOf(JsonElement c) => c.GetProperty("dtype").GetString() == "torch.float32" ? DType.Float32 : DType.Float64;

    /// <summary>A {"shape", "data"} object as a tensor of <paramref name="dtype"/>.</summary>
    public static Tensor T(JsonElement e, DType dtype = DType.Float64)
    {
        var shape = e.GetProperty("shape").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        var data = D(e);
        var t = Torch.FromArray(data, shape);
        return dtype == DType.Float64 ? t : t.To(dtype);
    }

    public static double[] D(JsonElement e) => e.GetProperty("data").EnumerateArray().Select(Num).ToArray();

    private static double Num(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? double.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : v.GetDouble();

    /// <summary>Asserts element-wise |a − e| ≤ atol + rtol·|e|, naming the first bad element.</summary>
    public static void Close(double[] expected, Tensor actual, double rtol, double atol, string what)
    {
        var a = actual.ToDoubleArray();
        Assert.True(expected.Length == a.Length, $"{what}: expected {expected.Length} elements, got {a.Length}");
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i]) || a[i].Equals(expected[i]),
                $"{what}: element {i}: expected {expected[i]:R}, got {a[i]:R}");
    }

    /// <summary>Asserts bitwise equality of values (as doubles).</summary>
    public static void Exact(double[] expected, Tensor actual, string what) => Close(expected, actual, 0, 0, what);
}
