using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class SoftplusTests
{
    // PyTorch evaluates exp and log1p with SLEEF (1-ulp accurate), MiniTorch in double: a few ulps apart at most.
    // Below the normal range the ulp is fixed: allow four of the smallest subnormals there.
    private static double Tol(DType dtype) => dtype == DType.Float32 ? 4e-7 : 4e-15;
    private static double Sub(DType dtype) => 4 * (dtype == DType.Float32 ? float.Epsilon : double.Epsilon);

    [Fact]
    public void Softplus_ForwardGradAndGradGrad_MatchPyTorch()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("softplus"))
        {
            var dtype = DTypeOf(c);
            double beta = c.GetProperty("beta").GetDouble(), threshold = c.GetProperty("threshold").GetDouble();
            string what = $"softplus {dtype} beta={beta} threshold={threshold}";
            var x = T(c.GetProperty("x"), dtype).RequiresGrad_();
            var g = T(c.GetProperty("g"), dtype).RequiresGrad_();
            var y = F.Softplus(x, beta, threshold);
            Assert.Equal(c.GetProperty("grad_fn").GetString(), y.GradFn!.Name);
            Close(D(c.GetProperty("y")), y, Tol(dtype), Sub(dtype), what + " forward");
            var gx = Torch.Grad([y], [x], [g], createGraph: true)[0]!;
            Assert.Equal(c.GetProperty("grad_grad_fn").GetString(), gx.GradFn!.Name);
            Close(D(c.GetProperty("gx")), gx, Tol(dtype), Sub(dtype), what + " grad");
            var gg = Torch.Grad([gx], [x, g], [T(c.GetProperty("h"), dtype)]);
            // σ(βx)(1 − σ(βx)) takes 1 − σ: one ulp of σ (whose float32 rounding differs between
            // SLEEF and .NET) becomes ulp/(1 − σ) relative error, so the bound scales with that condition number.
            var xs = x.ToDoubleArray();
            var ggx = D(c.GetProperty("ggx"));
            var actual = gg[0]!.ToDoubleArray();
            for (int i = 0; i < xs.Length; i++)
            {
                double sig = 1 / (1 + Math.Exp(-beta * xs[i]));
                double rtol = Tol(dtype) * (2 + 1 / Math.Max(Math.Min(sig, 1 - sig), 1e-300));
                Assert.True(Math.Abs(actual[i] - ggx[i]) <= rtol * Math.Abs(ggx[i]) + Sub(dtype),
                    $"{what} grad-grad wrt x: element {i}: expected {ggx[i]:R}, got {actual[i]:R}");
            }
            Close(D(c.GetProperty("gg")), gg[1]!, Tol(dtype), Sub(dtype), what + " grad-grad wrt g");
            n++;
        }
        Assert.Equal(8, n);
    }

    [Theory]
    [InlineData(1.0, 20.0)]
    [InlineData(2.0, 1.0)]
    [InlineData(-0.5, 20.0)]
    public void Softplus_GradCheckAndGradGradCheck(double beta, double threshold)
    {
        var g = new Generator(5);
        var x = Torch.Randn([3, 4], g, DType.Float64).RequiresGrad_();
        // Keep βx away from the threshold, where the function switches branch.
        using (Torch.NoGrad())
        {
            var span = x.Data<double>();
            for (int i = 0; i < span.Length; i++) if (Math.Abs(span[i] * beta - threshold) < 0.01) span[i] += 0.1;
        }
        Assert.True(GradCheck.Check(a => F.Softplus(a[0], beta, threshold), [x]));
        Assert.True(GradCheck.GradGradCheck(a => F.Softplus(a[0], beta, threshold), [x]));
        // Third order: the double backward is itself differentiable.
        Assert.True(GradCheck.GradGradCheck(a => Torch.Grad([F.Softplus(a[0], beta, threshold).Pow(2).Sum()], [a[0]], createGraph: true)[0]!, [x]));
    }

    [Fact]
    public void Softplus_OnNonContiguousView_MatchesContiguous()
    {
        var x = Torch.Randn([4, 6], new Generator(3), DType.Float64);
        var view = x.T.Slice(0, 1, 5, 2);
        Assert.Equal(F.Softplus(view.Contiguous(), 2).ToDoubleArray(), F.Softplus(view, 2).ToDoubleArray());
    }

    [Fact]
    public void Softplus_BadArguments_Throw()
    {
        var x = Torch.Zeros(3);
        Assert.Contains("beta must be finite and nonzero", Assert.Throws<ArgumentException>(() => F.Softplus(x, beta: 0)).Message);
        Assert.Contains("beta must be finite and nonzero", Assert.Throws<ArgumentException>(() => F.Softplus(x, beta: double.NaN)).Message);
        Assert.Contains("threshold must not be NaN", Assert.Throws<ArgumentException>(() => F.Softplus(x, threshold: double.NaN)).Message);
        Assert.Throws<ArgumentNullException>(() => F.Softplus(null!));
        Assert.StartsWith("\"softplus_cpu\" not implemented for 'Long'",
            Assert.Throws<ArgumentException>(() => F.Softplus(Torch.Zeros([2], DType.Int64))).Message);
        Assert.Throws<ArgumentException>(() => new Softplus(beta: 0));
    }

    [Fact]
    public void Softplus_Module_PrintsAndForwards()
    {
        var m = new Softplus(2, 10);
        Assert.Equal("Softplus(beta=2, threshold=10)", m.ToString());
        Assert.Empty(m.Parameters());
        var x = Torch.FromArray(new double[] { -1, 0, 6 }, 3);
        Assert.Equal(F.Softplus(x, 2, 10).ToDoubleArray(), m.Call(x).ToDoubleArray());
        Assert.Equal(6.0, m.Call(x).ToDoubleArray()[2]); // βx = 12 > 10: the identity
        Assert.Equal(Math.Log(2) / 2, m.Call(x).ToDoubleArray()[1], 15);
    }
}
