using FsCheck;
using FsCheck.Fluent;

namespace MiniTorch.Tests.Nn;

/// <summary>Conv2d and ConvTranspose2d are each other's adjoint, in the input and in the weight.</summary>
public class ConvAdjointTests
{
    private static double Dot(Tensor a, Tensor b)
    {
        var (x, y) = (a.ToDoubleArray(), b.ToDoubleArray());
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Σ|aᵢ·bᵢ|: the scale against which a dot product's rounding error is measured.</summary>
    private static double AbsDot(Tensor a, Tensor b)
    {
        var (x, y) = (a.ToDoubleArray(), b.ToDoubleArray());
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Abs(x[i] * y[i]);
        return s;
    }

    [Property(MaxTest = 500)]
    public void ConvTranspose2d_IsAdjointOfConv2d_InTheInput(ConvCase c)
    {
        var g = new Generator(c.Seed);
        var x = ConvCase.Randn(c.XShape, g);
        var w = ConvCase.Randn(c.WShape, g);
        var y = ConvCase.Randn(c.YShape, g);
        var cx = c.Conv(x, w);
        var cty = c.Transpose(y, w);
        Assert.Equal(c.XShape, cty.Shape);
        double lhs = Dot(cx, y), rhs = Dot(x, cty);
        double scale = AbsDot(cx, y) + AbsDot(x, cty);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * scale, $"{c}: <Cx,y> = {lhs:R}, <x,C^T y> = {rhs:R}");
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(ConvArbitraries.UpTo6)])]
    public void Conv2d_WeightGradient_IsAdjointOfConvAsLinearMapOfWeight(ConvCase c)
    {
        var g = new Generator(c.Seed);
        var x = ConvCase.Randn(c.XShape, g);
        var w = ConvCase.Randn(c.WShape, g).RequiresGrad_();
        var y = ConvCase.Randn(c.YShape, g);
        var cw = c.Conv(x, w);
        var wy = Torch.Grad(cw, w, y);   // the weight-gradient function W(x, y)
        double lhs = Dot(cw, y), rhs = Dot(w, wy);
        double scale = AbsDot(cw, y) + AbsDot(w, wy);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * scale, $"{c}: <C(w)x,y> = {lhs:R}, <w,W(x,y)> = {rhs:R}");
    }

    [Property(MaxTest = 200, Arbitrary = [typeof(ConvArbitraries.UpTo6)])]
    public void ConvTranspose2d_WeightGradient_IsAdjointOfTransposeAsLinearMapOfWeight(ConvCase c)
    {
        var g = new Generator(c.Seed);
        var z = ConvCase.Randn(c.YShape, g);
        var w = ConvCase.Randn(c.WShape, g).RequiresGrad_();
        var v = ConvCase.Randn(c.XShape, g);
        var tw = c.Transpose(z, w);
        var wv = Torch.Grad(tw, w, v);
        double lhs = Dot(tw, v), rhs = Dot(w, wv);
        double scale = AbsDot(tw, v) + AbsDot(w, wv);
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * scale, $"{c}: <T(w)z,v> = {lhs:R}, <w,grad> = {rhs:R}");
    }

    [Fact]
    public void Conv2d_InputGradient_HasInputShape_ForEveryRemainder()
    {
        // pytorch#5057: without outputPadding a = (H + 2p − d(k−1) − 1) mod s the gradient is too small.
        for (int h = 5; h <= 9; h++)
        {
            var x = Torch.Randn([1, 1, h, h], new Generator(h), DType.Float64).RequiresGrad_();
            var w = Torch.Randn([1, 1, 3, 3], new Generator(h + 1), DType.Float64);
            var y = MiniTorch.Nn.F.Conv2d(x, w, stride: 3, padding: 1);
            var gx = Torch.Grad(y, x, Torch.OnesLike(y));
            Assert.Equal(x.Shape, gx.Shape);
            Assert.Equal("ConvolutionBackward0", y.GradFn!.Name);
        }
    }
}
