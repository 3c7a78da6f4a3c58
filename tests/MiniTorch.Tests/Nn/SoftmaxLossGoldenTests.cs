using MiniTorch.Nn;
using MiniTorch.Tests.Functions;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Nn;

/// <summary>Softmax, LogSoftmax, Softmin and the classification and robust regression losses against PyTorch (Golden/Everyday/gen_softmax_loss.py).</summary>
public class SoftmaxLossGoldenTests
{
    private static Reduction R(Case c) => c.Str("reduction") switch
    {
        "none" => Reduction.None, "sum" => Reduction.Sum, "mean" => Reduction.Mean, "batchmean" => Reduction.BatchMean,
        var r => throw new ArgumentException(r),
    };

    private static Tensor Ce(Case c, Tensor? weight = null) =>
        F.CrossEntropy(c[0], c[1], weight, c.Has("ignore_index") ? c.Int("ignore_index") : -100, R(c), c.Double("label_smoothing"));

    private static readonly Dictionary<string, Func<Case, Tensor[]>> Ops = new()
    {
        ["softmax"] = c => [F.Softmax(c[0], c.IntOrNull("dim"))],
        ["log_softmax"] = c => [F.LogSoftmax(c[0], c.IntOrNull("dim"))],
        ["softmin"] = c => [F.Softmin(c[0], c.IntOrNull("dim"))],
        ["softmax_dtype"] = c => [F.Softmax(c[0], c.Int("dim"), DType.Float64)],
        ["cross_entropy"] = c => [Ce(c)],
        ["cross_entropy_ign"] = c => [Ce(c)],
        ["cross_entropy_w"] = c => [Ce(c, c[2])],
        ["cross_entropy_w_ign"] = c => [Ce(c, c[2])],
        ["nll_loss"] = c => [F.NllLoss(c[0], c[1], reduction: R(c))],
        ["nll_loss_w_ign"] = c => [F.NllLoss(c[0], c[1], c[2], c.Int("ignore_index"), R(c))],
        ["kl_div"] = c => [F.KlDiv(c[0], c[1], R(c))],
        ["kl_div_log"] = c => [F.KlDiv(c[0], c[1], R(c), logTarget: true)],
        ["smooth_l1"] = c => [F.SmoothL1Loss(c[0], c[1], R(c), c.Double("beta"))],
        ["huber"] = c => [F.HuberLoss(c[0], c[1], R(c), c.Double("delta"))],
    };

    [Fact]
    public void SoftmaxAndLosses_EveryCase_MatchesPyTorch() => Assert.Equal(381, OpGolden.Run("softmax_loss.json", Ops));

    [Fact]
    public void SoftmaxFamily_AnyDim_PassesGradCheckAndGradGradCheck()
    {
        var g = new Generator(21);
        var x = Torch.Randn([2, 3, 4], g, DType.Float64);
        foreach (int d in new[] { 0, 1, -1 })
        {
            LayoutGrad.Check(t => F.Softmax(t[0], d), true, x);
            LayoutGrad.Check(t => F.LogSoftmax(t[0], d), true, x);
            LayoutGrad.Check(t => F.Softmin(t[0], d), true, x);
        }
    }

    [Fact]
    public void Losses_PassGradCheckAndGradGradCheck()
    {
        var g = new Generator(22);
        var logits = Torch.Randn([4, 3], g, DType.Float64);
        var target = Torch.FromArray(new long[] { 2, -100, 0, 1 }, 4);
        var w = Torch.FromArray(new[] { 0.5, 2, 1.5 }, 3);
        var probs = Torch.Randn([4, 3], g, DType.Float64).Softmax(1);
        foreach (var r in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
        {
            LayoutGrad.Check(t => F.CrossEntropy(t[0], target, w, reduction: r, labelSmoothing: 0.2), true, logits);
            LayoutGrad.Check(t => F.CrossEntropy(t[0], t[1], w, reduction: r, labelSmoothing: 0.1), true, logits, probs);
            LayoutGrad.Check(t => F.NllLoss(t[0], target, w, reduction: r), true, logits);
            LayoutGrad.Check(t => F.KlDiv(t[0], t[1], r), true, logits.LogSoftmax(1), probs);
            LayoutGrad.Check(t => F.KlDiv(t[0], t[1], r, logTarget: true), true, logits.LogSoftmax(1), probs.Log());
            // Away from the kinks at |d| = beta, where the derivative of the loss is not continuous.
            var y = logits + Torch.FromArray(new[] { 0.1, 0.6, 2.0, -0.3, -0.7, -2.5, 0.2, 1.4, -1.2, 0.05, 3, -0.4 }, 4, 3);
            LayoutGrad.Check(t => F.SmoothL1Loss(t[0], t[1], r, beta: 0.5), true, logits, y);
            LayoutGrad.Check(t => F.HuberLoss(t[0], t[1], r, delta: 0.5), true, logits, y);
        }
    }

    [Fact]
    public void LossModules_CallTheFunctions_AndRejectBadArguments()
    {
        var x = Torch.FromArray(new float[] { 1, 2, 3, 1, 0, -1 }, 2, 3);
        var t = Torch.FromArray(new long[] { 2, 0 }, 2);
        Assert.Equal(F.CrossEntropy(x, t, labelSmoothing: 0.1).Item(), new CrossEntropyLoss(labelSmoothing: 0.1).Call(x, t).Item());
        Assert.Equal(F.CrossEntropy(x, new[] { 2, 0 }).Item(), new CrossEntropyLoss().Call(x, t).Item());
        Assert.Equal(F.NllLoss(x, t, reduction: Reduction.Sum).Item(), new NLLLoss(reduction: Reduction.Sum).Call(x, t).Item());
        Assert.Equal(F.KlDiv(x, x.Exp(), Reduction.BatchMean).Item(), new KLDivLoss(Reduction.BatchMean).Call(x, x.Exp()).Item());
        Assert.Equal(F.SmoothL1Loss(x, x * 2, beta: 0.5).Item(), new SmoothL1Loss(beta: 0.5).Call(x, x * 2).Item());
        Assert.Equal(F.HuberLoss(x, x * 2, delta: 2).Item(), new HuberLoss(delta: 2).Call(x, x * 2).Item());
        Assert.Contains("label_smoothing must be between 0.0 and 1.0", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss(labelSmoothing: -0.1)).Message);
        Assert.Contains("negative values for beta", Assert.Throws<ArgumentException>(() => new SmoothL1Loss(beta: -1)).Message);
        Assert.Contains("non-positive values for delta", Assert.Throws<ArgumentException>(() => new HuberLoss(delta: 0)).Message);
        Assert.Contains("BatchMean is not a valid value for reduction", Assert.Throws<ArgumentException>(() => F.MseLoss(x, x, Reduction.BatchMean)).Message);
        Assert.Equal("Softmax(dim=1)", new MiniTorch.Nn.Softmax(1).ToString());
        Assert.Equal("LogSoftmax(dim=None)", new LogSoftmax().ToString());
    }

    [Fact]
    public void Softmax_IsStable_WhereTheNaiveFormulaOverflows()
    {
        var x = Torch.FromArray(new float[] { 1000, 1001, 1002 }, 3);
        var p = F.Softmax(x, 0).ToArray();
        Assert.All(p, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1.0, p.Sum(), 6);
        Assert.Equal(-2.4076059644443806, F.LogSoftmax(x, 0).ToArray()[0], 5);
        Assert.Equal("SoftmaxBackward0", F.Softmax(x.RequiresGrad_(), 0).GradFn!.Name);
    }
}
