using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Nn;

public class InitTests
{
    [Fact]
    public void CalculateGain_MatchesPyTorch()
    {
        var g = Root.GetProperty("gain");
        Assert.Equal(g.GetProperty("linear").GetDouble(), Init.CalculateGain(Nonlinearity.Linear));
        Assert.Equal(g.GetProperty("sigmoid").GetDouble(), Init.CalculateGain(Nonlinearity.Sigmoid));
        Assert.Equal(g.GetProperty("tanh").GetDouble(), Init.CalculateGain(Nonlinearity.Tanh));
        Assert.Equal(g.GetProperty("relu").GetDouble(), Init.CalculateGain(Nonlinearity.Relu));
        Assert.Equal(g.GetProperty("leaky_relu").GetDouble(), Init.CalculateGain(Nonlinearity.LeakyRelu));
        Assert.Equal(g.GetProperty("leaky_relu_0.2").GetDouble(), Init.CalculateGain(Nonlinearity.LeakyRelu, 0.2));
        Assert.Equal(g.GetProperty("selu").GetDouble(), Init.CalculateGain(Nonlinearity.Selu));
    }

    [Fact]
    public void Fans_MatchPyTorch_AndNeedTwoDimensions()
    {
        foreach (var c in Root.GetProperty("fans").EnumerateArray())
        {
            var shape = c.GetProperty("shape").EnumerateArray().Select(s => s.GetInt32()).ToArray();
            Assert.Equal((c.GetProperty("fan_in").GetInt32(), c.GetProperty("fan_out").GetInt32()), Init.CalculateFanInAndFanOut(Torch.Zeros(shape)));
        }
        var e = Assert.Throws<ArgumentException>(() => Init.XavierUniform(Torch.Zeros(5)));
        Assert.Equal("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions", e.Message);
    }

    private static double Std(Tensor t)
    {
        var v = t.ToDoubleArray();
        double m = v.Average();
        return Math.Sqrt(v.Select(x => (x - m) * (x - m)).Average());
    }

    [Fact]
    public void Kaiming_And_Xavier_HaveTheirDocumentedSpread()
    {
        // [64, 32, 3, 3]: fan_in = 288, fan_out = 576; 18432 samples estimate the std within ~1%.
        int[] shape = [64, 32, 3, 3];
        var w = Torch.Zeros(shape);
        Init.KaimingUniform(w, a: 0.2, generator: new Generator(1));
        double bound = Init.CalculateGain(Nonlinearity.LeakyRelu, 0.2) * Math.Sqrt(3.0 / 288);
        Assert.All(w.ToDoubleArray(), v => Assert.InRange(v, -bound, bound));
        Assert.InRange(Std(w), 0.97 * bound / Math.Sqrt(3), 1.03 * bound / Math.Sqrt(3));

        Init.KaimingNormal(w, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Relu, generator: new Generator(2));
        Assert.InRange(Std(w), 0.97 * Math.Sqrt(2.0 / 576), 1.03 * Math.Sqrt(2.0 / 576));

        Init.XavierUniform(w, gain: 2, generator: new Generator(3));
        double xb = 2 * Math.Sqrt(6.0 / (288 + 576));
        Assert.All(w.ToDoubleArray(), v => Assert.InRange(v, -xb, xb));
        Assert.InRange(Std(w), 0.97 * xb / Math.Sqrt(3), 1.03 * xb / Math.Sqrt(3));

        Init.XavierNormal(w, generator: new Generator(4));
        Assert.InRange(Std(w), 0.97 * Math.Sqrt(2.0 / 864), 1.03 * Math.Sqrt(2.0 / 864));

        Init.Normal(w, 3, 0.5, new Generator(5));
        Assert.InRange(w.ToDoubleArray().Average(), 2.98, 3.02);
        Assert.InRange(Std(w), 0.485, 0.515);
    }

    [Fact]
    public void Initialisers_AreInPlace_SeedableAndLeaveTheGraphAlone()
    {
        var p = Torch.Zeros([4, 3]).RequiresGrad_();
        var storage = p.Storage;
        Assert.Same(p, Init.KaimingUniform(p, generator: new Generator(7)));
        Assert.Same(storage, p.Storage);
        Assert.True(p.IsLeaf);
        Assert.Null(p.GradFn);
        var q = Torch.Zeros([4, 3]);
        Init.KaimingUniform(q, generator: new Generator(7));
        Assert.Equal(q.ToArray(), p.ToArray());

        Assert.All(Init.Ones(Torch.Zeros(2, 2)).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Init.Zeros(Torch.Ones(2, 2)).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Init.Constant(Torch.Zeros(3), 0.25).ToArray(), v => Assert.Equal(0.25f, v));
        Assert.All(Init.Uniform(Torch.Zeros(100), -2, -1, new Generator(1)).ToArray(), v => Assert.InRange(v, -2f, -1f));
        // A view is filled through its strides.
        var m = Torch.Zeros(3, 4);
        Init.Ones(m.Transpose(0, 1).Narrow(0, 1, 2));
        Assert.Equal(new float[] { 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0 }, m.ToArray());
        // Zero-element tensors are left alone, as PyTorch does.
        Assert.Equal(0, Init.KaimingNormal(Torch.Zeros(0, 3)).Numel);
    }
}
