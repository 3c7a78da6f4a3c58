using System.Globalization;
using System.Text.Json;

namespace MiniTorch.Tests.Printing;

/// <summary>
/// Tensor.ToString() against repr(tensor) from PyTorch 1.13, and Linspace/Arange against
/// torch.linspace/torch.arange bit for bit (Golden/Printing/gen_printing.py makes the data).
/// </summary>
public class PrintingTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Printing", "printing.json"))).RootElement;

    // The same ops as OPS in gen_printing.py.
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Ops = new()
    {
        ["mul2"] = x => x * 2,
        ["add1"] = x => x + 1,
        ["sub1"] = x => x - 1,
        ["neg"] = x => -x,
        ["sum"] = x => x.Sum(),
        ["sum0"] = x => x.Sum(0),
        ["mean"] = x => x.Mean(),
        ["relu"] = x => x.Relu(),
        ["T"] = x => x.T,
        ["transpose01"] = x => x.Transpose(0, 1),
        ["select0"] = x => x[0],
        ["reshape-1"] = x => x.Reshape(-1),
        ["permute10"] = x => x.Permute(1, 0),
        ["view-1"] = x => x.View(-1),
        ["unsqueeze0"] = x => x.Unsqueeze(0),
        ["mm_self_t"] = x => x.MatMul(x.T),
        ["to64"] = x => x.To(DType.Float64),
        ["flip0"] = x => x.Flip(0),
        ["slice_step2"] = x => x.Slice(0, step: 2),
    };

    private static double ParsePython(string s) => s switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    private static double[] Values(JsonElement array) => array.EnumerateArray().Select(v => ParsePython(v.GetString()!)).ToArray();

    private static DType ParseDType(JsonElement e) => e.GetString() == "float64" ? DType.Float64 : DType.Float32;

    public static TheoryData<string> CaseNames() => [.. Golden.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ToString_MatchesPyTorch(string name)
    {
        var c = Golden.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var data = Values(c.GetProperty("data"));
        var shape = c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var x = ParseDType(c.GetProperty("dtype")) == DType.Float64
            ? Torch.FromArray(data, shape)
            : Torch.FromArray(Array.ConvertAll(data, v => (float)v), shape);
        if (c.GetProperty("requires_grad").GetBoolean()) x.RequiresGrad_();
        var op = c.GetProperty("op");
        var y = op.ValueKind == JsonValueKind.Null ? x : Ops[op.GetString()!](x);
        Assert.Equal(c.GetProperty("expected").GetString(), y.ToString());
    }

    [Fact]
    public void GoldenSet_IsLargeAndVaried()
    {
        var cases = Golden.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases.Count >= 60, $"only {cases.Count} cases");
        Assert.Contains(cases, c => c.GetProperty("expected").GetString()!.Contains("..."));
        Assert.Contains(cases, c => c.GetProperty("expected").GetString()!.Contains("e+"));
        Assert.Contains(cases, c => c.GetProperty("expected").GetString()!.Contains(",\n       grad_fn="));
    }

    [Fact]
    public void LinspaceAndArange_MatchPyTorchBitForBit()
    {
        int checkedCases = 0;
        foreach (var r in Golden.GetProperty("ranges").EnumerateArray())
        {
            var dtype = ParseDType(r.GetProperty("dtype"));
            double start = r.GetProperty("start").GetDouble(), end = r.GetProperty("end").GetDouble();
            var t = r.GetProperty("kind").GetString() == "linspace"
                ? Torch.Linspace(start, end, r.GetProperty("steps").GetInt32(), dtype)
                : Torch.Arange(start, end, r.GetProperty("step").GetDouble(), dtype);
            var expected = Values(r.GetProperty("values"));
            var actual = t.ToDoubleArray();
            Assert.True(expected.Length == actual.Length, $"{r}: length {actual.Length}, expected {expected.Length}");
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i].Equals(actual[i]),
                    $"{r.GetProperty("kind")}({start}, {end}, …, {dtype}) element {i}: {actual[i]:R}, PyTorch {expected[i]:R}");
            checkedCases++;
        }
        Assert.True(checkedCases >= 30);
    }

    [Fact]
    public void ToString_IsolatedDecimalTies_RoundHalfEvenLikePython()
    {
        // 0.03125 and 0.09375 are exact binary ties at the fifth decimal: Python rounds to even.
        Assert.Equal("tensor([0.0312, 0.0938], dtype=torch.float64)", Torch.FromArray([0.03125, 0.09375], 2).ToString());
    }
}
