using MiniTorch.Autograd;
using MiniTorch.Nn;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Nn;

public class BatchNormTests
{
    [Fact]
    public void BatchNorm2d_TrainStepsThenEval_MatchesPyTorch()
    {
        foreach (var c in Root.GetProperty("batch_norm2d").EnumerateArray())
        {
            var dtype = DTypeOf(c);
            // float32 statistics are accumulated in double by PyTorch's CPU kernel and in float here.
            double rtol = dtype == DType.Float64 ? 1e-10 : 2e-5, atol = dtype == DType.Float64 ? 1e-12 : 2e-5;
            double? momentum = c.GetProperty("momentum").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("momentum").GetDouble();
            var bn = new BatchNorm2d(3, momentum: momentum, dtype: dtype);
            bn.Weight!.CopyFrom(T(c.GetProperty("weight")));
            bn.Bias!.CopyFrom(T(c.GetProperty("bias")));
            Assert.Equal(c.GetProperty("state_keys").EnumerateArray().Select(k => k.GetString()), bn.StateDict().Keys);
            string name = $"{dtype} momentum={momentum}";
            int step = 0;
            foreach (var s in c.GetProperty("train").EnumerateArray())
            {
                step++;
                var x = T(s.GetProperty("x"), dtype).RequiresGrad_();
                var y = bn.Forward(x);
                Close(D(s.GetProperty("y")), y, rtol, atol, $"{name} step {step} output");
                var grads = Torch.Grad([y], [x, bn.Weight!, bn.Bias!], [T(s.GetProperty("g"), dtype)]);
                Close(D(s.GetProperty("gx")), grads[0]!, rtol, atol, $"{name} step {step} grad input");
                Close(D(s.GetProperty("gw")), grads[1]!, rtol, atol * 10, $"{name} step {step} grad weight");
                Close(D(s.GetProperty("gb")), grads[2]!, rtol, atol * 10, $"{name} step {step} grad bias");
                Close(D(s.GetProperty("running_mean")), bn.RunningMean!, rtol, atol, $"{name} step {step} running_mean");
                Close(D(s.GetProperty("running_var")), bn.RunningVar!, rtol, atol, $"{name} step {step} running_var");
                Assert.Equal(s.GetProperty("num_batches_tracked").GetInt32(), bn.NumBatchesTracked!.Item());
            }
            bn.Eval();
            var e = c.GetProperty("eval");
            var xe = T(e.GetProperty("x"), dtype).RequiresGrad_();
            var ye = bn.Forward(xe);
            Close(D(e.GetProperty("y")), ye, rtol, atol, $"{name} eval output");
            var ge = Torch.Grad([ye], [xe, bn.Weight!, bn.Bias!], [T(e.GetProperty("g"), dtype)]);
            Close(D(e.GetProperty("gx")), ge[0]!, rtol, atol, $"{name} eval grad input");
            Close(D(e.GetProperty("gw")), ge[1]!, rtol, atol * 10, $"{name} eval grad weight");
            Close(D(e.GetProperty("gb")), ge[2]!, rtol, atol * 10, $"{name} eval grad bias");
            Assert.Equal(3.0, bn.NumBatchesTracked!.Item());
        }
    }

    private static Tensor R(int[] shape, Generator g, double scale = 1) => (Torch.Randn(shape, g, DType.Float64) * scale).Detach().RequiresGrad_();

    [Fact]
    public void BatchNorm_Training_GradCheckAndGradGradCheck_RandomShapes()
    {
        var g = new Generator(42);
        for (int trial = 0; trial < 3; trial++)
        {
            int n = 1 + g.Next(2), c = 1 + g.Next(3), h = 1 + g.Next(2), w = 2;
            var x = R([n, c, h, w], g, 2);
            var weight = R([c], g);
            var bias = R([c], g);
            Tensor Fn(Tensor[] i) => F.BatchNorm(i[0], null, null, i[1], i[2], training: true);
            Assert.True(GradCheck.Check(Fn, [x, weight, bias]));
            Assert.True(GradCheck.GradGradCheck(Fn, [x, weight, bias]));
        }
    }

    [Fact]
    public void BatchNorm_Eval_GradCheckAndGradGradCheck()
    {
        var g = new Generator(7);
        var x = R([2, 3, 2, 2], g);
        var weight = R([3], g);
        var bias = R([3], g);
        var mean = Torch.Randn([3], g, DType.Float64);
        var variance = Torch.Uniform([3], 0.5, 2, g, DType.Float64);
        Tensor Fn(Tensor[] i) => F.BatchNorm(i[0], mean, variance, i[1], i[2], training: false);
        Assert.True(GradCheck.Check(Fn, [x, weight, bias]));
        Assert.True(GradCheck.GradGradCheck(Fn, [x, weight, bias]));
    }

    [Fact]
    public void BatchNorm2d_Module_GradCheck_TrainingMode()
    {
        var bn = new BatchNorm2d(2, dtype: DType.Float64);
        var g = new Generator(9);
        Init.Normal(bn.Weight!, generator: g);
        var x = R([2, 2, 2, 3], g);
        // Running statistics change on every call but do not affect the training-mode output.
        Assert.True(GradCheck.Check(i => bn.Forward(i[0]), [x]));
    }

    [Fact]
    public void BatchNorm2d_TrainingStatistics_AreBiasedForOutputAndUnbiasedForRunningVar()
    {
        // One channel, values 1..4: mean 2.5, biased variance 1.25, unbiased 5/3.
        var bn = new BatchNorm2d(1, eps: 0, momentum: 1.0, dtype: DType.Float64);
        var x = Torch.FromArray(new double[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        var y = bn.Forward(x).ToDoubleArray();
        double sd = Math.Sqrt(1.25);
        double[] expected = [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], y[i], 12);
        Assert.Equal(2.5, bn.RunningMean!.Item(), 12);
        Assert.Equal(5.0 / 3, bn.RunningVar!.Item(), 12);
    }

    [Fact]
    public void BatchNorm2d_WithoutRunningStats_UsesBatchStatisticsInEval()
    {
        var bn = new BatchNorm2d(2, trackRunningStats: false, affine: false, dtype: DType.Float64);
        Assert.Empty(bn.StateDict());
        var x = Torch.Randn([3, 2, 2, 2], new Generator(1), DType.Float64);
        var train = bn.Forward(x).ToDoubleArray();
        bn.Eval();
        Assert.Equal(train, bn.Forward(x).ToDoubleArray());
    }

    [Fact]
    public void BatchNorm2d_BadInput_ThrowsWithoutChangingState()
    {
        var bn = new BatchNorm2d(3);
        var e1 = Assert.Throws<ArgumentException>(() => bn.Forward(Torch.Zeros(2, 3, 4)));
        Assert.Equal("expected 4D input (got 3D input)", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => bn.Forward(Torch.Zeros(2, 4, 5, 5)));
        Assert.Contains("[2, 4, 5, 5]", e2.Message);
        Assert.Contains("C = 3", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => bn.Forward(Torch.Zeros(1, 3, 1, 1)));
        Assert.Equal("Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1, 1])", e3.Message);
        Assert.Equal(0.0, bn.NumBatchesTracked!.Item());
        Assert.Equal(new float[3], bn.RunningMean!.ToArray());
        // In eval mode a single value per channel is fine.
        bn.Eval();
        Assert.Equal([1, 3, 1, 1], bn.Forward(Torch.Ones(1, 3, 1, 1)).Shape);
    }

    [Fact]
    public void BatchNorm2d_To_ConvertsParametersAndBuffers()
    {
        var bn = new BatchNorm2d(4);
        bn.To(DType.Float64);
        // Floating-point tensors convert; the counter stays int64, as module.to(torch.float64) in PyTorch.
        Assert.All(bn.StateDict().Where(kv => kv.Key != "num_batches_tracked"), kv => Assert.Equal(DType.Float64, kv.Value.DType));
        Assert.Equal(DType.Int64, bn.NumBatchesTracked!.DType);
        Assert.True(bn.Weight!.RequiresGrad);
        var y = bn.Forward(Torch.Randn([2, 4, 3, 3], new Generator(2), DType.Float64));
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(1L, bn.NumBatchesTracked!.ItemInt64());
        Assert.Throws<ArgumentException>(() => bn.To(DType.Int64));
    }
}

public class BatchNormPrimitiveTests
{
    [Fact]
    public void Primitive_MatchesComposite_ForwardGradientsRunningStatsAndSecondOrder()
    {
        var g = new Generator(21);
        for (int trial = 0; trial < 6; trial++)
        {
            bool training = trial % 2 == 0, affine = trial % 3 != 2;
            int[] shape = [1 + g.Next(3), 1 + g.Next(4), 1 + g.Next(4), 2 + g.Next(3)];
            int c = shape[1];
            var x = (Torch.Randn(shape, g, DType.Float64) * 2 + 0.5).Detach().RequiresGrad_();
            var w = affine ? Torch.Randn([c], g, DType.Float64).RequiresGrad_() : null;
            var b = affine ? Torch.Randn([c], g, DType.Float64).RequiresGrad_() : null;
            var rm1 = Torch.Randn([c], g, DType.Float64);
            var rv1 = Torch.Uniform([c], 0.5, 2, g, DType.Float64);
            var rm2 = rm1.Clone();
            var rv2 = rv1.Clone();
            var up = Torch.Randn(shape, g, DType.Float64);
            var y1 = F.BatchNorm(x, rm1, rv1, w, b, training, 0.3, 1e-3);
            var y2 = F.BatchNormComposite(x, rm2, rv2, w, b, training, 0.3, 1e-3);
            string name = $"trial {trial} {Shape.Format(shape)} training={training} affine={affine}";
            Assert.Equal("NativeBatchNormBackward0", y1.GradFn!.Name);
            NnGolden.Close(y2.ToDoubleArray(), y1, 1e-12, 1e-12, name + " output");
            NnGolden.Close(rm2.ToDoubleArray(), rm1, 1e-12, 1e-12, name + " running_mean");
            NnGolden.Close(rv2.ToDoubleArray(), rv1, 1e-12, 1e-12, name + " running_var");
            Tensor[] wrt = affine ? [x, w!, b!] : [x];
            // First order through the fast kernel path and through the differentiable path.
            var fast = Torch.Grad([y1], wrt, [up], retainGraph: true);
            var recorded = Torch.Grad([y1], wrt, [up], createGraph: true);
            var reference = Torch.Grad([y2], wrt, [up], createGraph: true);
            for (int i = 0; i < wrt.Length; i++)
            {
                NnGolden.Close(reference[i]!.ToDoubleArray(), fast[i]!, 1e-10, 1e-12, $"{name} grad {i} (kernel)");
                NnGolden.Close(reference[i]!.ToDoubleArray(), recorded[i]!, 1e-10, 1e-12, $"{name} grad {i} (create_graph)");
            }
            // Second order: the gradient of Σ(∂x)² with respect to x.
            // With running statistics ∂x = g·γ·invstd does not depend on x, so only training has a second order in x.
            if (!training) continue;
            var gg1 = Torch.Grad((recorded[0]! * recorded[0]!).Sum(), x);
            var gg2 = Torch.Grad((reference[0]! * reference[0]!).Sum(), x);
            NnGolden.Close(gg2.ToDoubleArray(), gg1, 1e-9, 1e-11, name + " second order");
        }
    }

    [Fact]
    public void Primitive_Float32_AgreesWithFloat64()
    {
        var g = new Generator(4);
        var x = Torch.Randn([8, 16, 6, 6], g, DType.Float64) * 3 + 2;
        var w = Torch.Randn([16], g, DType.Float64);
        var b = Torch.Randn([16], g, DType.Float64);
        var y64 = F.BatchNorm(x, null, null, w, b, training: true);
        var y32 = F.BatchNorm(x.To(DType.Float32), null, null, w.To(DType.Float32), b.To(DType.Float32), training: true);
        NnGolden.Close(y64.ToDoubleArray(), y32, 1e-5, 2e-6, "float32 output");
    }
}
