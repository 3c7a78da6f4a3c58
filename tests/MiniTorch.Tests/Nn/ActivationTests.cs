using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Nn;

public class ActivationTests
{
    [Fact]
    public void LeakyRelu_ForwardAndGrad_MatchPyTorchExactly()
    {
        foreach (var c in Root.GetProperty("leaky_relu").EnumerateArray())
        {
            var dtype = DTypeOf(c);
            double slope = c.GetProperty("slope").GetDouble();
            var x = T(c.GetProperty("x"), dtype).RequiresGrad_();
            var y = F.LeakyRelu(x, slope);
            Assert.Equal(c.GetProperty("grad_fn").GetString(), y.GradFn!.Name);
            Exact(D(c.GetProperty("y")), y, $"leaky_relu {dtype} {slope} forward");
            var gx = Torch.Grad(y, x, T(c.GetProperty("g"), dtype));
            Exact(D(c.GetProperty("gx")), gx, $"leaky_relu {dtype} {slope} grad");
        }
    }

    [Fact]
    public void LeakyRelu_GradAtZero_IsNegativeSlope()
    {
        var x = Torch.FromArray(new double[] { 0, -0.0, 1, -1 }, 4).RequiresGrad_();
        F.LeakyRelu(x, 0.2).Sum().Backward();
        Assert.Equal(new[] { 0.2, 0.2, 1, 0.2 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void LeakyRelu_LongInputs_VectorAndTailAgreeWithScalarFormula()
    {
        // 37 elements: full vector blocks plus a scalar tail.
        var g = new Generator(3);
        var x = Torch.Randn([37], g);
        x.Span<float>()[5] = 0;
        x.Span<float>()[36] = float.NaN;
        var y = F.LeakyRelu(x, 0.3).ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            float expected = xs[i] > 0 ? xs[i] : xs[i] * 0.3f;
            Assert.True(expected.Equals(y[i]), $"element {i}: {expected} vs {y[i]}");
        }
    }

    [Fact]
    public void LeakyRelu_GradCheckAndGradGradCheck_RandomShapes()
    {
        var g = new Generator(11);
        for (int trial = 0; trial < 4; trial++)
        {
            int[] shape = [1 + g.Next(3), 1 + g.Next(4), 1 + g.Next(3)];
            // Keep inputs away from the kink so central differences are valid.
            var x = Torch.Randn(shape, g, DType.Float64);
            x = (x + Torch.Uniform(shape, 0.1, 0.5, g, DType.Float64) * Sign(x)).Detach().RequiresGrad_();
            double slope = 0.01 + 0.5 * g.NextDouble();
            Assert.True(GradCheck.Check(i => F.LeakyRelu(i[0], slope), [x]));
            Assert.True(GradCheck.GradGradCheck(i => F.LeakyRelu(i[0], slope), [x]));
        }
    }

    private static Tensor Sign(Tensor x) => Torch.FromArray(x.ToDoubleArray().Select(v => v >= 0 ? 1.0 : -1.0).ToArray(), x.Shape);

    [Fact]
    public void ActivationModules_MatchFunctionalAndTensorOps()
    {
        var x = Torch.Randn([3, 4], new Generator(5), DType.Float64);
        Assert.Equal(x.Relu().ToDoubleArray(), new ReLU().Forward(x).ToDoubleArray());
        Assert.Equal(x.Tanh().ToDoubleArray(), new Tanh().Forward(x).ToDoubleArray());
        Assert.Equal(x.Sigmoid().ToDoubleArray(), new Sigmoid().Forward(x).ToDoubleArray());
        Assert.Equal(F.LeakyRelu(x, 0.2).ToDoubleArray(), new LeakyReLU(0.2).Forward(x).ToDoubleArray());
        Assert.Equal(0.01, new LeakyReLU().NegativeSlope);
        Assert.Empty(new LeakyReLU().Parameters());
    }

    [Fact]
    public void ReluTanhSigmoid_GradCheckAndGradGradCheck()
    {
        var x = (Torch.Randn([2, 5], new Generator(8), DType.Float64) + 0.05).RequiresGrad_();
        foreach (var f in new Func<Tensor, Tensor>[] { F.Tanh, F.Sigmoid })
        {
            Assert.True(GradCheck.Check(i => f(i[0]), [x]));
            Assert.True(GradCheck.GradGradCheck(i => f(i[0]), [x]));
        }
        var away = Torch.FromArray(new double[] { -1.5, -0.3, 0.4, 2 }, 4).RequiresGrad_();
        Assert.True(GradCheck.Check(i => F.Relu(i[0]), [away]));
        Assert.True(GradCheck.GradGradCheck(i => F.Relu(i[0]), [away]));
    }
}
