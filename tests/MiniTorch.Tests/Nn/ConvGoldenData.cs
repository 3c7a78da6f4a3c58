using System.Text.Json;

namespace MiniTorch.Tests.Nn;

/// <summary>One case of Golden/Conv/conv.json (written by gen_conv.py with PyTorch 1.13).</summary>
public sealed record ConvGoldenCase(
    string Op, string Name, int N, int CIn, int COut, int H, int W, (int H, int W) Kernel,
    (int H, int W) Stride, (int H, int W) Padding, (int H, int W) Dilation, int Groups,
    (int H, int W) OutputPadding, int[] OutShape, double[] X, double[] Wt, double[]? B, double[] Gy,
    JsonElement Float64, JsonElement Float32)
{
    /// <summary>The weight's shape: conv [out, in/g, kH, kW], transposed conv [in, out/g, kH, kW].</summary>
    public int[] WeightShape => Op == "conv2d"
        ? [COut, CIn / Groups, Kernel.H, Kernel.W]
        : [CIn, COut / Groups, Kernel.H, Kernel.W];

    public int[] InputShape => [N, CIn, H, W];

    public override string ToString() => $"{Op}/{Name}";
}

/// <summary>Loads the PyTorch golden cases once.</summary>
public static class ConvGoldenData
{
    private static readonly Lazy<Dictionary<string, ConvGoldenCase>> Cases = new(Load);

    public static ConvGoldenCase Get(string op, string name) => Cases.Value[op + "/" + name];

    public static IEnumerable<string> Names(string op) =>
        Cases.Value.Values.Where(c => c.Op == op).Select(c => c.Name);

    /// <summary>float64 values: the JSON numbers are the doubles' shortest round-trip repr.</summary>
    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>
    /// float32 values: the JSON numbers are the float32s' shortest round-trip repr, so parsing
    /// the text directly as float (correctly rounded) gives PyTorch's float32 bit for bit.
    /// </summary>
    public static float[] Singles(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private static Dictionary<string, ConvGoldenCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "Conv", "conv.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, ConvGoldenCase>();
        foreach (var op in new[] { "conv2d", "conv_transpose2d" })
            foreach (var c in doc.RootElement.GetProperty(op).EnumerateArray())
            {
                static (int, int) Pair(JsonElement e) => (e[0].GetInt32(), e[1].GetInt32());
                var b = c.GetProperty("b");
                var gc = new ConvGoldenCase(op, c.GetProperty("name").GetString()!,
                    c.GetProperty("n").GetInt32(), c.GetProperty("cin").GetInt32(), c.GetProperty("cout").GetInt32(),
                    c.GetProperty("h").GetInt32(), c.GetProperty("w").GetInt32(), Pair(c.GetProperty("kernel")),
                    Pair(c.GetProperty("stride")), Pair(c.GetProperty("padding")), Pair(c.GetProperty("dilation")),
                    c.GetProperty("groups").GetInt32(), Pair(c.GetProperty("outputPadding")),
                    c.GetProperty("outShape").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
                    Doubles(c.GetProperty("x")), Doubles(c.GetProperty("wt")),
                    b.ValueKind == JsonValueKind.Null ? null : Doubles(b), Doubles(c.GetProperty("gy")),
                    c.GetProperty("float64").Clone(), c.GetProperty("float32").Clone());
                result.Add(gc.ToString(), gc);
            }
        return result;
    }
}

/// <summary>
/// Enumerates the products a convolution is made of, straight from the definition, so that a
/// test can bound rounding errors without trusting the code under test: for every output
/// element it yields Σ|terms| and the number of terms.
/// </summary>
/// <remarks>
/// Conv2d and ConvTranspose2d share one set of (small, weight, big) index triples: conv2d maps
/// the big tensor (its input) to the small one (its output), the transposed conv maps the small
/// tensor (its input) to the big one. big[n, cb, hs·s − p + i·d, ws·s − p + j·d] meets
/// small[n, cs, hs, ws] through weight[cs-major, cb-in-group, i, j] (both ops store the
/// "small" channel first and the "big" channel per group second).
/// </remarks>
public static class ConvTerms
{
    /// <summary>Calls <paramref name="visit"/>(smallIndex, weightIndex, bigIndex) for every product.</summary>
    public static void ForEach(int n, int groups, int cSmall, int cBig, (int H, int W) small, (int H, int W) big,
        (int H, int W) k, (int H, int W) s, (int H, int W) p, (int H, int W) d, Action<int, int, int> visit)
    {
        int smallPerGroup = cSmall / groups, bigPerGroup = cBig / groups;
        for (int b = 0; b < n; b++)
            for (int cs = 0; cs < cSmall; cs++)
            {
                int g = cs / smallPerGroup;
                for (int cbl = 0; cbl < bigPerGroup; cbl++)
                {
                    int cb = g * bigPerGroup + cbl;
                    for (int hs = 0; hs < small.H; hs++)
                        for (int ws = 0; ws < small.W; ws++)
                            for (int i = 0; i < k.H; i++)
                            {
                                int hb = hs * s.H - p.H + i * d.H;
                                if (hb < 0 || hb >= big.H) continue;
                                for (int j = 0; j < k.W; j++)
                                {
                                    int wb = ws * s.W - p.W + j * d.W;
                                    if (wb < 0 || wb >= big.W) continue;
                                    int smallIdx = ((b * cSmall + cs) * small.H + hs) * small.W + ws;
                                    int bigIdx = ((b * cBig + cb) * big.H + hb) * big.W + wb;
                                    int wIdx = ((cs * bigPerGroup + cbl) * k.H + i) * k.W + j;
                                    visit(smallIdx, wIdx, bigIdx);
                                }
                            }
                }
            }
    }

    /// <summary>
    /// For a golden case: Σ|terms| and the term count of every element of y, gx, gw, gb
    /// (the bias counts as one more term of y; gb sums gy over N, H, W).
    /// </summary>
    /// <param name="c">The case.</param>
    /// <param name="roundInputsToFloat32">Use the float32-rounded inputs the float32 run sees.</param>
    public static (Bounds Y, Bounds Gx, Bounds Gw, Bounds Gb) Of(ConvGoldenCase c, bool roundInputsToFloat32 = false)
    {
        Func<double, double> r = roundInputsToFloat32 ? v => Math.Abs((double)(float)v) : Math.Abs;
        bool conv = c.Op == "conv2d";
        int cSmall = conv ? c.COut : c.CIn, cBig = conv ? c.CIn : c.COut;
        var smallHw = conv ? (c.OutShape[2], c.OutShape[3]) : (c.H, c.W);
        var bigHw = conv ? (c.H, c.W) : (c.OutShape[2], c.OutShape[3]);
        // For conv2d: small = y (gy), big = x. For the transposed conv: small = x, big = y (gy).
        var yB = new Bounds(c.Gy.Length); var gxB = new Bounds(c.X.Length);
        var gwB = new Bounds(c.Wt.Length); var gbB = new Bounds(c.COut);
        ForEach(c.N, c.Groups, cSmall, cBig, smallHw, bigHw, c.Kernel, c.Stride, c.Padding, c.Dilation, (si, wi, bi) =>
        {
            int xi = conv ? bi : si, yi = conv ? si : bi;
            double x = r(c.X[xi]), w = r(c.Wt[wi]), gy = r(c.Gy[yi]);
            yB.Add(yi, x * w); gxB.Add(xi, gy * w); gwB.Add(wi, x * gy);
        });
        int hw = c.OutShape[2] * c.OutShape[3];
        for (int i = 0; i < c.Gy.Length; i++)
        {
            int ch = i / hw % c.COut;
            if (c.B is not null) yB.Add(i, r(c.B[ch]));
            gbB.Add(ch, r(c.Gy[i]));
        }
        return (yB, gxB, gwB, gbB);
    }

    /// <summary>
    /// The exact-as-float64 values of y, gx, gw, gb from the definition (a slow reference used
    /// only to validate the golden data and the tolerance argument).
    /// </summary>
    public static (double[] Y, double[] Gx, double[] Gw, double[] Gb) Reference(ConvGoldenCase c, bool roundInputsToFloat32 = false)
    {
        Func<double, double> r = roundInputsToFloat32 ? v => (float)v : v => v;
        bool conv = c.Op == "conv2d";
        int cSmall = conv ? c.COut : c.CIn, cBig = conv ? c.CIn : c.COut;
        var smallHw = conv ? (c.OutShape[2], c.OutShape[3]) : (c.H, c.W);
        var bigHw = conv ? (c.H, c.W) : (c.OutShape[2], c.OutShape[3]);
        double[] y = new double[c.Gy.Length], gx = new double[c.X.Length], gw = new double[c.Wt.Length], gb = new double[c.COut];
        ForEach(c.N, c.Groups, cSmall, cBig, smallHw, bigHw, c.Kernel, c.Stride, c.Padding, c.Dilation, (si, wi, bi) =>
        {
            int xi = conv ? bi : si, yi = conv ? si : bi;
            double x = r(c.X[xi]), w = r(c.Wt[wi]), gy = r(c.Gy[yi]);
            y[yi] += x * w; gx[xi] += gy * w; gw[wi] += x * gy;
        });
        int hw = c.OutShape[2] * c.OutShape[3];
        for (int i = 0; i < c.Gy.Length; i++)
        {
            int ch = i / hw % c.COut;
            if (c.B is not null) y[i] += r(c.B[ch]);
            gb[ch] += r(c.Gy[i]);
        }
        return (y, gx, gw, gb);
    }

    /// <summary>2γₙ·Σ|terms| for float32; 1e-10·Σ|terms| for float64 (see ConvGoldenPyTorchTests' remarks).</summary>
    public static double Tolerance(double absSum, int terms, DType dtype)
    {
        if (dtype == DType.Float64) return 1e-10 * absSum;
        const double u = 1.0 / (1 << 24);
        double gamma = terms * u / (1 - terms * u);
        return 2 * gamma * absSum;
    }

    /// <summary>Σ|terms| and the number of terms for each element of one tensor.</summary>
    public sealed class Bounds(int length)
    {
        public double[] AbsSum { get; } = new double[length];
        public int[] Count { get; } = new int[length];
        public void Add(int i, double absTerm) { AbsSum[i] += absTerm; Count[i]++; }
    }
}
