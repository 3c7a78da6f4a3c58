using System.Text.Json;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// F.Interpolate against PyTorch 1.13 (Golden/Interpolate/gen_interpolate.py): every mode, both
/// alignCorners values, explicit sizes up and down, integer and non-integer scale factors, with
/// and without recomputeScaleFactor, in float32 and float64; forward values and input gradients.
/// </summary>
/// <remarks>
/// Measured against this file, in units of ε·(1 + |value|): nearest and nearest-exact forwards are
/// bit-exact, area within 0.05, bilinear within 1.5, bicubic within 11 (float32) and 9 (float64);
/// PyTorch's compiled kernels fuse some multiply-adds of the cubic weights, MiniTorch does not.
/// </remarks>
public class InterpolateGoldenTests
{
    private sealed record Case(JsonElement Json)
    {
        public string DType => Json.GetProperty("dtype").GetString()!;
        public string Mode => Json.GetProperty("mode").GetString()!;
        public bool? AlignCorners => Json.GetProperty("align_corners").ValueKind == JsonValueKind.Null ? null : Json.GetProperty("align_corners").GetBoolean();
        public int[] InputShape => Ints("input_shape")!;
        public int[] OutputShape => Ints("output_shape")!;
        public int[]? Size => Ints("size");
        public double[]? ScaleFactor => Json.TryGetProperty("scale_factor", out var s) ? s.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null;
        public bool? Recompute => Json.TryGetProperty("recompute_scale_factor", out var r) && r.ValueKind != JsonValueKind.Null ? r.GetBoolean() : null;
        public double[] Output => Doubles("output");
        public double[] GradInput => Doubles("grad_input");
        public bool PyTorchGradIsAdjoint => Json.GetProperty("pytorch_grad_is_adjoint").GetBoolean();
        public double[] AdjointGradInput => Doubles("adjoint_grad_input");
        public string GradFn => Json.GetProperty("grad_fn").GetString()!;

        private int[]? Ints(string name) => Json.TryGetProperty(name, out var e) ? e.EnumerateArray().Select(v => v.GetInt32()).ToArray() : null;
        private double[] Doubles(string name) => Json.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

        public override string ToString() =>
            $"{Mode} {DType} alignCorners={AlignCorners?.ToString() ?? "None"} " +
            (Size is { } s ? $"size=({s[0]}, {s[1]})" : $"scale_factor=({ScaleFactor![0]}, {ScaleFactor[1]}) recompute={Recompute?.ToString() ?? "None"}");
    }

    private static readonly Lazy<Case[]> Cases = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "Interpolate", "interpolate.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => new Case(e.Clone())).ToArray();
    });

    /// <summary>The generator's inputs: ((a·i + b) mod m)/(m/2) − 1, exact in float64.</summary>
    internal static double[] Values(int n, int a, int b, int m)
    {
        var v = new double[n];
        for (int i = 0; i < n; i++) v[i] = ((long)a * i + b) % m / (m / 2.0) - 1.0;
        return v;
    }

    private static InterpolationMode ParseMode(string mode) => mode switch
    {
        "nearest" => InterpolationMode.Nearest,
        "nearest-exact" => InterpolationMode.NearestExact,
        "bilinear" => InterpolationMode.Bilinear,
        "bicubic" => InterpolationMode.Bicubic,
        "area" => InterpolationMode.Area,
        _ => throw new ArgumentException(mode),
    };

    // Both sides round each product and sum; the kernels may order or fuse them differently (the
    // PyTorch build contracts some of them into FMAs), so results agree to a few units in the last
    // place of the magnitude involved: 16 ε·(1 + |expected|), ε the dtype's machine epsilon.
    private static double Tolerance(string dtype, double expected) =>
        16 * (dtype == "float32" ? Math.Pow(2, -23) : Math.Pow(2, -52)) * (1 + Math.Abs(expected));

    [Theory]
    [InlineData("nearest", "float32")]
    [InlineData("nearest", "float64")]
    [InlineData("nearest-exact", "float32")]
    [InlineData("nearest-exact", "float64")]
    [InlineData("bilinear", "float32")]
    [InlineData("bilinear", "float64")]
    [InlineData("bicubic", "float32")]
    [InlineData("bicubic", "float64")]
    [InlineData("area", "float32")]
    [InlineData("area", "float64")]
    public void Interpolate_ForwardAndGradient_MatchPyTorch(string mode, string dtype)
    {
        var cases = Cases.Value.Where(c => c.Mode == mode && c.DType == dtype).ToArray();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var dt = dtype == "float32" ? DType.Float32 : DType.Float64;
            int n = c.InputShape.Aggregate(1, (p, s) => p * s);
            var x = Torch.FromArray(Values(n, 37, 11, 101), c.InputShape).To(dt).Detach().RequiresGrad_();
            Scale2? scale = c.ScaleFactor is { } f ? (f[0], f[1]) : null;
            Size2? size = c.Size is { } s ? (s[0], s[1]) : null;
            var y = F.Interpolate(x, size, scale, ParseMode(mode), c.AlignCorners, c.Recompute);
            if (!y.Shape.SequenceEqual(c.OutputShape))
            {
                failures.Add($"{c}: shape {Shape.Format(y.Shape)}, PyTorch {Shape.Format(c.OutputShape)}");
                continue;
            }
            // PyTorch computes a 1×1 adaptive average as a mean (MeanBackward1); the values agree.
            if (y.GradFn!.Name != c.GradFn && c.GradFn != "MeanBackward1")
                failures.Add($"{c}: grad_fn {y.GradFn.Name}, PyTorch {c.GradFn}");
            Compare(c, "output", y.ToDoubleArray(), c.Output, failures);
            var g = Torch.FromArray(Values(y.Numel, 53, 7, 97), y.Shape).To(dt);
            var gx = Torch.Grad(y, x, g);
            // Where PyTorch's backward is not the adjoint of its own forward (see the generator), the
            // gradient is checked against the adjoint of PyTorch's forward instead.
            if (c.PyTorchGradIsAdjoint) Compare(c, "grad_input", gx.ToDoubleArray(), c.GradInput, failures);
            else Compare(c, "adjoint grad_input", gx.ToDoubleArray(), c.AdjointGradInput, failures);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} mismatches of {cases.Length} cases:\n" + string.Join("\n", failures.Take(20)));
    }

    private static void Compare(Case c, string what, double[] actual, double[] expected, List<string> failures)
    {
        if (actual.Length != expected.Length) { failures.Add($"{c}: {what} has {actual.Length} values, PyTorch {expected.Length}"); return; }
        for (int i = 0; i < actual.Length; i++)
        {
            // The file holds float32 results as their shortest decimal; round back to float32.
            double e = c.DType == "float32" ? (float)expected[i] : expected[i];
            if (!(Math.Abs(actual[i] - e) <= Tolerance(c.DType, e)))
            {
                failures.Add($"{c}: {what}[{i}] = {actual[i]:R}, PyTorch {e:R}");
                return;
            }
        }
    }
}
