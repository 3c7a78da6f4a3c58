using MiniTorch.Nn;
using MiniTorch.Tests.Functions;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Nn;

/// <summary>Max, average, adaptive pooling and max unpooling in 1-d, 2-d and 3-d against PyTorch (Golden/Everyday/gen_pool.py).</summary>
public class PoolGoldenTests
{
    private static Size2 S2(Case c, string a) { var v = c.Ints(a); return v.Length == 1 ? v[0] : (v[0], v[1]); }
    private static Size2? S2OrNull(Case c, string a) => c.Has(a) ? S2(c, a) : null;
    private static Size3 S3(Case c, string a) { var v = c.Ints(a); return v.Length == 1 ? v[0] : (v[0], v[1], v[2]); }
    private static Size3? S3OrNull(Case c, string a) => c.Has(a) ? S3(c, a) : null;
    private static int[]? SizeOrNull(Case c) => c.Has("size") ? c.Ints("size") : null;
    private static Tensor[] Pair((Tensor A, Tensor B) p) => [p.A, p.B];

    private static readonly Dictionary<string, Func<Case, Tensor[]>> Ops = new()
    {
        ["max_pool1d"] = c => Pair(F.MaxPool1dWithIndices(c[0], c.Int("k"), c.IntOrNull("s"), c.Int("p"), c.Int("d"), c.Bool("ceil"))),
        ["max_pool2d"] = c => Pair(F.MaxPool2dWithIndices(c[0], S2(c, "k"), S2OrNull(c, "s"), S2(c, "p"), S2(c, "d"), c.Bool("ceil"))),
        ["max_pool3d"] = c => Pair(F.MaxPool3dWithIndices(c[0], S3(c, "k"), S3OrNull(c, "s"), S3(c, "p"), S3(c, "d"), c.Bool("ceil"))),
        ["avg_pool1d"] = c => [F.AvgPool1d(c[0], c.Int("k"), c.IntOrNull("s"), c.Int("p"), c.Bool("ceil"), c.Bool("cip"))],
        ["avg_pool2d"] = c => [F.AvgPool2d(c[0], S2(c, "k"), S2OrNull(c, "s"), S2(c, "p"), c.Bool("ceil"), c.Bool("cip"), c.IntOrNull("div"))],
        ["avg_pool3d"] = c => [F.AvgPool3d(c[0], S3(c, "k"), S3OrNull(c, "s"), S3(c, "p"), c.Bool("ceil"), c.Bool("cip"), c.IntOrNull("div"))],
        ["adaptive_avg_pool1d"] = c => [F.AdaptiveAvgPool1d(c[0], c.Int("out"))],
        ["adaptive_max_pool1d"] = c => Pair(F.AdaptiveMaxPool1dWithIndices(c[0], c.Int("out"))),
        ["adaptive_avg_pool2d"] = c => [AdaptiveAvg2d(c)],
        ["adaptive_max_pool2d"] = c => Pair(F.AdaptiveMaxPool2dWithIndices(c[0], Resolve(c))),
        ["adaptive_avg_pool3d"] = c => [F.AdaptiveAvgPool3d(c[0], S3(c, "out"))],
        ["adaptive_max_pool3d"] = c => [F.AdaptiveMaxPool3d(c[0], S3(c, "out"))],
        ["max_unpool1d"] = c => [F.MaxUnpool1d(c[0], c[1], c.Int("k"), c.Int("s"), c.Int("p"), SizeOrNull(c))],
        ["max_unpool2d"] = c => [F.MaxUnpool2d(c[0], c[1], S2(c, "k"), S2(c, "s"), S2(c, "p"), SizeOrNull(c))],
        ["max_unpool3d"] = c => [F.MaxUnpool3d(c[0], c[1], S3(c, "k"), S3(c, "s"), S3(c, "p"), SizeOrNull(c))],
    };

    // PyTorch's None entries of an adaptive output size keep the input's size.
    private static int?[] Out(Case c) => c.Args.GetProperty("out").EnumerateArray().Select(e => e.ValueKind == System.Text.Json.JsonValueKind.Null ? (int?)null : e.GetInt32()).ToArray();
    private static Tensor AdaptiveAvg2d(Case c) { var o = Out(c); return F.AdaptiveAvgPool2d(c[0], o[0], o[1]); }
    private static Size2 Resolve(Case c) { var o = Out(c); return (o[0] ?? c[0].Size(-2), o[1] ?? c[0].Size(-1)); }

    [Fact]
    public void Pooling_EveryCase_MatchesPyTorch() => Assert.Equal(198, OpGolden.Run("pool.json", Ops));

    [Fact]
    public void Pooling_PassesGradCheckAndGradGradCheck()
    {
        // Distinct values, so every window's maximum is unique and max pooling is differentiable.
        var x = Torch.FromArray(Enumerable.Range(0, 2 * 5 * 6).Select(i => (i * 37 % 60) * 0.1 - 3).ToArray(), 1, 2, 5, 6);
        LayoutGrad.Check(t => F.MaxPool2d(t[0], 3, 2, 1, ceilMode: true), true, x);
        LayoutGrad.Check(t => F.MaxPool2d(t[0], (2, 3), (1, 2), dilation: (2, 1)), true, x);
        LayoutGrad.Check(t => F.AvgPool2d(t[0], 3, 2, 1, ceilMode: true, countIncludePad: false), true, x);
        LayoutGrad.Check(t => F.AvgPool2d(t[0], 2, divisorOverride: 3), true, x);
        LayoutGrad.Check(t => F.AdaptiveAvgPool2d(t[0], (3, 4)), true, x);
        LayoutGrad.Check(t => F.AdaptiveMaxPool2d(t[0], (2, 4)), true, x);
        var x1 = x.Reshape(2, 5, 6);
        LayoutGrad.Check(t => F.MaxPool1d(t[0], 3, 2, 1), true, x1);
        LayoutGrad.Check(t => F.AvgPool1d(t[0], 4, 1, 2, countIncludePad: true), true, x1);
        LayoutGrad.Check(t => F.AdaptiveAvgPool1d(t[0], 4), true, x1);
        LayoutGrad.Check(t => F.AdaptiveMaxPool1d(t[0], 4), true, x1);
        var x3 = x.Reshape(1, 2, 3, 2, 5);
        LayoutGrad.Check(t => F.MaxPool3d(t[0], 2, 1), true, x3);
        LayoutGrad.Check(t => F.AvgPool3d(t[0], 2, 1, 1), true, x3);
        LayoutGrad.Check(t => F.AdaptiveAvgPool3d(t[0], (2, 2, 3)), true, x3);
        var (y, idx) = F.MaxPool2dWithIndices(x, 2);
        LayoutGrad.Check(t => F.MaxUnpool2d(t[0], idx, 2), true, y);
    }

    [Fact]
    public void MaxPool_Ties_SendTheGradientToTheFirstIndex()
    {
        var x = Torch.Ones([1, 1, 2, 2]).RequiresGrad_();
        var (y, idx) = F.MaxPool2dWithIndices(x, 2);
        Assert.Equal(0, idx.ItemInt64());
        y.Sum().Backward();
        Assert.Equal(new float[] { 1, 0, 0, 0 }, x.Grad!.ToArray());
        Assert.Equal("MaxPool2DWithIndicesBackward0", y.GradFn!.Name);
    }

    [Fact]
    public void PoolModules_ForwardToF_AndPrintLikePyTorch()
    {
        var x = Torch.Randn([2, 3, 8, 8], new Generator(6));
        var m = new MaxPool2d(2, returnIndices: true);
        Assert.Equal(F.MaxPool2d(x, 2).ToArray(), m.Forward(x).ToArray());
        var (y, idx) = m.ForwardWithIndices(x);
        Assert.Equal(x.ToArray().Length / 4, idx.Numel);
        Assert.Equal(x.Shape, new MaxUnpool2d(2).Forward(y, idx).Shape);
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).ToString());
        Assert.Equal("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=(1, 2))", new AdaptiveAvgPool2d((1, 2)).ToString());
        Assert.Equal(F.AdaptiveAvgPool2d(x, 1).ToArray(), new AdaptiveAvgPool2d(1).Forward(x).ToArray());
        Assert.Equal(F.AvgPool1d(x.Reshape(6, 8, 8), 3).ToArray(), new AvgPool1d(3).Forward(x.Reshape(6, 8, 8)).ToArray());
        Assert.Equal(F.MaxPool3d(x.Unsqueeze(0), (1, 2, 2)).ToArray(), new MaxPool3d((1, 2, 2)).Forward(x.Unsqueeze(0)).ToArray());
        Assert.Equal(F.AdaptiveMaxPool1d(x.Reshape(6, 8, 8), 3).ToArray(), new AdaptiveMaxPool1d(3).Forward(x.Reshape(6, 8, 8)).ToArray());
        Assert.Throws<NotSupportedException>(() => new MaxUnpool2d(2).Forward(x));
    }
}
