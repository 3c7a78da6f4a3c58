using System.Text.Json;
using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class GradientPenaltyTests
{
    /// <summary>The golden discriminator: Conv2d(2→3, 3, stride 2, pad 1) → LeakyReLU(0.2) → Conv2d(3→1, 4) → one score per image.</summary>
    private sealed class SmallD : Module
    {
        private readonly Conv2d _c1, _c2;

        public SmallD(JsonElement c, DType dtype)
        {
            _c1 = RegisterModule("c1", new Conv2d(2, 3, 3, stride: 2, padding: 1));
            _c2 = RegisterModule("c2", new Conv2d(3, 1, 4));
            To(dtype);
            LoadStateDict(new Dictionary<string, Tensor>
            {
                ["c1.weight"] = T(c.GetProperty("c1_weight"), dtype), ["c1.bias"] = T(c.GetProperty("c1_bias"), dtype),
                ["c2.weight"] = T(c.GetProperty("c2_weight"), dtype), ["c2.bias"] = T(c.GetProperty("c2_bias"), dtype),
            });
        }

        public Tensor[] Checked => [_c1.Weight, _c1.Bias!, _c2.Weight];

        public override Tensor Forward(Tensor input) => _c2.Call(F.LeakyRelu(_c1.Call(input), 0.2)).Reshape(-1);
    }

    /// <summary>
    /// The first layer's bias changes the input gradient only through LeakyReLU's mask, whose
    /// derivative is 0: PyTorch returns a zero tensor for it, MiniTorch (whose mask is not a node
    /// of the graph) reports it unused. Both mean 0.
    /// </summary>
    private static Tensor Dense(Tensor? grad, Tensor like) => grad ?? Torch.ZerosLike(like);

    // Convolutions and sums in another order than ATen's, then squared and differentiated twice.
    private static double Tol(DType dtype) => dtype == DType.Float32 ? 2e-6 : 1e-14;

    [Theory]
    [InlineData("mean", Reduction.Mean)]
    [InlineData("sum", Reduction.Sum)]
    [InlineData("none", Reduction.None)]
    public void R1_ValueAndGradients_MatchPyTorch(string key, Reduction reduction)
    {
        foreach (var c in GanGolden.Cases("penalties"))
        {
            var dtype = DTypeOf(c);
            var d = new SmallD(c, dtype);
            double gamma = c.GetProperty("gamma").GetDouble();
            var e = c.GetProperty("r1_" + key);
            var x = T(c.GetProperty("x"), dtype).RequiresGrad_();
            var r1 = GradientPenalty.R1(d.Forward(x), x, gamma, reduction);
            string what = $"r1 {dtype} {reduction}";
            Close(D(e.GetProperty("value")), r1, Tol(dtype), Tol(dtype), what + " value");
            var grads = Torch.Grad([r1], [.. d.Checked, x], [T(e.GetProperty("w"), dtype)], allowUnused: true);
            var expected = e.GetProperty("grads").EnumerateArray().ToArray();
            string[] names = ["c1.weight", "c1.bias", "c2.weight", "input"];
            for (int i = 0; i < names.Length; i++) Close(D(expected[i]), Dense(grads[i], d.Checked.Append(x).ElementAt(i)), Tol(dtype), Tol(dtype), $"{what} grad {names[i]}");
            // The overload that runs D itself gives the same value (R2 is the same formula on fakes).
            Close(D(e.GetProperty("value")), GradientPenalty.R1(d.Forward, x.Detach(), gamma, reduction), Tol(dtype), Tol(dtype), what + " via D");
            Close(D(e.GetProperty("value")), GradientPenalty.R2(d.Forward, x.Detach(), gamma, reduction), Tol(dtype), Tol(dtype), "r2 " + what);
        }
    }

    [Fact]
    public void Wgan_WithFixedAlpha_MatchesPyTorch()
    {
        foreach (var c in GanGolden.Cases("penalties"))
        {
            var dtype = DTypeOf(c);
            var d = new SmallD(c, dtype);
            var e = c.GetProperty("wgan_gp");
            var gp = GradientPenalty.Wgan(d.Forward, T(c.GetProperty("x"), dtype), T(c.GetProperty("fake"), dtype), T(c.GetProperty("alpha"), dtype),
                                          c.GetProperty("lambda").GetDouble());
            Close(D(e.GetProperty("value")), gp, Tol(dtype), Tol(dtype), $"wgan_gp {dtype} value");
            var grads = Torch.Grad([gp], d.Checked, allowUnused: true);
            var expected = e.GetProperty("grads").EnumerateArray().ToArray();
            for (int i = 0; i < grads.Length; i++) Close(D(expected[i]), Dense(grads[i], d.Checked[i]), Tol(dtype), Tol(dtype), $"wgan_gp {dtype} grad {i}");
        }
    }

    [Fact]
    public void Wgan_DrawsAlphaFromTheGenerator_Reproducibly()
    {
        var d = new Conv2d(1, 1, 3);
        var real = Torch.Randn([3, 1, 5, 5], new Generator(1));
        var fake = Torch.Randn([3, 1, 5, 5], new Generator(2));
        var a = GradientPenalty.Wgan(d.Forward, real, fake, new Generator(9)).Item();
        var b = GradientPenalty.Wgan(d.Forward, real, fake, new Generator(9)).Item();
        var alpha = Torch.Rand([3, 1, 1, 1], new Generator(9));
        Assert.Equal(a, b);
        Assert.Equal(a, GradientPenalty.Wgan(d.Forward, real, fake, alpha).Item());
        Assert.Equal(a, GradientPenalty.Wgan(d.Forward, real, fake, alpha.Reshape(3)).Item());
    }

    [Fact]
    public void Wgan_AtZeroGradient_HasTheNormsZeroSubgradient()
    {
        // A critic whose input gradient is 0 everywhere: the penalty is λ·(0 − 1)² and its gradient finite.
        var w = Torch.Zeros([1, 1, 3, 3], DType.Float64).RequiresGrad_();
        var real = Torch.Randn([2, 1, 4, 4], new Generator(1), DType.Float64);
        var gp = GradientPenalty.Wgan(x => F.Conv2d(x, w).Sum([1, 2, 3]), real, real, Torch.Full([2], 0.5, DType.Float64), lambda: 10);
        Assert.Equal(10.0, gp.Item(), 12);
        var grad = Torch.Grad(gp, w);
        Assert.All(grad.ToDoubleArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void R1_ThroughConvTransposeChain_PassesGradCheckAndGradGradCheck()
    {
        // Conv2d → ConvTranspose2d → Conv2d: the penalty's backward runs each op's double backward,
        // which is the other op of the adjoint pair; gradgradcheck differentiates that once more.
        var g = new Generator(17);
        var x = Torch.Randn([2, 1, 5, 5], g, DType.Float64).RequiresGrad_();
        var w1 = (Torch.Randn([2, 1, 3, 3], g, DType.Float64) * 0.5).RequiresGrad_();
        var w2 = (Torch.Randn([2, 2, 3, 3], g, DType.Float64) * 0.5).RequiresGrad_();
        var w3 = (Torch.Randn([1, 2, 3, 3], g, DType.Float64) * 0.5).RequiresGrad_();
        Tensor D(Tensor input, Tensor a, Tensor b, Tensor c) =>
            F.Conv2d(F.LeakyRelu(F.ConvTranspose2d(F.LeakyRelu(F.Conv2d(input, a, stride: 2), 0.2), b, stride: 2, padding: 1, outputPadding: 1), 0.2), c).Sum([1, 2, 3]);
        Tensor Penalty(Tensor[] a)
        {
            // GradCheck evaluates its central differences under NoGrad; a penalty is a gradient and needs its graph.
            using var grad = Torch.EnableGrad();
            return GradientPenalty.R1(D(a[0], a[1], a[2], a[3]), a[0], gamma: 2);
        }
        Assert.True(GradCheck.Check(Penalty, [x, w1, w2, w3]));
        Assert.True(GradCheck.GradGradCheck(Penalty, [x, w1, w2, w3]));
    }

    [Fact]
    public void WganAndSquaredNorm_PassGradGradCheck()
    {
        var g = new Generator(23);
        var real = Torch.Randn([2, 1, 4, 4], g, DType.Float64);
        var fake = Torch.Randn([2, 1, 4, 4], g, DType.Float64);
        var alpha = Torch.Rand([2], g, DType.Float64);
        var w1 = Torch.Randn([2, 1, 3, 3], g, DType.Float64).RequiresGrad_();
        var w2 = Torch.Randn([1, 2, 2, 2], g, DType.Float64).RequiresGrad_();
        Tensor Critic(Tensor x, Tensor a, Tensor b) => F.Conv2d(F.Softplus(F.Conv2d(x, a)), b).Sum([1, 2, 3]);
        Tensor Gp(Tensor[] a) => GradientPenalty.Wgan(x => Critic(x, a[0], a[1]), real, fake, alpha, lambda: 3);
        Assert.True(GradCheck.Check(Gp, [w1, w2]));
        Assert.True(GradCheck.GradGradCheck(Gp, [w1, w2]));
        var x = real.Clone().RequiresGrad_();
        Tensor Sq(Tensor[] a)
        {
            using var grad = Torch.EnableGrad();
            return GradientPenalty.SquaredGradientNorm(Critic(a[0], a[1], a[2]), a[0], Reduction.None);
        }
        Assert.True(GradCheck.GradGradCheck(Sq, [x, w1, w2]));
    }

    [Fact]
    public void Penalties_BadArguments_ThrowNamingTheProblem()
    {
        var d = new Conv2d(1, 1, 3);
        var x = Torch.Randn([2, 1, 5, 5], new Generator(1));
        var e = Assert.Throws<ArgumentException>(() => GradientPenalty.R1(d.Forward(x), x, 10));
        Assert.Equal("r1: the inputs must require grad; call inputs.RequiresGrad_() before computing the scores from them", e.Message);
        var leaf = x.Clone().RequiresGrad_();
        e = Assert.Throws<ArgumentException>(() => GradientPenalty.R1(d.Forward(x), leaf, 10));
        Assert.Equal("r1: the scores were not computed from the inputs (no gradient path from the scores to the inputs)", e.Message);
        e = Assert.Throws<ArgumentException>(() => GradientPenalty.R2(d.Forward, x, gamma: -1));
        Assert.Equal("r2: gamma must be finite and non-negative, got -1", e.Message);
        e = Assert.Throws<ArgumentException>(() => GradientPenalty.R1(d.Forward, Torch.Scalar(1), 1));
        Assert.Equal("r1: expected a batch of shape [N, ...] with N >= 1, got []", e.Message);
        e = Assert.Throws<ArgumentException>(() => GradientPenalty.Wgan(d.Forward, x, x.Slice(0, 0, 1)));
        Assert.Equal("wgan_gp: expected real and fake batches of the same shape and dtype, got [2, 1, 5, 5] Float32 and [1, 1, 5, 5] Float32", e.Message);
        e = Assert.Throws<ArgumentException>(() => GradientPenalty.Wgan(d.Forward, x, x, Torch.Zeros(3)));
        Assert.Equal("wgan_gp: expected alpha of shape [N] or [N, 1, ...] with N = 2 (one weight per sample), got [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => GradientPenalty.Wgan(d.Forward, x, x, lambda: double.NaN));
        Assert.Equal("wgan_gp: lambda must be finite and non-negative, got NaN", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>("reduction", () => GradientPenalty.SquaredGradientNorm(d.Forward(leaf), leaf, (Reduction)5));
        Assert.StartsWith("5 is not a valid value for reduction", e.Message);
        Assert.Throws<ArgumentNullException>(() => GradientPenalty.R1((Func<Tensor, Tensor>)null!, x, 1));
    }

    [Fact]
    public void LazyRegularization_AppliesEveryKStepsScaledByK()
    {
        var lazy = new LazyRegularization(4);
        int calls = 0;
        var applied = Enumerable.Range(0, 9).Select(step => lazy.Penalty(step, () => { calls++; return Torch.Scalar(1.5); })?.Item()).ToArray();
        Assert.Equal(new double?[] { 6, null, null, null, 6, null, null, null, 6 }, applied);
        Assert.Equal(3, calls);
        Assert.True(lazy.IsDue(8));
        Assert.False(lazy.IsDue(9));
        // StyleGAN2: c = 4/5, lr·c and β^c.
        var (lr, (b1, b2)) = lazy.AdjustAdam(0.0025, (0, 0.99));
        Assert.Equal(0.002, lr, 15);
        Assert.Equal(0.0, b1);
        Assert.Equal(Math.Pow(0.99, 0.8), b2, 15);
        Assert.Equal(1.0, new LazyRegularization(1).Penalty(3, () => Torch.Scalar(1))!.Item());
        Assert.Equal("lazy regularization: interval must be a positive number of steps, got 0",
            Assert.Throws<ArgumentException>(() => new LazyRegularization(0)).Message);
        Assert.Equal("lazy regularization: step must be non-negative, got -1",
            Assert.Throws<ArgumentException>(() => lazy.IsDue(-1)).Message);
    }
}
