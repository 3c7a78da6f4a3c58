using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>The Conv2d and ConvTranspose2d layers: parameters, initialisation, output_size, Keras kernels.</summary>
public class ConvModuleTests
{
    [Fact]
    public void Conv2d_ParametersHavePyTorchLayoutNamesAndInitBounds()
    {
        var m = new Conv2d(4, 6, (3, 2), groups: 2, generator: new Generator(1));
        Assert.Equal(new[] { 6, 2, 3, 2 }, m.Weight.Shape);
        Assert.Equal(new[] { 6 }, m.Bias!.Shape);
        Assert.Equal(new[] { "weight", "bias" }, m.StateDict().Keys.ToArray());
        double bound = 1 / Math.Sqrt(2 * 3 * 2);
        Assert.All(m.Weight.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.All(m.Bias.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(m.Weight.ToDoubleArray().Max(Math.Abs) > 0.8 * bound);   // spread over the whole range
        Assert.Null(new Conv2d(4, 6, 3, bias: false).Bias);
    }

    [Fact]
    public void ConvTranspose2d_FanInUsesOutChannelsPerGroup()
    {
        var m = new ConvTranspose2d(8, 6, 4, stride: 2, padding: 1, groups: 2, generator: new Generator(2));
        Assert.Equal(new[] { 8, 3, 4, 4 }, m.Weight.Shape);
        double bound = 1 / Math.Sqrt(3 * 4 * 4);
        Assert.All(m.Weight.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(m.Weight.ToDoubleArray().Max(Math.Abs) > 0.8 * bound);
        Assert.All(m.Bias!.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.Equal(new[] { "weight", "bias" }, m.StateDict().Keys.ToArray());
    }

    [Fact]
    public void Modules_SameGenerator_SameParameters()
    {
        Assert.Equal(new Conv2d(2, 3, 3, generator: new Generator(9)).Weight.ToArray(), new Conv2d(2, 3, 3, generator: new Generator(9)).Weight.ToArray());
    }

    [Fact]
    public void ConvTranspose2d_OutputSize_SelectsAmongSizesConvMapsBack()
    {
        var m = new ConvTranspose2d(2, 3, 3, stride: 3, padding: 1, generator: new Generator(3));
        var x = Torch.Randn([1, 2, 4, 5], new Generator(4));
        for (int extra = 0; extra < 3; extra++)
        {
            int[] size = [10 + extra, 13 + 2 - extra];
            var y = m.Forward(x, size);
            Assert.Equal(new[] { 1, 3, size[0], size[1] }, y.Shape);
            Assert.Equal(F.ConvTranspose2d(x, m.Weight, m.Bias, 3, 1, (extra, 2 - extra)).ToArray(), y.ToArray());
            // Conv2d with the same geometry maps every such size back to the input size.
            var back = F.Conv2d(Torch.Zeros([1, 3, size[0], size[1]]), Torch.Zeros([2, 3, 3, 3]), stride: 3, padding: 1);
            Assert.Equal(new[] { 1, 2, 4, 5 }, back.Shape);
        }
        Assert.Equal(new[] { 1, 3, 11, 13 }, m.Forward(x, [1, 3, 11, 13]).Shape);   // full shape accepted
        Assert.Equal(new[] { 1, 3, 10, 13 }, m.Forward(x).Shape);
    }

    [Fact]
    public void Modules_GradFnIsConvolutionBackward0()
    {
        var x = Torch.Randn([1, 2, 5, 5], new Generator(5));
        Assert.Equal("ConvolutionBackward0", new Conv2d(2, 3, 3).Forward(x).GradFn!.Name);
        Assert.Equal("ConvolutionBackward0", new ConvTranspose2d(2, 3, 3).Forward(x).GradFn!.Name);
    }

    [Fact]
    public void KerasInterop_MovesAxesWithoutFlipping()
    {
        var k = Torch.Arange(2 * 3 * 4 * 5, DType.Float64).View(2, 3, 4, 5);   // (kh, kw, out, in) = (2, 3, 4, 5)
        var t = KerasInterop.ConvTransposeKernel(k);
        Assert.Equal(new[] { 5, 4, 2, 3 }, t.Shape);
        var c = KerasInterop.Conv2dKernel(k);                                    // (kh, kw, in, out) = (2, 3, 4, 5)
        Assert.Equal(new[] { 5, 4, 2, 3 }, c.Shape);
        var kd = k.ToDoubleArray();
        var td = t.ToDoubleArray();
        for (int i = 0; i < 5; i++)
            for (int o = 0; o < 4; o++)
                for (int h = 0; h < 2; h++)
                    for (int w = 0; w < 3; w++)
                        Assert.Equal(kd[((h * 3 + w) * 4 + o) * 5 + i], td[((i * 4 + o) * 2 + h) * 3 + w]);
        Assert.Throws<ArgumentException>(() => KerasInterop.ConvTransposeKernel(Torch.Zeros(3, 3, 2)));
    }

    [Fact]
    public void ConvTranspose2dModule_KerasSame_OutputIsInputTimesStride()
    {
        var m = new ConvTranspose2d(2, 3, 5, stride: 2, padding: Padding2d.Same, generator: new Generator(6));
        Assert.Equal(new[] { 1, 3, 14, 10 }, m.Forward(Torch.Randn([1, 2, 7, 5], new Generator(7))).Shape);
        var v = new ConvTranspose2d(2, 3, 1, stride: 3, padding: Padding2d.Valid, generator: new Generator(6));
        Assert.Equal(new[] { 1, 3, 21, 15 }, v.Forward(Torch.Randn([1, 2, 7, 5], new Generator(7))).Shape);
    }
}
