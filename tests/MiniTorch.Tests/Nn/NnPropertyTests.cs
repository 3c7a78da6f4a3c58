using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>FsCheck properties over random shapes (the failing case and its Replay seed are printed on failure).</summary>
public class NnPropertyTests
{
    /// <summary>A batch shape [N, C, H, W] with at least two values per channel, and a data seed.</summary>
    public sealed record BatchShape(int N, int C, int H, int W, int Seed);

    /// <summary>The FsCheck Arbitrary of <see cref="BatchShape"/>: sizes 1–3.</summary>
    public static class Arbitraries
    {
        /// <summary>Random batch shapes.</summary>
        public static Arbitrary<BatchShape> BatchShapes() =>
            (from n in Gen.Choose(1, 3)
             from c in Gen.Choose(1, 3)
             from h in Gen.Choose(1, 3)
             from w in Gen.Choose(1, 3)
             from seed in Gen.Choose(0, int.MaxValue - 1)
             where n * h * w >= 2
             select new BatchShape(n, c, h, w, seed)).ToArbitrary();
    }

    [Property(MaxTest = 8, Arbitrary = [typeof(Arbitraries)])]
    public bool BatchNorm_Training_NormalisesEachChannel_AndPassesGradGradCheck(BatchShape s)
    {
        var g = new Generator(s.Seed);
        var x = (Torch.Randn([s.N, s.C, s.H, s.W], g, DType.Float64) * 3 + 1).Detach().RequiresGrad_();
        var weight = Torch.Randn([s.C], g, DType.Float64).RequiresGrad_();
        var bias = Torch.Randn([s.C], g, DType.Float64).RequiresGrad_();
        var y = F.BatchNorm(x, null, null, training: true, eps: 0).Detach();
        var mean = y.Mean([0, 2, 3]).ToDoubleArray();
        var meanSq = (y * y).Mean([0, 2, 3]).ToDoubleArray();
        for (int c = 0; c < s.C; c++)
        {
            Assert.True(Math.Abs(mean[c]) < 1e-12, $"channel {c} mean {mean[c]}");
            // A channel whose values are all equal normalises to 0/0; random data never is.
            Assert.True(Math.Abs(meanSq[c] - 1) < 1e-9, $"channel {c} variance {meanSq[c]}");
        }
        Tensor Fn(Tensor[] i) => F.BatchNorm(i[0], null, null, i[1], i[2], training: true);
        return GradCheck.Check(Fn, [x, weight, bias]) && GradCheck.GradGradCheck(Fn, [x, weight, bias]);
    }

    [Property(MaxTest = 15, Arbitrary = [typeof(Arbitraries)])]
    public bool LeakyRelu_OnTransposedViews_MatchesFormula_AndPassesGradCheck(BatchShape s)
    {
        var g = new Generator(s.Seed);
        double slope = g.NextDouble();
        var baseT = Torch.Randn([s.N * s.C, s.H * s.W + 1], g, DType.Float64);
        var view = baseT.Transpose(0, 1);  // non-contiguous input
        var y = F.LeakyRelu(view, slope).ToDoubleArray();
        var xv = view.ToDoubleArray();
        for (int i = 0; i < xv.Length; i++) Assert.Equal(xv[i] > 0 ? xv[i] : xv[i] * slope, y[i]);
        var x = Torch.Randn([s.N, s.C, s.H], g, DType.Float64).RequiresGrad_();
        return GradCheck.Check(t => F.LeakyRelu(t[0], slope), [x]);
    }

    [Property(MaxTest = 10, Arbitrary = [typeof(Arbitraries)])]
    public bool Linear_And_BCEWithLogits_PassGradCheck_OnRandomSizes(BatchShape s)
    {
        var g = new Generator(s.Seed);
        var lin = new Linear(s.C + 1, s.H, generator: g, dtype: DType.Float64);
        var x = Torch.Randn([s.N, s.C + 1], g, DType.Float64).RequiresGrad_();
        var target = Torch.Rand([s.N, s.H], g, DType.Float64);
        // Logits up to ±40: far beyond where a naive log(sigmoid) would underflow in the loss.
        Tensor Fn(Tensor[] t) => F.BinaryCrossEntropyWithLogits(F.Linear(t[0], t[1], t[2]) * 10, target, reduction: Reduction.Sum);
        return GradCheck.Check(Fn, [x, lin.Weight, lin.Bias!]) && GradCheck.GradGradCheck(Fn, [x, lin.Weight, lin.Bias!]);
    }
}
