using System.Text.Json;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// Conv1d/Conv3d/ConvTranspose1d/ConvTranspose3d (and 2-d through the same path) against PyTorch 1.13
/// (Golden/ConvNd/conv_nd.json, written by gen_conv_nd.py): the forward, the gradients w.r.t. input,
/// weight and bias, and double backward (the gradients of L = ⟨gx, ux⟩ + ⟨gw, uw⟩ with respect to
/// input, weight and the upstream gradient), in float64 and float32, with strides, paddings
/// ('same'/'valid' too), output paddings, dilations, groups, optional bias and unbatched inputs.
/// </summary>
/// <remarks>
/// Both sides sum the same products in different orders, so each element may differ by at most
/// 2γₙ·Σ|terms| (Higham §3.1, γₙ = n·u/(1 − n·u)), n bounding the number of products of any element
/// of the case. Σ|terms| of every result comes from running the same pipeline on the absolute
/// values in float64 on the scalar <see cref="ConvRoute.Reference"/> route: with no cancellation its
/// results are exactly the sums of the terms' magnitudes.
/// </remarks>
public class ConvNdGoldenTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "ConvNd", "conv_nd.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    public static TheoryData<string> Names() => new(Cases.Value.Keys);

    private static readonly string[] Results = ["y", "gx", "gw", "gb", "ddx", "ddw", "ddgy"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Float64_MatchesPyTorch(string name) => Check(Cases.Value[name], DType.Float64);

    [Theory]
    [MemberData(nameof(Names))]
    public void Float32_MatchesPyTorch(string name) => Check(Cases.Value[name], DType.Float32);

    private static int[] Ints(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetInt32())];
    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static Tensor Make(double[] values, int[] shape, DType dtype, bool grad = true)
    {
        var t = dtype == DType.Float64 ? Torch.FromArray(values, shape) : Torch.FromArray(Array.ConvertAll(values, v => (float)v), shape);
        return grad ? t.RequiresGrad_() : t;
    }

    /// <summary>Calls the functional op of the case's rank with its configuration, as a PyTorch user would write it.</summary>
    internal static Tensor Call(JsonElement c, Tensor x, Tensor w, Tensor? b)
    {
        var cfg = c.GetProperty("cfg");
        int rank = c.GetProperty("rank").GetInt32(), groups = cfg.GetProperty("groups").GetInt32();
        int[] s = Ints(cfg.GetProperty("stride")), d = Ints(cfg.GetProperty("dilation"));
        var pad = cfg.GetProperty("padding");
        string? mode = pad.ValueKind == JsonValueKind.String ? pad.GetString() : null;
        int[] p = mode is null ? Ints(pad) : new int[rank];
        if (c.GetProperty("op").GetString() == "conv")
            return rank switch
            {
                1 => F.Conv1d(x, w, b, stride: s[0], padding: mode is null ? p[0] : mode, dilation: d[0], groups: groups),
                2 => F.Conv2d(x, w, b, stride: (s[0], s[1]), padding: mode is null ? (p[0], p[1]) : mode, dilation: (d[0], d[1]), groups: groups),
                _ => F.Conv3d(x, w, b, stride: (s[0], s[1], s[2]), padding: mode is null ? (p[0], p[1], p[2]) : mode, dilation: (d[0], d[1], d[2]), groups: groups),
            };
        int[] op = Ints(cfg.GetProperty("outputPadding"));
        return rank switch
        {
            1 => F.ConvTranspose1d(x, w, b, stride: s[0], padding: p[0], outputPadding: op[0], groups: groups, dilation: d[0]),
            2 => F.ConvTranspose2d(x, w, b, stride: (s[0], s[1]), padding: (p[0], p[1]), outputPadding: (op[0], op[1]), groups: groups, dilation: (d[0], d[1])),
            _ => F.ConvTranspose3d(x, w, b, stride: (s[0], s[1], s[2]), padding: (p[0], p[1], p[2]), outputPadding: (op[0], op[1], op[2]), groups: groups, dilation: (d[0], d[1], d[2])),
        };
    }

    /// <summary>Forward, gradients and double backward of the case on <paramref name="transform"/>(inputs), all in <paramref name="dtype"/>.</summary>
    private static Dictionary<string, Tensor?> Pipeline(JsonElement c, DType dtype, Func<double[], double[]> transform)
    {
        int[] xs = Ints(c.GetProperty("xShape")), ws = Ints(c.GetProperty("wShape")), ys = Ints(c.GetProperty("yShape"));
        var x = Make(transform(Doubles(c.GetProperty("x"))), xs, dtype);
        var w = Make(transform(Doubles(c.GetProperty("w"))), ws, dtype);
        var bJson = c.GetProperty("b");
        var b = bJson.ValueKind == JsonValueKind.Null ? null : Make(transform(Doubles(bJson)), [bJson.GetArrayLength()], dtype);
        var gy = Make(transform(Doubles(c.GetProperty("gy"))), ys, dtype);
        var ux = Make(transform(Doubles(c.GetProperty("ux"))), xs, dtype, grad: false);
        var uw = Make(transform(Doubles(c.GetProperty("uw"))), ws, dtype, grad: false);
        var y = Call(c, x, w, b);
        Assert.Equal(ys, y.Shape);
        // As in PyTorch: an unbatched input is unsqueezed and the result squeezed (SqueezeBackward1).
        Assert.Equal(c.GetProperty("unbatched").GetBoolean() ? "SqueezeBackward1" : "ConvolutionBackward0", y.GradFn!.Name);
        Tensor[] inputs = b is null ? [x, w] : [x, w, b];
        var g = Torch.Grad([y], inputs, [gy], createGraph: true);
        var loss = (g[0]! * ux).Sum() + (g[1]! * uw).Sum();
        var dd = Torch.Grad([loss], [x, w, gy]);
        return new() { ["y"] = y, ["gx"] = g[0], ["gw"] = g[1], ["gb"] = b is null ? null : g[2], ["ddx"] = dd[0], ["ddw"] = dd[1], ["ddgy"] = dd[2] };
    }

    /// <summary>An upper bound on the number of products summed into any result element of the case.</summary>
    private static int Terms(JsonElement c)
    {
        int[] xs = Ints(c.GetProperty("xShape")), ws = Ints(c.GetProperty("wShape")), ys = Ints(c.GetProperty("yShape"));
        int taps = ws[2..].Aggregate(1, (a, v) => a * v);
        int rank = c.GetProperty("rank").GetInt32();
        int batch = xs.Length == rank + 2 ? xs[0] : 1;
        int smallPixels = c.GetProperty("op").GetString() == "conv" ? ys[^rank..].Aggregate(1, (a, v) => a * v) : xs[^rank..].Aggregate(1, (a, v) => a * v);
        return 2 * (ws[0] + ws[1]) * taps + batch * smallPixels + 4;
    }

    private static void Check(JsonElement c, DType dtype)
    {
        var ours = Pipeline(c, dtype, v => v);
        Dictionary<string, Tensor?> magnitude;
        using (ConvPlanner.Force(ConvRoute.Reference)) magnitude = Pipeline(c, DType.Float64, v => Array.ConvertAll(v, Math.Abs));
        var expected = c.GetProperty("results").GetProperty(dtype == DType.Float64 ? "float64" : "float32");
        int n = Terms(c);
        double u = dtype == DType.Float64 ? Math.Pow(2, -53) : Math.Pow(2, -24), gamma = n * u / (1 - n * u);
        foreach (var key in Results)
        {
            var e = expected.GetProperty(key);
            if (e.ValueKind == JsonValueKind.Null) { Assert.Null(ours[key]); continue; }
            double[] want = Doubles(e), got = ours[key]!.ToDoubleArray(), mag = magnitude[key]!.ToDoubleArray();
            Assert.Equal(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(got[i] - want[i]) <= 2 * gamma * mag[i],
                            $"{c.GetProperty("name").GetString()} {dtype} {key}[{i}]: PyTorch {want[i]:R}, MiniTorch {got[i]:R}, bound {2 * gamma * mag[i]:R}");
        }
    }
}
