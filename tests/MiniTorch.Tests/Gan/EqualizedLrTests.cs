using MiniTorch.Autograd;
using MiniTorch.Nn;
using MiniTorch.Nn.Utils;

namespace MiniTorch.Tests.Gan;

public class EqualizedLrTests
{
    [Fact]
    public void EqualizedLr_KeepsTheFunctionAndScalesTheOriginal()
    {
        var conv = new Conv2d(3, 4, 3, generator: new Generator(1));
        var x = Torch.Randn([2, 3, 5, 5], new Generator(2));
        var before = conv.Call(x).ToArray();
        var w = conv.Weight.Clone().ToArray();
        Parametrizations.EqualizedLr(conv, gain: Math.Sqrt(2));
        var eq = (EqualizedLrParametrization)Parametrize.GetParametrizations(conv, "weight")[0];
        Assert.Equal(Math.Sqrt(2) / Math.Sqrt(27), eq.Scale, 15); // fan-in 3·3·3
        var after = conv.Call(x).ToArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i], 5);
        var original = Parametrize.GetParametrizations(conv, "weight").Original.ToArray();
        for (int i = 0; i < w.Length; i++) Assert.Equal(w[i] / eq.Scale, original[i], 4);
    }

    [Fact]
    public void EqualizedLr_GradientOfTheOriginalIsScaled()
    {
        var lin = new Linear(4, 2, generator: new Generator(3), dtype: DType.Float64);
        Parametrizations.EqualizedLr(lin, lrMultiplier: 0.5);
        var original = Parametrize.GetParametrizations(lin, "weight").Original;
        var x = Torch.Randn([3, 4], new Generator(4), DType.Float64);
        Assert.True(GradCheck.Check(_ => lin.Forward(x), [original]));
        lin.Call(x).Sum().Backward();
        // ∂/∂original = c·∂/∂W with c = 0.5/√4.
        var expected = x.Sum(0).ToDoubleArray();
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(0.25 * expected[i % 4], original.Grad!.ToDoubleArray()[i], 14));
    }

    [Fact]
    public void EqualizedLr_OnABias_UsesFanInOne_AndRejectsBadArguments()
    {
        var lin = new Linear(4, 2);
        Parametrizations.EqualizedLr(lin, "bias", lrMultiplier: 0.01);
        Assert.Equal(0.01, ((EqualizedLrParametrization)Parametrize.GetParametrizations(lin, "bias")[0]).Scale);
        Assert.Equal("equalized_lr: gain must be finite and positive, got 0",
            Assert.Throws<ArgumentException>(() => Parametrizations.EqualizedLr(new Linear(2, 2), gain: 0)).Message);
        Assert.Equal("equalized_lr: fanIn must be positive, got 0",
            Assert.Throws<ArgumentException>(() => Parametrizations.EqualizedLr(new Linear(2, 2), fanIn: 0)).Message);
        // Stacked with spectral normalization, as a chain.
        var conv = Parametrizations.SpectralNorm(Parametrizations.EqualizedLr(new Conv2d(2, 2, 3)), generator: new Generator(1));
        Assert.Equal(2, Parametrize.GetParametrizations(conv, "weight").Count);
    }
}
