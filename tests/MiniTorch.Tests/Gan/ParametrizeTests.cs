using MiniTorch.Nn;
using MiniTorch.Nn.Utils;

namespace MiniTorch.Tests.Gan;

public class ParametrizeTests
{
    /// <summary>x ↦ 2x, with its inverse, for testing the mechanism.</summary>
    private sealed class Double : Module, IRightInverse
    {
        public override Tensor Forward(Tensor input) => input * 2;
        public Tensor RightInverse(Tensor value) => value / 2;
    }

    /// <summary>A parametrization that changes the shape (rejected unless checks are skipped).</summary>
    private sealed class Flat : Module
    {
        public override Tensor Forward(Tensor input) => input.Reshape(-1);
    }

    private sealed class Holder : Module
    {
        public Holder()
        {
            RegisterParameter("w", Torch.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2));
            RegisterBuffer("b", Torch.FromArray(new float[] { 5, 6 }, 2));
        }

        public Tensor W => GetParameter("w")!;
        public Tensor B => GetBuffer("b")!;
        public void Reassign() => RegisterParameter("w", Torch.Zeros(2, 2));
        public override Tensor Forward(Tensor input) => input.MatMul(W);
    }

    [Fact]
    public void RegisterParametrization_WithRightInverse_KeepsTheValueAndMovesTheOriginal()
    {
        var h = new Holder();
        var w = h.W;
        Parametrize.RegisterParametrization(h, "w", new Double());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, h.W.ToArray());
        Assert.Same(w, Parametrize.GetParametrizations(h, "w").Original);
        Assert.Equal(new float[] { 0.5f, 1, 1.5f, 2 }, w.ToArray());
        Assert.Equal(["b", "parametrizations.w.original"], h.StateDict().Keys);
        // A second parametrization is applied after the first: 4x.
        Parametrize.RegisterParametrization(h, "w", new Double());
        Assert.Equal(new float[] { 2, 4, 6, 8 }, h.W.ToArray());
        Assert.Equal(2, Parametrize.GetParametrizations(h, "w").Count);
        // The gradient reaches the original through the chain.
        h.Call(Torch.Ones(1, 2)).Sum().Backward();
        Assert.Equal(new float[] { 4, 4, 4, 4 }, w.Grad!.ToArray());
    }

    [Fact]
    public void RemoveParametrizations_LeavesTheValueOrTheOriginal()
    {
        var h = new Holder();
        Parametrize.RegisterParametrization(h, "w", new Double());
        Parametrize.RegisterParametrization(h, "w", new Double());
        Parametrize.RemoveParametrizations(h, "w");
        Assert.False(Parametrize.IsParametrized(h));
        Assert.Equal(["w", "b"], h.StateDict().Keys.OrderBy(k => k != "w"));
        Assert.Equal(new float[] { 2, 4, 6, 8 }, h.W.ToArray());
        Assert.Empty(h.NamedChildren());

        var k = new Holder();
        Parametrize.RegisterParametrization(k, "b", new Double());
        Assert.True(Parametrize.IsParametrized(k, "b"));
        Assert.False(Parametrize.IsParametrized(k, "w"));
        Assert.Equal(new float[] { 5, 6 }, k.B.ToArray());
        Assert.DoesNotContain(k.NamedParameters(), p => p.Name.EndsWith("original")); // the buffer stays a buffer
        Parametrize.RemoveParametrizations(k, "b", leaveParametrized: false);
        Assert.Equal(new float[] { 2.5f, 3 }, k.B.ToArray());
    }

    [Fact]
    public void Parametrization_BadUses_ThrowAndLeaveTheModuleIntact()
    {
        var h = new Holder();
        var e = Assert.Throws<ArgumentException>(() => Parametrize.RegisterParametrization(h, "w", new Flat()));
        Assert.StartsWith("Registering a parametrization may not change the shape of the tensor", e.Message);
        Assert.False(Parametrize.IsParametrized(h));
        Assert.Equal(["w", "b"], h.StateDict().Keys);
        Parametrize.RegisterParametrization(h, "w", new Flat(), skipChecks: true);
        Assert.Equal([4], h.W.Shape);
        Assert.Equal("Module 'Holder' has no parameter or buffer with name 'x'",
            Assert.Throws<ArgumentException>(() => Parametrize.RegisterParametrization(h, "x", new Double())).Message);
        Assert.Equal("Module Holder does not have a parametrization on b",
            Assert.Throws<ArgumentException>(() => Parametrize.RemoveParametrizations(h, "b")).Message);
        Assert.StartsWith("cannot register 'w': it is parametrized",
            Assert.Throws<InvalidOperationException>(() => h.Reassign()).Message);
        Assert.Throws<InvalidOperationException>(() => Parametrize.RemoveParametrizations(h, "w"));
        Assert.True(Parametrize.IsParametrized(h, "w"));
    }

    [Fact]
    public void ParametrizedModule_ConvertsDtypeAndFollowsTrainingMode()
    {
        var conv = Parametrizations.SpectralNorm(new Conv2d(1, 2, 3), generator: new Generator(1));
        conv.To(DType.Float64);
        Assert.All(conv.StateDict().Values, t => Assert.Equal(DType.Float64, t.DType));
        Assert.Equal(DType.Float64, conv.Weight.DType);
        conv.Eval();
        Assert.All(conv.NamedModules(), m => Assert.False(m.Module.Training));
        Assert.Equal(["", "parametrizations", "parametrizations.weight", "parametrizations.weight.0"], conv.NamedModules().Select(m => m.Name));
    }
}
