using MiniTorch.Nn;
using MiniTorch.Tests.Functions;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Nn;

/// <summary>The activations of issue 14 against PyTorch (Golden/Everyday/gen_activations.py), their gradchecks and modules.</summary>
public class ActivationGoldenTests
{
    private static readonly Dictionary<string, Func<Case, Tensor[]>> Ops = new()
    {
        ["elu"] = c => [F.Elu(c[0])],
        ["elu_alpha"] = c => [F.Elu(c[0], c.Double("alpha"))],
        ["selu"] = c => [F.Selu(c[0])],
        ["celu"] = c => [F.Celu(c[0])],
        ["celu_alpha"] = c => [F.Celu(c[0], c.Double("alpha"))],
        ["gelu"] = c => [F.Gelu(c[0])],
        ["gelu_tanh"] = c => [F.Gelu(c[0], "tanh")],
        ["silu"] = c => [F.Silu(c[0])],
        ["mish"] = c => [F.Mish(c[0])],
        ["softsign"] = c => [F.Softsign(c[0])],
        ["hardtanh"] = c => [F.Hardtanh(c[0])],
        ["hardtanh_bounds"] = c => [F.Hardtanh(c[0], c.Double("min"), c.Double("max"))],
        ["relu6"] = c => [F.Relu6(c[0])],
        ["hardsigmoid"] = c => [F.Hardsigmoid(c[0])],
        ["hardswish"] = c => [F.Hardswish(c[0])],
        ["threshold"] = c => [F.Threshold(c[0], c.Double("threshold"), c.Double("value"))],
        ["logsigmoid"] = c => [F.LogSigmoid(c[0])],
        ["glu"] = c => [F.Glu(c[0], c.Int("dim"))],
        ["erf"] = c => [c[0].Erf()],
    };

    [Fact]
    public void Activations_EveryCase_MatchesPyTorch() => Assert.Equal(215, OpGolden.Run("activations.json", Ops));

    public static TheoryData<string> Smooth => ["elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish", "softsign", "logsigmoid", "hardswish", "glu", "erf"];

    private static Tensor Run(string name, Tensor x) => name switch
    {
        "elu" => F.Elu(x, 0.7), "selu" => F.Selu(x), "celu" => F.Celu(x, 1.5), "gelu" => F.Gelu(x), "gelu_tanh" => F.Gelu(x, GeluApproximate.Tanh),
        "silu" => F.Silu(x), "mish" => F.Mish(x), "softsign" => F.Softsign(x), "logsigmoid" => F.LogSigmoid(x), "hardswish" => F.Hardswish(x),
        "glu" => F.Glu(x, 1), "erf" => x.Erf(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Smooth))]
    public void SmoothActivations_PassGradCheckAndGradGradCheck(string name)
    {
        // Values away from the kinks (0 for ELU/CELU, ±3 for Hardswish).
        var x = Torch.FromArray(new[] { -2.3, -1.1, -0.4, 0.3, 0.9, 1.7, 2.6, -3.6, 3.4, -0.05, 0.07, 1.2 }, 3, 4);
        LayoutGrad.Check(t => Run(name, t[0]), true, x);
    }

    [Fact]
    public void PiecewiseLinearActivations_PassGradCheck()
    {
        var x = Torch.FromArray(new[] { -2.3, -1.1, -0.4, 0.3, 0.9, 1.7, 2.6, -3.6, 3.4, 6.5, 5.5, 1.2 }, 3, 4);
        LayoutGrad.Check(t => F.Hardtanh(t[0], -1.5, 2), true, x);
        LayoutGrad.Check(t => F.Relu6(t[0]), true, x);
        LayoutGrad.Check(t => F.Hardsigmoid(t[0]), true, x);
        LayoutGrad.Check(t => F.Threshold(t[0], 0.5, -3), true, x);
    }

    [Fact]
    public void Modules_PrintLikePyTorch_AndForwardToF()
    {
        var x = Torch.FromArray(new float[] { -2, -0.5f, 0, 0.5f, 2, 7 }, 2, 3);
        (Module Module, string Repr, Tensor Expected)[] cases =
        [
            (new ELU(), "ELU(alpha=1.0)", F.Elu(x)), (new SELU(), "SELU()", F.Selu(x)), (new CELU(2), "CELU(alpha=2.0)", F.Celu(x, 2)),
            (new GELU("tanh"), "GELU(approximate='tanh')", F.Gelu(x, GeluApproximate.Tanh)), (new GELU(), "GELU(approximate='none')", F.Gelu(x)),
            (new SiLU(), "SiLU()", F.Silu(x)), (new Mish(), "Mish()", F.Mish(x)), (new Softsign(), "Softsign()", F.Softsign(x)),
            (new Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)", F.Hardtanh(x)), (new ReLU6(), "ReLU6()", F.Relu6(x)),
            (new Hardsigmoid(), "Hardsigmoid()", F.Hardsigmoid(x)), (new Hardswish(), "Hardswish()", F.Hardswish(x)),
            (new Threshold(0.1, 20), "Threshold(threshold=0.1, value=20.0)", F.Threshold(x, 0.1, 20)), (new LogSigmoid(), "LogSigmoid()", F.LogSigmoid(x)),
            (new GLU(0), "GLU(dim=0)", F.Glu(x, 0)),
        ];
        foreach (var (m, repr, expected) in cases)
        {
            Assert.Equal(repr, m.ToString());
            Assert.Equal(expected.ToArray(), m.Forward(x).ToArray());
        }
        Assert.Contains("approximate argument must be either none or tanh", Assert.Throws<ArgumentException>(() => new GELU("exact")).Message);
        Assert.Throws<ArgumentException>(() => new Hardtanh(1, -1));
        Assert.Equal("EluBackward0", F.Elu(x.Clone().RequiresGrad_()).GradFn!.Name);
    }
}
