using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>First and second derivatives of both ops in input, weight and bias, checked numerically.</summary>
public class ConvGradTests
{
    private static Tensor[] Inputs(ConvCase c, bool transposed)
    {
        var g = new Generator(c.Seed);
        return [ConvCase.Randn(transposed ? c.YShape : c.XShape, g).RequiresGrad_(),
                ConvCase.Randn(c.WShape, g).RequiresGrad_(),
                ConvCase.Randn([transposed ? c.Cin : c.Cout], g).RequiresGrad_()];
    }

    [Property(MaxTest = 25, Arbitrary = [typeof(ConvArbitraries.Small)])]
    public bool Conv2d_GradCheck_InputWeightBias(ConvCase c) =>
        GradCheck.Check(t => c.Conv(t[0], t[1], t[2]), Inputs(c, false));

    [Property(MaxTest = 25, Arbitrary = [typeof(ConvArbitraries.Small)])]
    public bool ConvTranspose2d_GradCheck_InputWeightBias(ConvCase c) =>
        GradCheck.Check(t => c.Transpose(t[0], t[1], t[2]), Inputs(c, true));

    [Property(MaxTest = 10, Arbitrary = [typeof(ConvArbitraries.Small)])]
    public bool Conv2d_GradGradCheck_InputWeightBias(ConvCase c) =>
        GradCheck.GradGradCheck(t => c.Conv(t[0], t[1], t[2]), Inputs(c, false));

    [Property(MaxTest = 10, Arbitrary = [typeof(ConvArbitraries.Small)])]
    public bool ConvTranspose2d_GradGradCheck_InputWeightBias(ConvCase c) =>
        GradCheck.GradGradCheck(t => c.Transpose(t[0], t[1], t[2]), Inputs(c, true));

    [Fact]
    public void ConvTranspose2d_KerasSame_GradGradCheck()
    {
        var g = new Generator(2);
        Tensor[] inputs = [ConvCase.Randn([1, 2, 2, 3], g).RequiresGrad_(), ConvCase.Randn([2, 2, 3, 3], g).RequiresGrad_(), ConvCase.Randn([2], g).RequiresGrad_()];
        Assert.True(GradCheck.GradGradCheck(t => F.ConvTranspose2d(t[0], t[1], t[2], stride: 2, padding: Padding2d.Same), inputs));
    }

    [Fact]
    public void Conv2d_PaddingSameEvenKernel_GradGradCheck()
    {
        var g = new Generator(4);
        Tensor[] inputs = [ConvCase.Randn([1, 2, 4, 3], g).RequiresGrad_(), ConvCase.Randn([2, 2, 2, 2], g).RequiresGrad_(), ConvCase.Randn([2], g).RequiresGrad_()];
        Assert.True(GradCheck.GradGradCheck(t => F.Conv2d(t[0], t[1], t[2], padding: Padding2d.Same), inputs));
    }

    [Fact]
    public void ConvTranspose2d_OutputPaddingBelowDilation_GradCheck()
    {
        // outputPadding < dilation with stride 1: Conv2d of the gradient is longer than the input; only OH rows count.
        var g = new Generator(6);
        Tensor[] inputs = [ConvCase.Randn([1, 2, 3, 3], g).RequiresGrad_(), ConvCase.Randn([2, 1, 2, 2], g).RequiresGrad_()];
        Assert.True(GradCheck.GradGradCheck(t => F.ConvTranspose2d(t[0], t[1], outputPadding: 1, dilation: 2), inputs));
    }

    [Fact]
    public void Conv2d_Gradients_AreRecordedAsTheAdjointOps()
    {
        // With createGraph, Conv2d's input gradient is a ConvTranspose2d node and the weight
        // gradient is the shared weight-gradient node, both differentiable again.
        var g = new Generator(9);
        var x = ConvCase.Randn([1, 2, 5, 5], g).RequiresGrad_();
        var w = ConvCase.Randn([3, 2, 3, 3], g).RequiresGrad_();
        var y = F.Conv2d(x, w, stride: 2);
        var grads = Torch.Grad([y], [x, w], [Torch.OnesLike(y)], createGraph: true);
        Assert.Equal("ConvolutionBackward0", grads[0]!.GradFn!.Name);
        Assert.Equal("ConvolutionBackwardBackward0", grads[1]!.GradFn!.Name);
        var expected = F.ConvTranspose2d(Torch.OnesLike(y), w.Detach(), stride: 2, outputPadding: Shape.ConvAdjointOutputPadding(5, 3, 2, 0, 1));
        Assert.Equal(expected.ToDoubleArray(), grads[0]!.ToDoubleArray());
    }

    [Fact]
    public void GradientPenalty_ThroughConvStack_MatchesNumericalSecondDerivative()
    {
        // WGAN-GP: ‖∂D/∂x‖² differentiated w.r.t. D's weights, with D = conv → tanh → conv.
        var g = new Generator(8);
        Tensor[] inputs = [ConvCase.Randn([1, 1, 5, 5], g), ConvCase.Randn([2, 1, 3, 3], g).RequiresGrad_(), ConvCase.Randn([1, 2, 2, 2], g).RequiresGrad_()];
        Tensor Penalty(Tensor[] t)
        {
            using var enable = Torch.EnableGrad();   // GradCheck's differences run under NoGrad
            var x = t[0].Detach().RequiresGrad_();
            var d = F.Conv2d(F.Conv2d(x, t[1], stride: 2, padding: 1).Tanh(), t[2]).Sum();
            var gx = Torch.Grad([d], [x], createGraph: true)[0]!;
            return (gx * gx).Sum();
        }
        Assert.True(GradCheck.Check(Penalty, inputs));
    }
}
