using MiniTorch.Optim;

namespace MiniTorch.Tests.Optim;

/// <summary>
/// The one-pass (fused, multi-tensor) Adam against the one-tensor-at-a-time update it replaces: bit
/// for bit, for float32 and float64, with weight decay and AMSGrad, parameters that skip steps (their
/// step counts differ), sizes that are not a multiple of the vector width and sizes that span several
/// work items, and for any thread count. (PyTorch's own bits are checked by
/// <see cref="OptimizerTests.SgdAndAdam_Steps_MatchPyTorchBitForBit"/>, which runs the default, fused path.)
/// </summary>
public class AdamFusedTests
{
    private static readonly int[][] Shapes = [[3], [17], [4, 5, 3], [70001], [1], [2, 64, 4, 4]];

    private static Tensor[] Params(DType dtype, int seed) =>
        Shapes.Select((s, i) => Torch.Randn(s, new Generator(seed + i), dtype).RequiresGrad_()).ToArray();

    /// <summary>A gradient for every step, with zeros, a huge value and a tiny one mixed in; parameter 1 skips every third step.</summary>
    private static Tensor? Grad(Tensor p, int step, int i)
    {
        if (i == 1 && step % 3 == 2) return null;
        var g = Torch.Randn(p.ShapeRef, new Generator(1000 * step + i), p.DType) * (1 + step % 4);
        var values = g.ToDoubleArray();
        values[0] = step % 2 == 0 ? 0 : 3e4;
        if (values.Length > 2) values[^1] = 1e-30;
        return Torch.FromArray(values, p.Shape).To(p.DType);
    }

    private static void Run(Adam opt, Tensor[] ps, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            for (int i = 0; i < ps.Length; i++) ps[i].Grad = Grad(ps[i], s, i);
            opt.Step();
        }
    }

    private static void AssertBitwise(Tensor[] expected, Tensor[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i].Detach().ToDoubleArray(), actual[i].Detach().ToDoubleArray());
            for (int j = 0; j < e.Length; j++)
                if (BitConverter.DoubleToInt64Bits(e[j]) != BitConverter.DoubleToInt64Bits(a[j]))
                    Assert.Fail($"{what}: param {i} element {j}: reference {e[j]:R}, fused {a[j]:R}");
        }
    }

    [Theory]
    [InlineData(DType.Float32, 0.0, false)]
    [InlineData(DType.Float32, 0.05, true)]
    [InlineData(DType.Float64, 0.0, true)]
    [InlineData(DType.Float64, 0.05, false)]
    public void FusedAdam_IsBitwiseTheOneTensorUpdate(DType dtype, double weightDecay, bool amsgrad)
    {
        var (reference, fused) = (Params(dtype, 3), Params(dtype, 3));
        var optRef = new Adam(reference, lr: 0.01, betas: (0.5, 0.999), weightDecay: weightDecay, amsgrad: amsgrad, fused: false);
        var optFused = new Adam(fused, lr: 0.01, betas: (0.5, 0.999), weightDecay: weightDecay, amsgrad: amsgrad);
        Assert.True(optFused.Fused);
        Assert.False(optRef.Fused);
        Run(optRef, reference, 7);
        Run(optFused, fused, 7);
        string what = $"{dtype} wd {weightDecay} amsgrad {amsgrad}";
        AssertBitwise(reference, fused, what);
        var (stateRef, stateFused) = (optRef.StateDict(), optFused.StateDict());
        Assert.Equal(stateRef.Keys, stateFused.Keys);
        AssertBitwise([.. stateRef.Values], [.. stateFused.Values], what + " state");
    }

    [Fact]
    public void FusedAdam_MixedDTypes_AndAnyThreadCount_GiveTheSameBits()
    {
        Tensor[] Mixed() => [.. Params(DType.Float32, 9), .. Params(DType.Float64, 19)];
        var reference = Mixed();
        Run(new Adam(reference, lr: 0.003, fused: false), reference, 4);
        int threads = Torch.GetNumThreads();
        try
        {
            foreach (int n in new[] { 1, 2, 3 })
            {
                Torch.SetNumThreads(n);
                var fused = Mixed();
                Run(new Adam(fused, lr: 0.003), fused, 4);
                AssertBitwise(reference, fused, $"{n} threads");
            }
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }
    }

    [Fact]
    public void FusedAdam_ResumesFromAStateDict_BitForBit()
    {
        var (straight, resumed) = (Params(DType.Float32, 5), Params(DType.Float32, 5));
        var opt = new Adam(straight, lr: 0.01, amsgrad: true);
        Run(opt, straight, 3);
        var first = new Adam(resumed, lr: 0.01, amsgrad: true);
        Run(first, resumed, 3);
        var again = new Adam(resumed, lr: 0.01, amsgrad: true);
        again.LoadStateDict(first.StateDict());
        for (int s = 3; s < 6; s++)
        {
            for (int i = 0; i < straight.Length; i++) (straight[i].Grad, resumed[i].Grad) = (Grad(straight[i], s, i), Grad(resumed[i], s, i));
            opt.Step();
            again.Step();
        }
        AssertBitwise(straight, resumed, "resumed");
    }

    [Fact]
    public void Step_ChecksEveryGradientBeforeChangingAnyParameter()
    {
        var ps = Params(DType.Float32, 7);
        var before = ps.Select(p => p.ToArray()).ToArray();
        var opt = new Adam(ps);
        foreach (var p in ps) p.Grad = Torch.OnesLike(p);
        ps[^1].Grad = Torch.Ones([3]);
        var e = Assert.Throws<InvalidOperationException>(() => opt.Step());
        Assert.Contains($"parameter {ps.Length - 1} has shape", e.Message);
        for (int i = 0; i < ps.Length; i++) Assert.Equal(before[i], ps[i].ToArray());
        Assert.DoesNotContain(opt.StateDict().Keys, k => k.StartsWith("state.", StringComparison.Ordinal));
    }
}
