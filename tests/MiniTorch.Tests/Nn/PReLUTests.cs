using System.Text.Json;
using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Nn;

public class PReLUTests
{
    private static readonly Lazy<JsonElement> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Prelu", "prelu.json"))).RootElement);

    [Fact]
    public void Prelu_ForwardAndGrads_MatchPyTorch()
    {
        foreach (var c in Golden.Value.GetProperty("cases").EnumerateArray())
        {
            var dtype = DTypeOf(c);
            var x = T(c.GetProperty("x"), dtype).RequiresGrad_();
            var w = T(c.GetProperty("w"), dtype).RequiresGrad_();
            string what = $"prelu {dtype} {string.Join('x', x.Shape)} w[{w.Numel}]";
            var y = F.Prelu(x, w);
            Assert.Equal(c.GetProperty("grad_fn").GetString(), y.GradFn!.Name);
            Exact(D(c.GetProperty("y")), y, what + " forward");
            var grads = Torch.Grad([y], [x, w], [T(c.GetProperty("g"), dtype)]);
            Exact(D(c.GetProperty("gx")), grads[0]!, what + " grad x");
            // The weight gradient is a sum whose order differs from ATen's, so only it gets a tolerance.
            double tol = dtype == DType.Float32 ? 1e-5 : 1e-12;
            Close(D(c.GetProperty("gw")), grads[1]!, tol, tol, what + " grad w");
        }
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, 3)]
    [InlineData(new[] { 2, 3, 4, 5 }, 1)]
    [InlineData(new[] { 3, 2 }, 2)]
    public void Prelu_GradCheckAndGradGradCheck(int[] shape, int parameters)
    {
        var g = new Generator(11);
        var x = Torch.Randn(shape, g, DType.Float64).RequiresGrad_();
        var w = Torch.Uniform([parameters], -0.5, 0.5, g, DType.Float64).RequiresGrad_();
        GradCheck.Check(a => F.Prelu(a[0], a[1]), [x, w]);
        GradCheck.GradGradCheck(a => F.Prelu(a[0], a[1]), [x, w]);
    }

    [Fact]
    public void Prelu_WrongParameterCount_ThrowsPyTorchMessage()
    {
        var errors = Golden.Value.GetProperty("errors");
        var e = Assert.Throws<ArgumentException>(() => F.Prelu(Torch.Randn([2, 3, 4]), Torch.Ones(2)));
        Assert.Equal(errors.GetProperty("channels").GetString(), e.Message);
        e = Assert.Throws<ArgumentException>(() => F.Prelu(Torch.Randn([3]), Torch.Ones(2)));
        Assert.Equal(errors.GetProperty("vector").GetString(), e.Message);
    }

    [Fact]
    public void PReLU_Module_HasPyTorchDefaultsAndTrainsItsSlope()
    {
        var m = new PReLU(3);
        Assert.Equal(new[] { "weight" }, m.NamedParameters().Select(p => p.Name));
        Assert.Equal(new float[] { 0.25f, 0.25f, 0.25f }, m.Weight.ToArray());
        var x = Torch.FromArray(new float[] { -2, 1, -4, 3, 0, -1 }, 1, 3, 2);
        Assert.Equal(new float[] { -0.5f, 1, -1, 3, 0, -0.25f }, m.Call(x).ToArray());
        m.Call(x).Sum().Backward();
        Assert.Equal(new float[] { -2, -4, -1 }, m.Weight.Grad!.ToArray());
        Assert.Equal("PReLU(num_parameters=3)", m.ToString());
    }
}
