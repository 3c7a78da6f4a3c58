using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Functions;

/// <summary>
/// The fused leaky-ReLU / ReLU backward (one pass g ↦ x &gt; 0 ? g : g·slope) against the
/// two-step formulation it replaced, g·(x &gt; 0 ? 1 : slope), including zeros, NaN and infinities,
/// in both element types, and its own backward (double backward through it).
/// </summary>
public class LeakyReluGradTests
{
    private static Tensor Special(DType dtype, Generator g)
    {
        // Ragged length (not a multiple of any vector width), with the edge values spread through it.
        var x = Torch.Randn([3, 7, 11], g).To(dtype);
        var a = x.ToDoubleArray();
        double[] special = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-30, -1e-30];
        for (int i = 0; i < special.Length; i++) a[i * 31 % a.Length] = special[i];
        return Torch.FromDoubles(a, [3, 7, 11], dtype);
    }

    [Theory]
    [InlineData(DType.Float32, 0.2)]
    [InlineData(DType.Float64, 0.01)]
    [InlineData(DType.Float32, 0.0)]
    public void LeakyReluBackward_BitwiseEqualsSlopeTimesGradient(DType dtype, double slope)
    {
        var gen = new Generator(31);
        var x = Special(dtype, gen).RequiresGrad_();
        var upstream = Special(dtype, gen);
        var gx = Torch.Grad([F.LeakyRelu(x, slope)], [x], [upstream])[0]!.ToDoubleArray();
        var xs = x.ToDoubleArray();
        var us = upstream.ToDoubleArray();
        for (int i = 0; i < xs.Length; i++)
        {
            double expected = dtype == DType.Float32
                ? (float)us[i] * (xs[i] > 0 ? 1f : (float)slope)
                : us[i] * (xs[i] > 0 ? 1 : slope);
            Assert.True(expected.Equals(gx[i]), $"element {i}: x {xs[i]}, g {us[i]}: expected {expected:R}, got {gx[i]:R}");
        }
    }

    [Fact]
    public void ReluBackward_BitwiseEqualsMaskTimesGradient()
    {
        var gen = new Generator(32);
        var x = Special(DType.Float32, gen).RequiresGrad_();
        var upstream = Special(DType.Float32, gen);
        var gx = Torch.Grad([x.Relu()], [x], [upstream])[0]!.ToDoubleArray();
        var ys = x.Detach().Relu().ToDoubleArray();
        var us = upstream.ToDoubleArray();
        for (int i = 0; i < ys.Length; i++)
        {
            double expected = (float)us[i] * (ys[i] > 0 ? 1f : 0f);
            Assert.True(expected.Equals(gx[i]), $"element {i}: y {ys[i]}, g {us[i]}: expected {expected:R}, got {gx[i]:R}");
        }
    }

    [Fact]
    public void LeakyReluBackward_DoubleBackward_NamesAndGradGradCheck()
    {
        var gen = new Generator(33);
        var x = (Torch.Randn([4, 5], gen, DType.Float64) + 0.05).RequiresGrad_();
        // The node is recorded when the incoming gradient requires grad (x is a constant of it, as before).
        var u = Torch.Randn([4, 5], gen, DType.Float64).RequiresGrad_();
        var gx = Torch.Grad([F.LeakyRelu(x, 0.3)], [x], [u], createGraph: true)[0]!;
        Assert.Equal("LeakyReluBackwardBackward0", gx.GradFn!.Name);
        var gr = Torch.Grad([x.Relu()], [x], [u], createGraph: true)[0]!;
        Assert.Equal("ThresholdBackwardBackward0", gr.GradFn!.Name);
        // Double backward runs through the fused node (the gradient check of the gradient with respect to g).
        Assert.True(GradCheck.GradGradCheck(i => F.LeakyRelu(i[0], 0.3), [x]));
        Assert.True(GradCheck.GradGradCheck(i => i[0].Relu(), [x]));
    }
}
