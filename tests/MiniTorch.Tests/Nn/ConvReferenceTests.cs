using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>The fast kernels agree with the naive definitions (direct loops, zero insertion, scatter).</summary>
public class ConvReferenceTests
{
    private static void Close(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])),
                        $"{what}: element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static void CheckCase(ConvCase c, DType dtype, double tol, bool bias = true)
    {
        var g = new Generator(c.Seed);
        var x = ConvCase.Randn(c.XShape, g);
        var w = ConvCase.Randn(c.WShape, g);
        var b = bias ? ConvCase.Randn([c.Cout], g) : null;
        var z = ConvCase.Randn(c.YShape, g);
        var bt = bias ? ConvCase.Randn([c.Cin], g) : null;
        var (xd, wd, zd) = (x.ToDoubleArray(), w.ToDoubleArray(), z.ToDoubleArray());

        var y = c.Conv(x.To(dtype), w.To(dtype), b?.To(dtype));
        Assert.Equal(c.YShape, y.Shape);
        var yRef = ConvReference.Conv2d(xd, c.XShape, wd, c.WShape, b?.ToDoubleArray(), (c.SH, c.SW), (c.PH, c.PW), (c.DH, c.DW), c.Groups, c.OH, c.OW);
        Close(yRef, y.ToDoubleArray(), tol, $"Conv2d {c}");

        var t = c.Transpose(z.To(dtype), w.To(dtype), bt?.To(dtype));
        Assert.Equal(c.XShape, t.Shape);
        var tZero = ConvReference.ConvTransposeZeroInsertion(zd, c.YShape, wd, c.WShape, bt?.ToDoubleArray(), (c.SH, c.SW), (c.PH, c.PW), (c.A.H, c.A.W), (c.DH, c.DW), c.Groups);
        var tScatter = ConvReference.ConvTransposeScatter(zd, c.YShape, wd, c.WShape, bt?.ToDoubleArray(), (c.SH, c.SW), (c.PH, c.PW), c.H, c.W, (c.DH, c.DW), c.Groups);
        Close(tZero, t.ToDoubleArray(), tol, $"ConvTranspose2d vs zero insertion {c}");
        Close(tScatter, t.ToDoubleArray(), tol, $"ConvTranspose2d vs scatter {c}");
    }

    [Property(MaxTest = 150)]
    public void Conv2dAndConvTranspose2d_MatchNaiveReferences_RandomSmallConfigs(ConvCase c) => CheckCase(c, DType.Float64, 1e-12);

    public static TheoryData<ConvCase> LargeCases => new()
    {
        // Several tiles with an odd remainder (72 rows → 910-pixel tiles over 41·43 pixels).
        new ConvCase(2, 1, 8, 5, 41, 43, 3, 3, 1, 1, 1, 1, 1, 1, 1),
        // Wide rows: tiles of 32 pixels that split output rows; stride and dilation.
        new ConvCase(1, 2, 40, 3, 23, 29, 5, 4, 2, 3, 2, 3, 2, 1, 2),
        // 1×1 kernels: the plain-GEMM paths, with groups.
        new ConvCase(3, 3, 4, 2, 17, 13, 1, 1, 1, 1, 0, 0, 1, 1, 3),
        // C_out = 1 and strided 4×4 kernels (DCGAN-like), four output phases.
        new ConvCase(2, 1, 6, 1, 34, 30, 4, 4, 2, 2, 1, 1, 1, 1, 4),
        // Stride 3 with kernel 2: phases without taps; dilation 3 with stride 2.
        new ConvCase(2, 1, 3, 4, 20, 21, 2, 3, 3, 2, 0, 2, 1, 3, 5),
        // 64 small-side channels: each transposed phase (256 GEMM rows, 20·20 pixels) spans two tiles.
        new ConvCase(1, 1, 2, 64, 40, 40, 4, 4, 2, 2, 1, 1, 1, 1, 7),
        // A DCGAN discriminator's last layer: one output channel, one pixel (a dot product per image).
        new ConvCase(3, 1, 16, 1, 4, 4, 4, 4, 1, 1, 0, 0, 1, 1, 8),
        // Big kernel vs a small image, all padding.
        new ConvCase(1, 1, 2, 3, 3, 4, 5, 5, 1, 2, 4, 4, 1, 1, 6),
    };

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Conv2dAndConvTranspose2d_MatchNaiveReferences_TiledAndPhaseRoutes_Float64(ConvCase c) => CheckCase(c, DType.Float64, 1e-11);

    [Theory]
    [MemberData(nameof(LargeCases))]
    public void Conv2dAndConvTranspose2d_MatchNaiveReferences_TiledAndPhaseRoutes_Float32(ConvCase c) => CheckCase(c, DType.Float32, 2e-4);

    [Fact]
    public void Conv2d_PaddingSame_PadsAsymmetricallyForEvenKernels()
    {
        var g = new Generator(7);
        foreach (var (k, d) in new[] { (2, 1), (4, 1), (3, 2), (4, 3), (1, 1) })
        {
            var x = ConvCase.Randn([1, 2, 9, 8], g);
            var w = ConvCase.Randn([3, 2, k, k], g);
            var y = F.Conv2d(x, w, padding: Padding2d.Same, dilation: d);
            Assert.Equal(new[] { 1, 3, 9, 8 }, y.Shape);
            var (top, _) = Shape.SamePadding(k, d);
            var yRef = ConvReference.Conv2d(x.ToDoubleArray(), [1, 2, 9, 8], w.ToDoubleArray(), [3, 2, k, k], null, (1, 1), (top, top), (d, d), 1, 9, 8);
            Close(yRef, y.ToDoubleArray(), 1e-12, $"same k={k} d={d}");
            if (d * (k - 1) + 1 > 8) continue;
            var valid = F.Conv2d(x, w, padding: Padding2d.Valid, dilation: d);
            Close(F.Conv2d(x, w, padding: 0, dilation: d).ToDoubleArray(), valid.ToDoubleArray(), 0, "valid");
        }
    }

    [Fact]
    public void ConvTranspose2d_KerasSameAndValid_MatchKerasCrops()
    {
        // Keras' crops, written as in keras/src/backend/common/backend_utils.py (the JAX path):
        // pad_len = s + k − 2, left = min(ceil(pad_len/2), k − 1), crop_left = k − 1 − left.
        var g = new Generator(11);
        foreach (var (k, s, d) in new[] { (3, 1, 1), (3, 2, 1), (4, 2, 1), (5, 2, 1), (1, 2, 1), (2, 3, 1), (5, 3, 1), (2, 1, 1), (3, 2, 2) })
        {
            int keff = d * (k - 1) + 1, padLen = s + keff - 2, left = Math.Min(padLen / 2 + padLen % 2, keff - 1), cropLeft = keff - 1 - left;
            var z = ConvCase.Randn([2, 3, 4, 5], g);
            var w = ConvCase.Randn([3, 2, k, k], g);
            var same = F.ConvTranspose2d(z, w, stride: s, padding: Padding2d.Same, dilation: d);
            Assert.Equal(new[] { 2, 2, 4 * s, 5 * s }, same.Shape);
            var sameRef = ConvReference.ConvTransposeScatter(z.ToDoubleArray(), [2, 3, 4, 5], w.ToDoubleArray(), [3, 2, k, k], null, (s, s), (cropLeft, cropLeft), 4 * s, 5 * s, (d, d), 1);
            Close(sameRef, same.ToDoubleArray(), 1e-12, $"same k={k} s={s} d={d}");

            var valid = F.ConvTranspose2d(z, w, stride: s, padding: Padding2d.Valid, dilation: d);
            int vh = 3 * s + Math.Max(keff, s), vw = 4 * s + Math.Max(keff, s);
            Assert.Equal(new[] { 2, 2, vh, vw }, valid.Shape);
            var validRef = ConvReference.ConvTransposeScatter(z.ToDoubleArray(), [2, 3, 4, 5], w.ToDoubleArray(), [3, 2, k, k], null, (s, s), (0, 0), vh, vw, (d, d), 1);
            Close(validRef, valid.ToDoubleArray(), 1e-12, $"valid k={k} s={s} d={d}");
        }
    }

    [Fact]
    public void Conv2dAndConvTranspose2d_UnbatchedInput_MatchesBatched()
    {
        var g = new Generator(3);
        var x = ConvCase.Randn([2, 6, 7], g);
        var w = ConvCase.Randn([4, 2, 3, 3], g);
        var y = F.Conv2d(x, w, stride: 2, padding: 1);
        Assert.Equal(new[] { 4, 3, 4 }, y.Shape);
        Close(F.Conv2d(x.Unsqueeze(0), w, stride: 2, padding: 1).ToDoubleArray(), y.ToDoubleArray(), 0, "conv unbatched");
        var wt = ConvCase.Randn([2, 3, 3, 3], g);
        var t = F.ConvTranspose2d(x, wt, stride: 2);
        Assert.Equal(new[] { 3, 13, 15 }, t.Shape);
        Close(F.ConvTranspose2d(x.Unsqueeze(0), wt, stride: 2).ToDoubleArray(), t.ToDoubleArray(), 0, "transpose unbatched");
    }

    [Fact]
    public void Conv2d_NonContiguousInput_MatchesContiguous()
    {
        var g = new Generator(5);
        var x = ConvCase.Randn([2, 3, 9, 8], g).Transpose(2, 3);   // [2, 3, 8, 9], strided
        var w = ConvCase.Randn([4, 3, 3, 3], g).Transpose(2, 3);
        Assert.False(x.IsContiguous);
        var y = F.Conv2d(x, w, padding: 1);
        Close(F.Conv2d(x.Contiguous(), w.Contiguous(), padding: 1).ToDoubleArray(), y.ToDoubleArray(), 0, "strided");
    }
}
