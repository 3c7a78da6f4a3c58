using MiniTorch.Tests.Functions;

namespace MiniTorch.Tests.Tensors;

/// <summary>int64 and bool tensors beyond the goldens: no gradients into integers, clear errors from float-only ops, exact int64 round trips.</summary>
public class DTypeTests
{
    [Fact]
    public void Int64_HoldsValuesBeyondFloat64Precision()
    {
        long big = (1L << 60) + 1;
        var t = Torch.FromArray(new[] { big, -big }, 2);
        Assert.Equal(DType.Int64, t.DType);
        Assert.Equal(new[] { big, -big }, t.ToInt64Array());
        Assert.Equal(new[] { big + 1, -big + 1 }, (t + 1).ToInt64Array());
        Assert.Equal(2 * big, (t * 2)[0].ItemInt64());
    }

    [Fact]
    public void IntegerResults_NeverRecordAGraph()
    {
        var x = Torch.FromArray(new double[] { 1.5, -2, 3 }, 3).RequiresGrad_();
        var asLong = x.To(DType.Int64);
        Assert.False(asLong.RequiresGrad);
        Assert.Null(asLong.GradFn);
        var mask = x > 0;
        Assert.Equal(DType.Bool, mask.DType);
        Assert.False(mask.RequiresGrad);
        Assert.False(x.Argmax().RequiresGrad);
        // A float result of integer operands still carries no graph.
        Assert.False((asLong * 2.5).RequiresGrad);
    }

    [Fact]
    public void RequiresGrad_OnInt64OrBool_ThrowsPyTorchMessage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Torch.FromArray(new long[] { 1 }, 1).RequiresGrad_());
        Assert.Contains("only Tensors of floating point dtype can require gradients", e.Message);
        Assert.Throws<InvalidOperationException>(() => Torch.FromArray(new[] { true }, 1).RequiresGrad_());
    }

    [Fact]
    public void FloatOnlyOps_RejectInt64_WithNotImplementedForLong()
    {
        var ids = Torch.FromArray(new long[] { 1, 2, 3, 4 }, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => ids.MatMul(ids));
        Assert.Contains("not implemented for 'Long'", e.Message);
        // An op with no integer path reaches the one central dtype check, not a cast error.
        var c = Assert.Throws<ArgumentException>(() => MiniTorch.Nn.F.Conv2d(ids.Reshape(1, 1, 2, 2), ids.Reshape(1, 1, 2, 2)));
        Assert.Contains("not implemented for 'Long'", c.Message);
        Assert.Contains("not implemented for 'Bool'", Assert.Throws<ArgumentException>(() => (ids > 1).Argmax()).Message);
    }

    [Fact]
    public void Item_ReadsEveryDType()
    {
        Assert.Equal(7, Torch.FromArray(new long[] { 7 }, 1).ItemInt64());
        Assert.Equal(7.0, Torch.FromArray(new long[] { 7 }, 1).Item());
        Assert.Equal(1.0, Torch.FromArray(new[] { true }, 1).Item());
        Assert.Throws<InvalidOperationException>(() => Torch.Scalar(1.5).ItemInt64());
    }

    [Fact]
    public void ViewsAndCopies_WorkOnInt64AndBool()
    {
        var t = Torch.FromArray(Enumerable.Range(0, 6).Select(i => (long)i).ToArray(), 2, 3);
        Assert.Equal(new long[] { 0, 3, 1, 4, 2, 5 }, t.T.Contiguous().ToInt64Array());
        Assert.Equal(new long[] { 2, 1, 0, 5, 4, 3 }, t.Flip(1).ToInt64Array());
        Assert.Equal(new long[] { 3, 4, 5, 0, 1, 2 }, Torch.Cat([t[1].Unsqueeze(0), t[0].Unsqueeze(0)]).ToInt64Array());
        Assert.Equal(new long[] { 1, 4 }, t.Narrow(1, 1, 1).Reshape(-1).ToInt64Array());
        var b = t > 2;
        Assert.Equal(new[] { false, true }, b.Slice(1, 0, 1).Reshape(-1).ToBoolArray());
        var target = Torch.Zeros([2, 3], DType.Int64);
        target.CopyFrom(t * 10);
        Assert.Equal(new long[] { 0, 10, 20, 30, 40, 50 }, target.ToInt64Array());
        Assert.Equal(new long[] { 7, 7 }, Torch.Full([2], 7.9, DType.Int64).ToInt64Array());
        Assert.Equal(new long[] { 0, 1, 2 }, Torch.Arange(3, DType.Int64).ToInt64Array());
    }

    [Fact]
    public void WhereMaximumMinimumClampTensor_PassGradCheckAndGradGradCheck()
    {
        var g = new Generator(11);
        var a = Torch.Randn([3, 4], g, DType.Float64);
        var b = Torch.Randn([3, 4], g, DType.Float64);
        var row = Torch.Randn([4], g, DType.Float64);
        var cond = Torch.Randn([3, 4], g, DType.Float64) > 0;
        LayoutGrad.Check(x => Torch.Where(cond, x[0], x[1]), true, a, row);
        LayoutGrad.Check(x => Torch.Maximum(x[0], x[1]), true, a, b);
        LayoutGrad.Check(x => Torch.Minimum(x[0], x[1]), true, a, row);
        var lo = Torch.Full([3, 4], -0.5, DType.Float64) + Torch.Randn([3, 4], g, DType.Float64) * 0.1;
        LayoutGrad.Check(x => x[0].Clamp(x[1], x[2]), true, a, lo, lo + 1);
        LayoutGrad.Check(x => x[0].Clamp(min: x[1]), true, a, row);
    }

    [Fact]
    public void Maximum_Ties_SplitTheGradientEvenly()
    {
        var a = Torch.FromArray(new double[] { 1, 2, 3 }, 3).RequiresGrad_();
        var b = Torch.FromArray(new double[] { 1, 1, 4 }, 3).RequiresGrad_();
        var grads = Torch.Grad([Torch.Maximum(a, b).Sum()], [a, b]);
        Assert.Equal(new[] { 0.5, 1, 0 }, grads[0]!.ToDoubleArray());
        Assert.Equal(new[] { 0.5, 0, 1 }, grads[1]!.ToDoubleArray());
        Assert.Equal("MaximumBackward0", Torch.Maximum(a, b).GradFn!.Name);
        Assert.Equal("ClampBackward0", a.Clamp(b).GradFn!.Name);
        Assert.Equal("WhereBackward0", Torch.Where(a > 1, a, b).GradFn!.Name);
    }
}
