using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class GanLossTests
{
    private static readonly Dictionary<string, Func<Tensor, Tensor, Reduction, Tensor>> Losses = new()
    {
        ["hinge_d"] = F.HingeLossD,
        ["hinge_g"] = (_, f, r) => F.HingeLossG(f, r),
        ["ns_d"] = F.NonSaturatingLossD,
        ["ns_g"] = (_, f, r) => F.NonSaturatingLossG(f, r),
        ["w_d"] = F.WassersteinLossD,
        ["w_g"] = (_, f, r) => F.WassersteinLossG(f, r),
    };

    private static Reduction ReductionOf(string name) => name switch { "mean" => Reduction.Mean, "sum" => Reduction.Sum, _ => Reduction.None };

    [Fact]
    public void GanLosses_ValuesAndGradients_MatchPyTorch()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("losses"))
        {
            var dtype = DTypeOf(c);
            var reduction = ReductionOf(c.GetProperty("reduction").GetString()!);
            // Sums over 12 values in a different order than ATen's, and softplus's few ulps.
            double tol = dtype == DType.Float32 ? 1e-6 : 1e-14;
            foreach (var (name, loss) in Losses)
            {
                var real = T(c.GetProperty("real"), dtype).RequiresGrad_();
                var fake = T(c.GetProperty("fake"), dtype).RequiresGrad_();
                var e = c.GetProperty(name);
                string what = $"{name} {dtype} {reduction}";
                var value = loss(real, fake, reduction);
                Close(D(e.GetProperty("value")), value, tol, tol, what + " value");
                var grads = Torch.Grad([value], [real, fake], [T(e.GetProperty("w"), dtype)], allowUnused: true);
                if (e.GetProperty("greal").ValueKind == System.Text.Json.JsonValueKind.Null) Assert.Null(grads[0]);
                else Close(D(e.GetProperty("greal")), grads[0]!, tol, tol, what + " grad real");
                Close(D(e.GetProperty("gfake")), grads[1]!, tol, tol, what + " grad fake");
                n++;
            }
        }
        Assert.Equal(36, n);
    }

    [Fact]
    public void HingeLossD_AtTheMargins_HasPyTorchsZeroGradient()
    {
        // relu'(0) = 0: a real score of exactly 1 and a fake score of exactly −1 no longer push.
        var real = Torch.FromArray(new double[] { 1, 0.5 }, 2).RequiresGrad_();
        var fake = Torch.FromArray(new double[] { -1, -0.5 }, 2).RequiresGrad_();
        var grads = Torch.Grad([F.HingeLossD(real, fake)], [real, fake]);
        Assert.Equal(new double[] { 0, -0.5 }, grads[0]!.ToDoubleArray());
        Assert.Equal(new double[] { 0, 0.5 }, grads[1]!.ToDoubleArray());
    }

    [Fact]
    public void GanLosses_DifferentBatchSizes_AreAveragedPerHalf()
    {
        var real = Torch.FromArray(new double[] { 0, 2, -2, 0.5 }, 4);
        var fake = Torch.FromArray(new double[] { 0.25, -3 }, 2);
        // mean(relu(1 − r)) + mean(relu(1 + f)) = (1 + 0 + 3 + 0.5)/4 + (1.25 + 0)/2
        Assert.Equal(4.5 / 4 + 1.25 / 2, F.HingeLossD(real, fake).Item(), 15);
        Assert.Equal(4.5 + 1.25, F.HingeLossD(real, fake, Reduction.Sum).Item(), 15);
        // mean(f) − mean(r) = −2.75/2 − 0.5/4
        Assert.Equal(-1.5, F.WassersteinLossD(real, fake).Item(), 15);
    }

    [Fact]
    public void GanLosses_GradCheckAndGradGradCheck()
    {
        var g = new Generator(21);
        var real = Torch.Randn([5], g, DType.Float64).RequiresGrad_();
        var fake = Torch.Randn([5], g, DType.Float64).RequiresGrad_();
        foreach (var (name, loss) in Losses)
            foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
            {
                Assert.True(GradCheck.Check(a => loss(a[0], a[1], reduction), [real, fake]), name);
                Assert.True(GradCheck.GradGradCheck(a => loss(a[0], a[1], reduction), [real, fake]), name);
            }
    }

    [Fact]
    public void GanLosses_BadArguments_ThrowNamingTheProblem()
    {
        var four = Torch.Zeros(4);
        var two = Torch.Zeros(2);
        var e = Assert.Throws<ArgumentException>(() => F.HingeLossD(four, two, Reduction.None));
        Assert.Equal("hinge_loss_d: reduction=None adds the element-wise losses of real and fake scores, so their shapes must match, got [4] and [2]", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.NonSaturatingLossD(four, Torch.Zeros([4], DType.Float64)));
        Assert.Equal("non_saturating_loss_d: expected real and fake scores of the same dtype, got Float32 and Float64", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>("reduction", () => F.WassersteinLossG(four, (Reduction)7));
        Assert.StartsWith("7 is not a valid value for reduction", e.Message);
        Assert.Throws<ArgumentNullException>(() => F.HingeLossD(null!, two));
        Assert.Throws<ArgumentNullException>(() => F.NonSaturatingLossG(null!));
    }
}
