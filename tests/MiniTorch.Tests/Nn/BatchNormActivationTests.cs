using MiniTorch.Autograd;
using MiniTorch.Functions;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// BatchNorm followed by ReLU or LeakyReLU inside a <see cref="Sequential"/> runs as one fused op;
/// the two modules run one after the other are its reference. Values, every gradient and the running
/// statistics must be bitwise theirs, in training and eval mode, for each batch-norm rank, both
/// dtypes and non-contiguous inputs; the fused gradients also pass float64 gradcheck and gradgradcheck.
/// </summary>
public class BatchNormActivationTests
{
    public static TheoryData<int, string, DType, bool> Cases()
    {
        var data = new TheoryData<int, string, DType, bool>();
        foreach (int rank in new[] { 2, 3, 4, 5 })
            foreach (var act in new[] { "relu", "leaky0.2", "leaky0" })
                foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                    data.Add(rank, act, dtype, rank % 2 == 0);
        return data;
    }

    private static BatchNormBase MakeBatchNorm(int rank, int c, DType dtype, bool affine) => rank switch
    {
        2 or 3 => new BatchNorm1d(c, affine: affine, dtype: dtype),
        4 => new BatchNorm2d(c, affine: affine, dtype: dtype),
        _ => new BatchNorm3d(c, affine: affine, dtype: dtype),
    };

    private static Module MakeActivation(string act) => act switch
    {
        "relu" => new ReLU(),
        "leaky0.2" => new LeakyReLU(0.2),
        _ => new LeakyReLU(0),
    };

    private static int[] ShapeOf(int rank) => rank switch
    {
        2 => [37, 5],
        3 => [6, 5, 11],
        4 => [4, 5, 7, 9],
        _ => [2, 5, 3, 4, 5],
    };

    private static void Exact(Tensor expected, Tensor actual, string what)
    {
        var (e, a) = (expected.Detach().ToDoubleArray(), actual.Detach().ToDoubleArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            if (BitConverter.DoubleToInt64Bits(e[i]) != BitConverter.DoubleToInt64Bits(a[i]))
                Assert.Fail($"{what}: element {i}: separate {e[i]:R}, fused {a[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_IsBitwiseTheTwoModules(int rank, string act, DType dtype, bool affine)
    {
        var (bnRef, bnFused) = (MakeBatchNorm(rank, 5, dtype, affine), MakeBatchNorm(rank, 5, dtype, affine));
        if (affine)
            foreach (var bn in new[] { bnRef, bnFused })
            {
                bn.Weight!.CopyFrom(Torch.Randn([5], new Generator(1), dtype));
                bn.Bias!.CopyFrom(Torch.Randn([5], new Generator(2), dtype));
            }
        var activation = MakeActivation(act);
        var seq = new Sequential(bnFused, activation);
        string name = $"rank {rank} {act} {dtype} affine {affine}";
        for (int step = 0; step < 3; step++)
        {
            if (step == 2) { bnRef.Eval(); seq.Eval(); }
            // Every other step a permuted (non-contiguous) view of the input.
            var raw = Torch.Randn(ShapeOf(rank), new Generator(10 + step), dtype) * 2 + 0.3;
            var x = step == 1 && rank >= 3 ? raw.Transpose(0, 2).Contiguous().Transpose(0, 2) : raw;
            var (xr, xf) = (x.Detach().RequiresGrad_(), x.Detach().RequiresGrad_());
            var yr = activation.Forward(bnRef.Forward(xr));
            var yf = seq.Forward(xf);
            Exact(yr, yf, $"{name} step {step} output");
            var g = Torch.Randn(yr.Shape, new Generator(20 + step), dtype);
            Tensor[] wrt(Tensor xx, BatchNormBase bn) => affine ? [xx, bn.Weight!, bn.Bias!] : [xx];
            var gr = Torch.Grad([yr], wrt(xr, bnRef), [g]);
            var gf = Torch.Grad([yf], wrt(xf, bnFused), [g]);
            for (int i = 0; i < gr.Length; i++) Exact(gr[i]!, gf[i]!, $"{name} step {step} gradient {i}");
            Exact(bnRef.RunningMean!, bnFused.RunningMean!, $"{name} running mean");
            Exact(bnRef.RunningVar!, bnFused.RunningVar!, $"{name} running var");
        }
    }

    [Fact]
    public void Fused_ShowsTheActivationsGradFn_AndOnlyFusesWhatItMay()
    {
        var x = Torch.Randn([4, 3, 2, 2], new Generator(3)).RequiresGrad_();
        var relu = new Sequential(new BatchNorm2d(3), new ReLU()).Forward(x);
        Assert.Equal("ReluBackward0", relu.GradFn!.Name);
        Assert.IsType<NativeBatchNormBackward0>(relu.GradFn);
        var leaky = new Sequential(new BatchNorm2d(3), new LeakyReLU(0.2)).Forward(x);
        Assert.Equal("LeakyReluBackward0", leaky.GradFn!.Name);
        Assert.IsType<NativeBatchNormBackward0>(leaky.GradFn);
        // A negative slope needs the activation's input for its gradient: not fused.
        var negative = new Sequential(new BatchNorm2d(3), new LeakyReLU(-0.5)).Forward(x);
        Assert.IsType<LeakyReluBackward0>(negative.GradFn);
        // Tanh is not fused; neither is a batch norm at the end.
        Assert.IsNotType<NativeBatchNormBackward0>(new Sequential(new BatchNorm2d(3), new Tanh()).Forward(x).GradFn);
        Assert.Equal("NativeBatchNormBackward0", new Sequential(new ReLU(), new BatchNorm2d(3)).Forward(x).GradFn!.Name);
    }

    [Theory]
    [InlineData("relu", true)]
    [InlineData("leaky0.2", true)]
    [InlineData("leaky0.2", false)]
    public void Fused_Float64_PassesGradcheckAndGradgradcheck(string act, bool training)
    {
        var bn = new BatchNorm2d(3, dtype: DType.Float64);
        bn.Weight!.CopyFrom(Torch.Randn([3], new Generator(4), DType.Float64));
        bn.Bias!.CopyFrom(Torch.Randn([3], new Generator(5), DType.Float64));
        bn.RunningVar!.CopyFrom(Torch.Rand([3], new Generator(6), DType.Float64) + 0.5);
        var seq = new Sequential(bn, MakeActivation(act));
        if (!training) seq.Eval();
        // Inputs away from the kinks, so central differences do not straddle one.
        var x = (Torch.Randn([3, 3, 2, 2], new Generator(7), DType.Float64) * 3).RequiresGrad_();
        Tensor Fn(Tensor[] t) => seq.Forward(t[0]) * Torch.Arange(12, DType.Float64).Reshape(3, 1, 2, 2);
        Assert.True(GradCheck.Check(Fn, [x]));
        Assert.True(GradCheck.GradGradCheck(Fn, [x], new Generator(8)));
        Assert.True(GradCheck.Check(t => new Sequential(new BatchNorm2d(3, dtype: DType.Float64), MakeActivation(act)).Forward(t[0]).Pow(2).Sum(), [x]));
    }

    [Fact]
    public void Fused_AnyThreadCount_GivesTheSameBits()
    {
        Tensor Run()
        {
            var seq = new Sequential(new BatchNorm2d(16), new LeakyReLU(0.2));
            var x = Torch.Randn([64, 16, 8, 8], new Generator(9)).RequiresGrad_();
            var y = seq.Forward(x);
            var gx = Torch.Grad(y, x, Torch.Randn(y.Shape, new Generator(10)));
            return Torch.Cat([y.Detach().Reshape(-1), gx.Reshape(-1)]);
        }
        int threads = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(1);
            var one = Run();
            Torch.SetNumThreads(3);
            Exact(one, Run(), "1 vs 3 threads");
        }
        finally
        {
            Torch.SetNumThreads(threads);
        }
    }
}
