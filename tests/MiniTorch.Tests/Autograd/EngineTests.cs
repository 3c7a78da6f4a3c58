using MiniTorch.Autograd;

namespace MiniTorch.Tests.Autograd;

public class EngineTests
{
    private static Tensor D(double[] v, params int[] shape) => Torch.FromArray(v, shape).RequiresGrad_();

    [Fact]
    public void Backward_AccumulatesIntoLeaves()
    {
        var x = D([1, 2, 3], 3);
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        Assert.Equal(new[] { 2.0, 4, 6 }, x.Grad!.ToDoubleArray());
        y.Backward();
        Assert.Equal(new[] { 4.0, 8, 12 }, x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Backward_SecondTimeThroughFreedGraph_Throws()
    {
        var x = D([1, 2], 2);
        var y = (x * x).Sum();
        y.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.StartsWith("Trying to backward through the graph a second time", e.Message);
    }

    [Fact]
    public void Backward_NonScalarWithoutGradient_Throws()
    {
        var x = D([1, 2], 2);
        var e = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", e.Message);
    }

    [Fact]
    public void Backward_GradientShapeOrDtypeMismatch_NamesBoth()
    {
        var x = D([1, 2], 2);
        var e = Assert.Throws<ArgumentException>(() => (x * 2).Backward(Torch.Ones([3], DType.Float64)));
        Assert.Contains("[3]", e.Message);
        Assert.Contains("[2]", e.Message);
        var e2 = Assert.Throws<ArgumentException>(() => (x * 2).Backward(Torch.Ones([2], DType.Float32)));
        Assert.Contains("Float32", e2.Message);
        Assert.Contains("Float64", e2.Message);
    }

    [Fact]
    public void NoGrad_DoesNotRecord()
    {
        var x = D([1, 2], 2);
        Tensor y;
        using (Torch.NoGrad()) y = x * 3;
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.True((x * 3).RequiresGrad);
    }

    [Fact]
    public void Grad_GradientOfGradient_MatchesAnalytic()
    {
        // y = x³ → dy/dx = 3x², d²y/dx² = 6x.
        var x = D([2.0], 1);
        var y = x.Pow(3).Sum();
        var g = Torch.Grad(y, x, createGraph: true);
        Assert.Equal(12.0, g.Item(), 12);
        var gg = Torch.Grad(g.Sum(), x);
        Assert.Equal(12.0, gg.Item(), 12);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Grad_UnusedInput_ThrowsUnlessAllowed()
    {
        var x = D([1.0], 1);
        var z = D([1.0], 1);
        var y = (x * 2).Sum();
        Assert.Throws<InvalidOperationException>(() => Torch.Grad([y], [z], retainGraph: true));
        var r = Torch.Grad([y], [x, z], allowUnused: true);
        Assert.Equal(2.0, r[0]!.Item());
        Assert.Null(r[1]);
    }

    [Fact]
    public void Grad_NonLeafInput_ReturnsItsGradient()
    {
        var x = D([1, 2], 2);
        var h = x * 3;
        var y = (h * h).Sum();
        var g = Torch.Grad(y, h);
        Assert.Equal(new[] { 6.0, 12 }, g.ToDoubleArray());
    }

    [Fact]
    public void RequiresGrad_OnNonLeaf_Throws()
    {
        var x = D([1.0], 1);
        var y = x * 2;
        Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
    }

    [Fact]
    public void GradCheck_DetectsAWrongGradient()
    {
        // Detach hides a dependence from autograd, so the analytic gradient is wrong.
        var x = D([0.5, -1.5], 2);
        Assert.Throws<GradCheckException>(() => GradCheck.Check(a => a[0] * a[0].Detach(), [x]));
        Assert.True(GradCheck.Check(a => a[0] * a[0], [x]));
    }
}
