using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>F.Pad, ZeroPad2d and Conv2d's padding modes against the definitions.</summary>
public class ConvPadTests
{
    private static readonly (PadMode Mode, string Name)[] Modes =
        [(PadMode.Constant, "constant"), (PadMode.Reflect, "reflect"), (PadMode.Replicate, "replicate"), (PadMode.Circular, "circular")];

    public static TheoryData<int[], int[]> Cases => new()
    {
        { new[] { 2, 3, 4, 5 }, new[] { 1, 2, 3, 0 } },
        { new[] { 2, 3, 4, 5 }, new[] { -1, 2, 3, -2 } },   // negative pads crop
        { new[] { 2, 3, 5 }, new[] { 4, 1 } },
        { new[] { 3, 5 }, new[] { 0, -3 } },
        { new[] { 1, 2, 3, 3, 4 }, new[] { 1, 1, 2, 0, 1, 2 } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pad_AllModes_MatchDefinition(int[] shape, int[] pad)
    {
        var x = Torch.Randn(shape, new Generator(1), DType.Float64);
        foreach (var (mode, name) in Modes)
        {
            var y = F.Pad(x, pad, mode, value: 0.5);
            var expected = ConvReference.Pad(x.ToDoubleArray(), shape, pad, name, 0.5, out var outShape);
            Assert.Equal(outShape, y.Shape);
            Assert.Equal(expected, y.ToDoubleArray());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pad_AllModes_GradCheckAndGradGradCheck(int[] shape, int[] pad)
    {
        foreach (var (mode, _) in Modes)
        {
            var x = Torch.Randn(shape, new Generator(2), DType.Float64).RequiresGrad_();
            Assert.True(GradCheck.Check(t => F.Pad(t[0], pad, mode, 0.5), [x]));
            Assert.True(GradCheck.GradGradCheck(t => F.Pad(t[0], pad, mode) * F.Pad(t[0], pad, mode), [x]));
        }
    }

    [Fact]
    public void Pad_PyTorchExamples()
    {
        var x = Torch.Arange(4, DType.Float64).View(1, 1, 4);
        Assert.Equal(new[] { 1.0, 2, 3, 2, 1 }, F.Pad(x, [-1, 2], PadMode.Reflect).ToDoubleArray());
        Assert.Equal(new[] { 1.0, 2, 3, 1, 2 }, F.Pad(x, [-1, 2], PadMode.Circular).ToDoubleArray());
        Assert.Equal(new[] { 0.0, 0, 1, 2, 3, 3, 3 }, F.Pad(x, [1, 2], PadMode.Replicate).ToDoubleArray());
        Assert.Equal(new[] { 9.0, 0, 1, 2, 3, 9 }, F.Pad(x, [1, 1], value: 9).ToDoubleArray());
        // torch 1.13: F.pad(arange(20).view(1,1,4,5), (2,-1,-1,2), mode='circular'), first and last rows.
        var c = F.Pad(Torch.Arange(20, DType.Float64).View(1, 1, 4, 5), [2, -1, -1, 2], PadMode.Circular);
        Assert.Equal(new[] { 1, 1, 5, 6 }, c.Shape);
        Assert.Equal(new[] { 7.0, 8, 5, 6, 7, 8 }, c[0][0][0].ToDoubleArray());
        Assert.Equal(new[] { 12.0, 13, 10, 11, 12, 13 }, c[0][0][4].ToDoubleArray());
        var y = F.Pad(x.RequiresGrad_(), [1, 1], PadMode.Reflect);
        Assert.Equal("ReflectionPad1DBackward0", y.GradFn!.Name);
        Assert.Equal("ConstantPadNdBackward0", F.Pad(x, [1, 1]).GradFn!.Name);
    }

    [Fact]
    public void Pad_BadArguments_Throw()
    {
        void Throws(string message, Action act) => Assert.Equal(message, Assert.Throws<ArgumentException>(act).Message);
        var x = Torch.Zeros(1, 1, 4, 4);
        Throws("Padding length must be divisible by 2", () => F.Pad(x, [1, 1, 1]));
        Throws("Padding length too large", () => F.Pad(Torch.Zeros(4, 4), [1, 1, 1, 1, 1, 1]));
        Throws("Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (4, 4) at dimension 3 of input 4",
               () => F.Pad(x, [4, 4, 4, 4], PadMode.Reflect));
        Throws("Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (1, 4) at dimension 3 of input 4",
               () => F.Pad(x, [1, 4, 0, 0], PadMode.Reflect));
        Throws("Padding value causes wrapping around more than once.", () => F.Pad(x, [5, 5, 0, 0], PadMode.Circular));
        Throws("Negative padding value is resulting in an empty dimension", () => F.Pad(x, [-4, 0, 0, 0], PadMode.Circular));
        Throws("Negative padding value is resulting in an empty dimension", () => F.Pad(x, [-4, 2, 0, 0], PadMode.Circular));
        Throws("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now", () => F.Pad(x, [1, 1], PadMode.Reflect));
        Throws("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now", () => F.Pad(Torch.Zeros(4), [1, 1], PadMode.Reflect));
        Assert.Throws<ArgumentException>(() => F.Pad(x, [-5, 0]));
    }

    [Fact]
    public void ZeroPad2d_PadsAndCrops()
    {
        var x = Torch.Randn([2, 3, 4, 5], new Generator(3), DType.Float64);
        var y = new ZeroPad2d((1, -2, 0, 3)).Forward(x);
        Assert.Equal(ConvReference.Pad(x.ToDoubleArray(), [2, 3, 4, 5], [1, -2, 0, 3], "constant", 0, out var shape), y.ToDoubleArray());
        Assert.Equal(shape, y.Shape);
        Assert.Equal(new[] { 2, 3, 6, 7 }, new ZeroPad2d(1).Forward(x).Shape);
        var xg = x.Detach().RequiresGrad_();
        Assert.True(GradCheck.Check(t => new ZeroPad2d((2, 1, -1, 1)).Forward(t[0]), [xg]));
    }

    [Fact]
    public void Conv2dModule_PaddingModes_MatchPadThenConvolve()
    {
        var g = new Generator(4);
        var x = Torch.Randn([2, 2, 6, 7], g, DType.Float64);
        foreach (var (mode, padMode, name) in new[] { (PaddingMode.Reflect, PadMode.Reflect, "reflect"), (PaddingMode.Replicate, PadMode.Replicate, "replicate"), (PaddingMode.Circular, PadMode.Circular, "circular"), (PaddingMode.Zeros, PadMode.Constant, "constant") })
        {
            var m = new Conv2d(2, 3, (3, 2), stride: (2, 1), padding: (2, 1), paddingMode: mode, generator: new Generator(5));
            m.To(DType.Float64);
            var padded = ConvReference.Pad(x.ToDoubleArray(), [2, 2, 6, 7], [1, 1, 2, 2], name, 0, out var ps);
            int oh = Shape.ConvOutputSize(ps[2], 3, 2, 0, 1), ow = Shape.ConvOutputSize(ps[3], 2, 1, 0, 1);
            var expected = ConvReference.Conv2d(padded, ps, m.Weight.ToDoubleArray(), m.Weight.Shape, m.Bias!.ToDoubleArray(), (2, 1), (0, 0), (1, 1), 1, oh, ow);
            var y = m.Forward(x);
            Assert.Equal(new[] { 2, 3, oh, ow }, y.Shape);
            var actual = y.ToDoubleArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
            var xg = x.Detach().RequiresGrad_();
            Assert.True(GradCheck.Check(t => m.Forward(t[0]), [xg]));
        }
    }

    [Fact]
    public void Conv2dModule_SamePaddingWithReflect_KeepsSize()
    {
        var m = new Conv2d(1, 1, 4, padding: Padding2d.Same, paddingMode: PaddingMode.Reflect, bias: false, generator: new Generator(1));
        Assert.Equal(new[] { 1, 1, 5, 6 }, m.Forward(Torch.Randn([1, 1, 5, 6], new Generator(2))).Shape);
    }
}
