using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class MinibatchStdDevTests
{
    [Fact]
    public void MinibatchStdDev_ForwardAndGradient_MatchStyleGan2sLayer()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("minibatch_std"))
        {
            var dtype = DTypeOf(c);
            var group = c.GetProperty("group_size");
            var layer = new MinibatchStdDev(group.ValueKind == System.Text.Json.JsonValueKind.Null ? null : group.GetInt32(), c.GetProperty("num_channels").GetInt32());
            var x = T(c.GetProperty("x"), dtype).RequiresGrad_();
            string what = $"{layer} {dtype} {string.Join('x', x.Shape)}";
            // Means and a square root in another summation order than ATen's.
            double tol = dtype == DType.Float32 ? 5e-7 : 1e-14;
            var y = layer.Call(x);
            Close(D(c.GetProperty("y")), y, tol, tol, what + " forward");
            Close(D(c.GetProperty("gx")), Torch.Grad([y], [x], [T(c.GetProperty("g"), dtype)])[0]!, tol, tol, what + " gradient");
            n++;
        }
        Assert.Equal(8, n);
    }

    [Fact]
    public void MinibatchStdDev_GradCheckAndGradGradCheck()
    {
        var x = Torch.Randn([4, 2, 3, 3], new Generator(41), DType.Float64).RequiresGrad_();
        var layer = new MinibatchStdDev(2);
        Assert.True(GradCheck.Check(a => layer.Forward(a[0]), [x]));
        Assert.True(GradCheck.GradGradCheck(a => layer.Forward(a[0]), [x]));
    }

    [Fact]
    public void MinibatchStdDev_IdenticalSamples_GiveTheFloor()
    {
        // No variety in a group: every appended value is √(10⁻⁸) = 10⁻⁴.
        var x = Torch.Ones([4, 2, 2, 2], DType.Float64);
        var y = new MinibatchStdDev(4).Call(x);
        Assert.Equal(new[] { 4, 3, 2, 2 }, y.Shape);
        Assert.All(y.Slice(1, 2, 3).ToDoubleArray(), v => Assert.Equal(1e-4, v, 15));
        Assert.Equal("MinibatchStdDev(group_size=4, num_channels=1)", new MinibatchStdDev().ToString());
    }

    [Fact]
    public void MinibatchStdDev_BadShapes_Throw()
    {
        Assert.Equal("MinibatchStdDev: the batch size 6 must be a positive multiple of the group size 4",
            Assert.Throws<ArgumentException>(() => new MinibatchStdDev(4).Call(Torch.Zeros(6, 2, 3, 3))).Message);
        Assert.Equal("MinibatchStdDev: expected input of shape [N, C, H, W] with C divisible by num_channels = 2, got [4, 3, 3, 3]",
            Assert.Throws<ArgumentException>(() => new MinibatchStdDev(4, 2).Call(Torch.Zeros(4, 3, 3, 3))).Message);
        Assert.Equal("MinibatchStdDev: expected input of shape [N, C, H, W], got [4, 3]",
            Assert.Throws<ArgumentException>(() => new MinibatchStdDev().Call(Torch.Zeros(4, 3))).Message);
        Assert.Throws<ArgumentException>(() => new MinibatchStdDev(0));
        Assert.Throws<ArgumentException>(() => new MinibatchStdDev(4, 0));
    }
}
