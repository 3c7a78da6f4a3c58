using System.Text.Json;
using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class DiffAugmentTests
{
    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static DiffAugmentParams Params(JsonElement c)
    {
        var size = Ints(c.GetProperty("cutout_size"));
        return new DiffAugmentParams(D(c.GetProperty("brightness")), D(c.GetProperty("saturation")), D(c.GetProperty("contrast")),
            Ints(c.GetProperty("shift_h")), Ints(c.GetProperty("shift_w")), Ints(c.GetProperty("cutout_h")), Ints(c.GetProperty("cutout_w")), (size[0], size[1]));
    }

    [Fact]
    public void DiffAugment_WithFixedOffsets_MatchesTheReferenceCode()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("diff_augment"))
        {
            var dtype = DTypeOf(c);
            var p = Params(c);
            var x = T(c.GetProperty("x"), dtype).RequiresGrad_();
            string what = $"diff_augment {dtype} {string.Join('x', x.Shape)}";
            // Translation and cutout move or zero values: exact. Color takes means, summed in another order.
            Exact(D(c.GetProperty("translation_only")), DiffAugment.Translate(x, p.ShiftH!, p.ShiftW!), what + " translation");
            Exact(D(c.GetProperty("cutout_only")), DiffAugment.Cutout(x, p.CutoutH!, p.CutoutW!, p.CutoutSize.H, p.CutoutSize.W), what + " cutout");
            double tol = dtype == DType.Float32 ? 1e-6 : 1e-14;
            var y = DiffAugment.Apply(x, p);
            Close(D(c.GetProperty("y")), y, tol, tol, what + " all");
            var gx = Torch.Grad([y], [x], [T(c.GetProperty("g"), dtype)])[0]!;
            Close(D(c.GetProperty("gx")), gx, tol, tol, what + " gradient");
            n++;
        }
        Assert.Equal(4, n);
    }

    [Fact]
    public void DiffAugment_GradCheckAndGradGradCheck()
    {
        var g = new Generator(31);
        var x = Torch.Randn([3, 2, 5, 4], g, DType.Float64).RequiresGrad_();
        var p = DiffAugment.Sample(x.Shape, DiffAugmentPolicy.All, new Generator(32));
        Assert.True(GradCheck.Check(a => DiffAugment.Apply(a[0], p), [x]));
        Assert.True(GradCheck.GradGradCheck(a => DiffAugment.Apply(a[0], p), [x]));
        Assert.True(GradCheck.GradGradCheck(a => DiffAugment.Translate(a[0].Pow(2), [2, -1, 0], [-3, 1, 4]), [x]));
    }

    [Fact]
    public void DiffAugment_SameGenerator_IsBitwiseReproducible_AndDrawsInTheReferenceOrder()
    {
        var x = Torch.Randn([4, 3, 16, 16], new Generator(1));
        var a = DiffAugment.Apply(x, DiffAugmentPolicy.All, new Generator(7)).ToArray();
        var b = DiffAugment.Apply(x, DiffAugmentPolicy.All, new Generator(7)).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, DiffAugment.Apply(x, DiffAugmentPolicy.All, new Generator(8)).ToArray());
        var p = DiffAugment.Sample(x.Shape, DiffAugmentPolicy.All, new Generator(7));
        var g = new Generator(7);
        var first = Enumerable.Range(0, 4).Select(_ => g.NextDouble()).ToArray();
        Assert.Equal(first, p.Brightness);
        for (int i = 0; i < 8; i++) g.NextDouble(); // saturation, contrast
        Assert.Equal(Enumerable.Range(0, 4).Select(_ => g.Next(-2, 3)).ToArray(), p.ShiftH); // ⌊16/8 + ½⌋ = 2
        Assert.All(p.ShiftW!, s => Assert.InRange(s, -2, 2));
        Assert.All(p.CutoutH!, s => Assert.InRange(s, 0, 16)); // size 8 is even: centres in [0, 16]
        Assert.Equal((8, 8), p.CutoutSize);
        Assert.Equal(a, DiffAugment.Apply(x, p).ToArray());
    }

    [Fact]
    public void DiffAugment_Policies_ApplyOnlyTheirTransforms()
    {
        var x = Torch.Randn([2, 3, 8, 8], new Generator(1));
        Assert.Same(x, DiffAugment.Apply(x, DiffAugmentPolicy.None, new Generator(1)));
        var translated = DiffAugment.Sample(x.Shape, DiffAugmentPolicy.Translation, new Generator(2));
        Assert.Null(translated.Brightness);
        Assert.Null(translated.CutoutH);
        Assert.Equal(DiffAugmentPolicy.All, DiffAugment.ParsePolicy("color,translation,cutout"));
        Assert.Equal(DiffAugmentPolicy.Color | DiffAugmentPolicy.Cutout, DiffAugment.ParsePolicy(" cutout, color "));
        Assert.Equal("diff_augment: unknown policy 'flip' (expected color, translation or cutout)",
            Assert.Throws<ArgumentException>(() => DiffAugment.ParsePolicy("color,flip")).Message);
    }

    [Fact]
    public void Translate_MovesAndZeroFills()
    {
        var x = Torch.Arange(1, 10, 1, DType.Float64).Reshape(1, 1, 3, 3);
        // Output (i, j) reads input (i + 1, j − 1).
        Assert.Equal(new double[] { 0, 4, 5, 0, 7, 8, 0, 0, 0 }, DiffAugment.Translate(x, [1], [-1]).ToDoubleArray());
        Assert.Equal(new double[9], DiffAugment.Translate(x, [3], [0]).ToDoubleArray());
        var cut = DiffAugment.Cutout(x, [0], [2], 2, 2); // rows −1…0 → 0, columns 1…2
        Assert.Equal(new double[] { 1, 0, 0, 4, 5, 6, 7, 8, 9 }, cut.ToDoubleArray());
        // Extreme values move everything out or cut nothing, without overflowing.
        Assert.Equal(new double[9], DiffAugment.Translate(x, [int.MinValue], [int.MaxValue]).ToDoubleArray());
        Assert.Equal(x.ToDoubleArray(), DiffAugment.Cutout(x, [int.MaxValue], [int.MinValue], int.MaxValue, 3).ToDoubleArray());
    }

    [Fact]
    public void DiffAugment_BadArguments_Throw()
    {
        var x = Torch.Zeros(2, 3, 8, 8);
        Assert.Equal("diff_augment: expected images of shape [N, C, H, W], got [3, 8, 8]",
            Assert.Throws<ArgumentException>(() => DiffAugment.Apply(Torch.Zeros(3, 8, 8))).Message);
        Assert.Equal("diff_augment: translation needs one value per image (N = 2), got 3",
            Assert.Throws<ArgumentException>(() => DiffAugment.Translate(x, [0, 1, 2], [0, 0, 0])).Message);
        Assert.Equal("diff_augment: Contrast needs one value per image (N = 2), got 1",
            Assert.Throws<ArgumentException>(() => DiffAugment.Apply(x, new DiffAugmentParams(Contrast: [0.5]))).Message);
        Assert.Equal("diff_augment: ShiftH and ShiftW must be given together",
            Assert.Throws<ArgumentException>(() => DiffAugment.Apply(x, new DiffAugmentParams(ShiftH: [0, 0]))).Message);
        Assert.Equal("diff_augment: translationRatio must be in [0, 1], got 2",
            Assert.Throws<ArgumentException>(() => DiffAugment.Apply(x, translationRatio: 2)).Message);
        Assert.StartsWith("8 is not a valid value for policy",
            Assert.Throws<ArgumentOutOfRangeException>("policy", () => DiffAugment.Apply(x, (DiffAugmentPolicy)8)).Message);
        Assert.Throws<ArgumentNullException>(() => DiffAugment.Brightness(x, null!));
        var longs = Torch.Zeros([2, 1, 4, 4], DType.Int64);
        Assert.StartsWith("\"translate\" not implemented for 'Long'", Assert.Throws<ArgumentException>(() => DiffAugment.Translate(longs, [0, 0], [0, 0])).Message);
        Assert.StartsWith("\"diff_augment\" not implemented for 'Long'", Assert.Throws<ArgumentException>(() => DiffAugment.Apply(longs, DiffAugmentPolicy.All, new Generator(1))).Message);
    }
}
