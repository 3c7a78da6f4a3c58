using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Nn;

public class LossTests
{
    private static Tensor? Opt(System.Text.Json.JsonElement c, string name) => c.TryGetProperty(name, out var e) ? T(e) : null;

    private static Tensor Run(string loss, Tensor x, Tensor y, Reduction r, Tensor? weight, Tensor? posWeight) => loss switch
    {
        "bce" or "bce_edges" or "bce_weight" => F.BinaryCrossEntropy(x, y, weight, r),
        "bce_logits" or "bce_logits_weights" => F.BinaryCrossEntropyWithLogits(x, y, weight, r, posWeight),
        "mse" => F.MseLoss(x, y, r),
        "l1" => F.L1Loss(x, y, r),
        _ => throw new ArgumentException(loss),
    };

    [Fact]
    public void Losses_EveryReduction_ForwardAndGradients_MatchPyTorch()
    {
        int count = 0;
        foreach (var c in Root.GetProperty("losses").EnumerateArray())
        {
            string loss = c.GetProperty("loss").GetString()!;
            var r = c.GetProperty("reduction").GetString() switch { "none" => Reduction.None, "sum" => Reduction.Sum, _ => Reduction.Mean };
            var x = T(c.GetProperty("x")).RequiresGrad_();
            var y = T(c.GetProperty("y")).RequiresGrad_();
            var output = Run(loss, x, y, r, Opt(c, "weight"), Opt(c, "pos_weight"));
            string name = $"{loss} {r}";
            Close(D(c.GetProperty("out")), output, 1e-12, 1e-12, name + " forward");
            var grads = Torch.Grad([output], [x, y], [T(c.GetProperty("g"))]);
            Close(D(c.GetProperty("gx")), grads[0]!, 1e-10, 1e-12, name + " grad input");
            Close(D(c.GetProperty("gy")), grads[1]!, 1e-10, 1e-12, name + " grad target");
            count++;
        }
        Assert.Equal(21, count);
    }

    [Fact]
    public void BCELoss_ProbabilitiesZeroAndOne_ClampLogAtMinus100()
    {
        var x = Torch.FromArray(new float[] { 0, 1, 0, 1 }, 4);
        var y = Torch.FromArray(new float[] { 1, 0, 0, 1 }, 4);
        Assert.Equal(new float[] { 100, 100, 0, 0 }, F.BinaryCrossEntropy(x, y, reduction: Reduction.None).ToArray());
    }

    [Fact]
    public void BCEWithLogitsLoss_HugeLogits_StayFiniteWithExactGradients()
    {
        var x = Torch.FromArray(new float[] { 1e4f, -1e4f, 200, -200, 0 }, 5).RequiresGrad_();
        var y = Torch.FromArray(new float[] { 0, 1, 1, 0, 1 }, 5);
        var loss = F.BinaryCrossEntropyWithLogits(x, y, reduction: Reduction.Sum);
        Assert.Equal(1e4f + 1e4f + 0 + 0 + MathF.Log(2), (float)loss.Item(), 2);
        loss.Backward();
        // ∂/∂x = σ(x) − y.
        Assert.Equal(new float[] { 1, -1, 0, 0, -0.5f }, x.Grad!.ToArray());
    }

    [Fact]
    public void Losses_GradCheckAndGradGradCheck_RandomShapes()
    {
        var g = new Generator(5);
        for (int trial = 0; trial < 2; trial++)
        {
            int[] shape = [1 + g.Next(3), 2 + g.Next(2)];
            var p = Torch.Uniform(shape, 0.05, 0.95, g, DType.Float64).RequiresGrad_();
            var t = Torch.Uniform(shape, 0, 1, g, DType.Float64).RequiresGrad_();
            var logits = (Torch.Randn(shape, g, DType.Float64) * 3).RequiresGrad_();
            var w = Torch.Uniform([shape[1]], 0.5, 1.5, g, DType.Float64);
            var a = Torch.Randn(shape, g, DType.Float64).RequiresGrad_();
            // L1's kink at a = b must be avoided by central differences.
            var b = (a.Detach() + Torch.Uniform(shape, 0.1, 1, g, DType.Float64)).RequiresGrad_();
            foreach (var r in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
            {
                var checks = new (Func<Tensor[], Tensor> Fn, Tensor[] Inputs)[]
                {
                    (i => F.BinaryCrossEntropy(i[0], i[1], w, r), [p, t]),
                    (i => F.BinaryCrossEntropyWithLogits(i[0], i[1], w, r, posWeight: w * 2), [logits, t]),
                    (i => F.MseLoss(i[0], i[1], r), [a, b]),
                    (i => F.L1Loss(i[0], i[1], r), [a, b]),
                };
                foreach (var (fn, inputs) in checks)
                {
                    Assert.True(GradCheck.Check(fn, inputs));
                    Assert.True(GradCheck.GradGradCheck(fn, inputs));
                }
            }
        }
    }

    [Fact]
    public void LossModules_MatchFunctional_AndKeepWeightsAsBuffers()
    {
        var g = new Generator(3);
        var p = Torch.Uniform([2, 3], 0.1, 0.9, g, DType.Float64);
        var t = Torch.Uniform([2, 3], 0, 1, g, DType.Float64);
        var w = Torch.Uniform([3], 0.5, 1, g, DType.Float64);
        Assert.Equal(F.BinaryCrossEntropy(p, t, w).Item(), new BCELoss(w).Call(p, t).Item());
        Assert.Equal(F.BinaryCrossEntropyWithLogits(p, t, null, Reduction.Sum, w).Item(), new BCEWithLogitsLoss(null, Reduction.Sum, w).Call(p, t).Item());
        Assert.Equal(F.MseLoss(p, t, Reduction.Sum).Item(), new MSELoss(Reduction.Sum).Forward(p, t).Item());
        Assert.Equal(F.L1Loss(p, t, Reduction.None).ToDoubleArray(), new L1Loss(Reduction.None).Forward(p, t).ToDoubleArray());
        Assert.Equal(["pos_weight"], new BCEWithLogitsLoss(posWeight: w).StateDict().Keys);
        Assert.Throws<NotSupportedException>(() => new MSELoss().Forward(p));
    }

    [Fact]
    public void Losses_BadInput_PyTorchMessages()
    {
        var e1 = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(Torch.Full([2], 0.5), Torch.Zeros(3)));
        Assert.Equal("Using a target size ([3]) that is different to the input size ([2]) is deprecated. Please ensure they have the same size.", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropyWithLogits(Torch.Zeros(2, 1), Torch.Zeros(2)));
        Assert.Equal("Target size ([2]) must be the same as input size ([2, 1])", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(Torch.FromArray(new float[] { 0.5f, 1.5f }, 2), Torch.Zeros(2)));
        Assert.Equal("all elements of input should be between 0 and 1", e3.Message);
        Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(Torch.FromArray(new float[] { float.NaN }, 1), Torch.Zeros(1)));
    }
}
