using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

public class LinearTests
{
    [Fact]
    public void Linear_Forward_IsInputTimesWeightTransposedPlusBias()
    {
        var lin = new Linear(3, 2, generator: new Generator(1), dtype: DType.Float64);
        lin.Weight.CopyFrom(Torch.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3));
        lin.Bias!.CopyFrom(Torch.FromArray(new double[] { 0.5, -1 }, 2));
        var x = Torch.FromArray(new double[] { 1, 0, -1, 2, 1, 0 }, 2, 3);
        Assert.Equal(new[] { 1 - 3 + 0.5, 4 - 6 - 1, 2 + 2 + 0.5, 8 + 5 - 1 }, lin.Forward(x).ToDoubleArray());
        // Batched leading dimensions pass through.
        Assert.Equal([4, 5, 2], lin.Forward(Torch.Zeros([4, 5, 3], DType.Float64)).Shape);
    }

    [Fact]
    public void Linear_Init_IsUniformWithinOneOverSqrtFanIn_AndSeedable()
    {
        var a = new Linear(64, 32, generator: new Generator(5));
        var b = new Linear(64, 32, generator: new Generator(5));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        double bound = 1 / Math.Sqrt(64);
        var w = a.Weight.ToDoubleArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.All(a.Bias!.ToDoubleArray(), v => Assert.InRange(v, -bound, bound));
        // U(−b, b) has standard deviation b/√3; 2048 samples put the estimate within a few percent.
        double sd = Math.Sqrt(w.Select(v => v * v).Average());
        Assert.InRange(sd, 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));
        Assert.Null(new Linear(3, 2, bias: false).Bias);
        Assert.Equal(["weight"], new Linear(3, 2, bias: false).StateDict().Keys);
    }

    [Fact]
    public void Linear_GradCheckAndGradGradCheck()
    {
        var g = new Generator(2);
        var lin = new Linear(3, 2, generator: g, dtype: DType.Float64);
        var x = Torch.Randn([4, 3], g, DType.Float64).RequiresGrad_();
        Assert.True(GradCheck.Check(i => F.Linear(i[0], i[1], i[2]), [x, lin.Weight, lin.Bias!]));
        Assert.True(GradCheck.GradGradCheck(i => F.Linear(i[0], i[1], i[2]), [x, lin.Weight, lin.Bias!]));
    }

    [Fact]
    public void Linear_WrongInputSize_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Linear(4, 5).Forward(Torch.Zeros(2, 3)));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e.Message);
    }

    [Fact]
    public void Flatten_MergesDimensionsLikePyTorch()
    {
        var x = Torch.Zeros(2, 3, 4, 5);
        Assert.Equal([2, 60], new Flatten().Forward(x).Shape);
        Assert.Equal([2, 12, 5], new Flatten(1, 2).Forward(x).Shape);
        Assert.Equal([120], F.Flatten(x).Shape);
        Assert.Equal([2, 3, 20], F.Flatten(x, -2).Shape);
        var e = Assert.Throws<ArgumentException>(() => F.Flatten(x, 2, 1));
        Assert.Equal("flatten() has invalid args: start_dim cannot come after end_dim", e.Message);
        var t = Torch.Randn([2, 3, 2], new Generator(1), DType.Float64).RequiresGrad_();
        Assert.True(GradCheck.Check(i => new Flatten().Forward(i[0]) * 2, [t]));
    }

    [Fact]
    public void Sequential_NamesChildrenByIndex_AndChainsForward()
    {
        var seq = new Sequential(new Linear(3, 4), new LeakyReLU(0.2), new Linear(4, 1, bias: false));
        Assert.Equal(3, seq.Count);
        Assert.IsType<LeakyReLU>(seq[1]);
        Assert.IsType<Linear>(seq[-1]);
        Assert.Throws<IndexOutOfRangeException>(() => seq[3]);
        Assert.Equal(["0", "1", "2"], seq.NamedChildren().Select(c => c.Name));
        Assert.Equal(["0.weight", "0.bias", "2.weight"], seq.NamedParameters().Select(p => p.Name));
        var x = Torch.Randn([2, 3], new Generator(4));
        var expected = ((Linear)seq[2]).Forward(F.LeakyRelu(((Linear)seq[0]).Forward(x), 0.2));
        Assert.Equal(expected.ToArray(), seq.Forward(x).ToArray());
        Assert.Equal(3, seq.Count());
    }

    [Fact]
    public void Dropout_Training_ZeroesAboutPAndScalesTheRest_Seedable()
    {
        var x = Torch.Ones([100, 100]);
        var a = new Dropout(0.3, new Generator(9)).Forward(x).ToArray();
        var b = new Dropout(0.3, new Generator(9)).Forward(x).ToArray();
        Assert.Equal(a, b);
        float kept = 1 / 0.7f;
        Assert.All(a, v => Assert.True(v == 0 || v == kept, $"value {v}"));
        double zeros = a.Count(v => v == 0) / 10000.0;
        // Binomial(10000, 0.3): standard deviation 0.0046, so ±0.03 is over six sigma.
        Assert.InRange(zeros, 0.27, 0.33);
    }

    [Fact]
    public void Dropout_EvalAndEdgeProbabilities()
    {
        var x = Torch.Randn([4, 4], new Generator(1));
        var d = new Dropout(0.5, new Generator(2));
        d.Eval();
        Assert.Same(x, d.Forward(x));
        Assert.Equal(new float[16], F.Dropout(x, 1.0).ToArray());
        Assert.Equal(x.ToArray(), F.Dropout(x, 0.0).ToArray());
        var e = Assert.Throws<ArgumentException>(() => new Dropout(1.5));
        Assert.Equal("dropout probability has to be between 0 and 1, but got 1.5", e.Message);
        Assert.Throws<ArgumentException>(() => F.Dropout(x, -0.1));
    }

    [Fact]
    public void Dropout_Gradient_IsTheSameMask()
    {
        var x = Torch.Randn([50], new Generator(1), DType.Float64).RequiresGrad_();
        var y = F.Dropout(x, 0.4, generator: new Generator(3));
        y.Sum().Backward();
        var yv = y.ToDoubleArray();
        var gv = x.Grad!.ToDoubleArray();
        for (int i = 0; i < 50; i++) Assert.Equal(yv[i] == 0 ? 0 : 1 / 0.6, gv[i], 12);
    }

    [Fact]
    public void Dropout_WithAFixedMask_PassesGradCheckAndGradGradCheck()
    {
        var x = Torch.Randn([3, 5], new Generator(6), DType.Float64).RequiresGrad_();
        // Re-seeding on every call draws the same mask, so the map is a fixed linear one.
        Tensor Fn(Tensor[] i) => F.Dropout(i[0], 0.4, generator: new Generator(3));
        Assert.True(GradCheck.Check(Fn, [x]));
        Assert.True(GradCheck.GradGradCheck(Fn, [x]));
    }

    [Fact]
    public void Sequential_LinearLeakyLinear_GradCheckAndGradGradCheck_OverInputAndParameters()
    {
        var g = new Generator(10);
        var seq = new Sequential(new Linear(3, 4, generator: g, dtype: DType.Float64), new LeakyReLU(0.2), new Linear(4, 2, generator: g, dtype: DType.Float64));
        var x = Torch.Randn([2, 3], g, DType.Float64).RequiresGrad_();
        var ps = seq.Parameters().ToArray();
        Tensor Fn(Tensor[] i)
        {
            var h = F.Linear(i[0], i[1], i[2]);
            return F.Linear(F.LeakyRelu(h, 0.2), i[3], i[4]);
        }
        Tensor[] inputs = [x, .. ps];
        Assert.Equal(seq.Forward(x).ToDoubleArray(), Fn(inputs).ToDoubleArray());
        Assert.True(GradCheck.Check(Fn, inputs));
        Assert.True(GradCheck.GradGradCheck(Fn, inputs));
    }
}
