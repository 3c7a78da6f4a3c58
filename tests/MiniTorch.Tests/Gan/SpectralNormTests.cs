using System.Text.Json;
using MiniTorch.Autograd;
using MiniTorch.Nn;
using MiniTorch.Nn.Utils;
using MiniTorch.Optim;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class SpectralNormTests
{
    private static Module Make(string type, DType dtype)
    {
        // PyTorch names the class of a parametrized module ParametrizedConv2d, …
        Module m = type.Replace("Parametrized", "") switch
        {
            "Conv2d" => new Conv2d(3, 4, 3),
            "ConvTranspose2d" => new ConvTranspose2d(4, 3, 4, stride: 2, padding: 1),
            "Linear" => new Linear(5, 6),
            _ => throw new ArgumentException(type),
        };
        return m.To(dtype);
    }

    private static Tensor WeightOf(Module m) => m switch { ConvModule c => c.Weight, Linear l => l.Weight, _ => throw new ArgumentException() };

    // Matrix-vector products summed in another order than BLAS's, iterated: a few ulps per step.
    private static double Tol(DType dtype) => dtype == DType.Float32 ? 1e-6 : 1e-14;

    [Fact]
    public void SpectralNorm_FromFixedUV_FollowsPyTorchStepByStep()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("spectral_norm"))
        {
            var dtype = DTypeOf(c);
            string type = c.GetProperty("module").GetString()!, what = $"spectral_norm {type} {dtype}";
            var m = Make(type, dtype);
            using (Torch.NoGrad()) WeightOf(m).CopyFrom(T(c.GetProperty("weight"), dtype));
            Parametrizations.SpectralNormFrom(m, T(c.GetProperty("u0"), dtype), T(c.GetProperty("v0"), dtype),
                nPowerIterations: c.GetProperty("n_power_iterations").GetInt32());
            Assert.Equal(c.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), m.StateDict().Keys);
            var sn = (SpectralNormParametrization)Parametrize.GetParametrizations(m, "weight")[0];
            var original = Parametrize.GetParametrizations(m, "weight").Original;
            Close(D(c.GetProperty("u_registered")), sn.U!, Tol(dtype), Tol(dtype), what + " u after registration");
            Close(D(c.GetProperty("v_registered")), sn.V!, Tol(dtype), Tol(dtype), what + " v after registration");
            int step = 0;
            foreach (var s in c.GetProperty("steps").EnumerateArray())
            {
                var w = WeightOf(m);
                Close(D(s.GetProperty("weight")), w, Tol(dtype), Tol(dtype), $"{what} step {step} weight");
                Close(D(s.GetProperty("u")), sn.U!, Tol(dtype), Tol(dtype), $"{what} step {step} u");
                Close(D(s.GetProperty("v")), sn.V!, Tol(dtype), Tol(dtype), $"{what} step {step} v");
                var grad = Torch.Grad([w], [original], [T(s.GetProperty("g"), dtype)])[0]!;
                Close(D(s.GetProperty("grad_original")), grad, Tol(dtype), Tol(dtype), $"{what} step {step} gradient");
                using (Torch.NoGrad()) original.CopyFrom(T(s.GetProperty("original_after"), dtype));
                step++;
            }
            m.Eval();
            Close(D(c.GetProperty("eval_weight")), WeightOf(m), Tol(dtype), Tol(dtype), what + " eval weight");
            Close(D(c.GetProperty("eval_u")), sn.U!, Tol(dtype), Tol(dtype), what + " eval leaves u");
            n++;
        }
        Assert.Equal(6, n);
    }

    [Fact]
    public void SpectralNorm_LoadsAPyTorchStateDict()
    {
        foreach (var c in GanGolden.Cases("spectral_norm"))
        {
            var dtype = DTypeOf(c);
            var m = Parametrizations.SpectralNorm(Make(c.GetProperty("module").GetString()!, dtype), generator: new Generator(3));
            // PyTorch's state after its last training step, then its eval-mode weight.
            var last = c.GetProperty("steps").EnumerateArray().Last();
            var state = m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
            state["parametrizations.weight.original"] = T(last.GetProperty("original_after"), dtype);
            state["parametrizations.weight.0._u"] = T(c.GetProperty("eval_u"), dtype);
            var v = T(last.GetProperty("v"), dtype);
            state["parametrizations.weight.0._v"] = v;
            m.LoadStateDict(state);
            m.Eval();
            Close(D(c.GetProperty("eval_weight")), WeightOf(m), Tol(dtype), Tol(dtype), "loaded eval weight");
        }
    }

    [Fact]
    public void SpectralNorm_LoadsAStateDictSavedByPyTorch()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("spectral_norm"))
        {
            if (!c.TryGetProperty("safetensors", out var file)) continue;
            // Written by PyTorch's state_dict() after three training steps (gen_gan.py).
            var state = MiniTorch.IO.Safetensors.Load(Path.Combine(AppContext.BaseDirectory, "Golden", "Gan", file.GetString()!));
            var m = Parametrizations.SpectralNorm(Make(c.GetProperty("module").GetString()!, DType.Float32), generator: new Generator(5));
            m.LoadStateDict(state);
            m.Eval();
            Close(D(c.GetProperty("eval_weight")), WeightOf(m), Tol(DType.Float32), Tol(DType.Float32), $"{file} eval weight");
            n++;
        }
        Assert.Equal(2, n);
    }

    [Fact]
    public void SpectralNorm_Defaults_DimOneForTransposedConvolution()
    {
        var ct = Parametrizations.SpectralNorm(new ConvTranspose2d(4, 3, 4), generator: new Generator(1));
        var sn = (SpectralNormParametrization)Parametrize.GetParametrizations(ct, "weight")[0];
        Assert.Equal((1, 3, 64), (sn.Dim, sn.U!.Numel, sn.V!.Numel));
        var conv = Parametrizations.SpectralNorm(new Conv2d(4, 3, 4), generator: new Generator(1));
        sn = (SpectralNormParametrization)Parametrize.GetParametrizations(conv, "weight")[0];
        Assert.Equal((0, 3, 64), (sn.Dim, sn.U!.Numel, sn.V!.Numel));
        Assert.Equal((1, 1e-12), (sn.NPowerIterations, sn.Eps));
        foreach (var m in new ConvModule[] { new ConvTranspose1d(4, 3, 4), new ConvTranspose3d(4, 3, 2) })
        {
            Parametrizations.SpectralNorm(m, generator: new Generator(1));
            sn = (SpectralNormParametrization)Parametrize.GetParametrizations(m, "weight")[0];
            Assert.Equal((1, 3), (sn.Dim, sn.U!.Numel));
        }
    }

    [Fact]
    public void SpectralNorm_LargestSingularValueBecomesOne()
    {
        var lin = new Linear(8, 5, generator: new Generator(4), dtype: DType.Float64);
        Parametrizations.SpectralNorm(lin, nPowerIterations: 30, generator: new Generator(5));
        var w = lin.Weight.Detach();
        // σ_max(W) = √λ_max(WᵀW), by a long power iteration on WᵀW in double precision.
        var wtw = w.T.MatMul(w);
        var x = Torch.Ones([8, 1], DType.Float64);
        for (int i = 0; i < 500; i++) { x = wtw.MatMul(x); x = x / x.Pow(2).Sum().Sqrt(); }
        double lambda = (x.T.MatMul(wtw).MatMul(x)).Item();
        Assert.Equal(1.0, Math.Sqrt(lambda), 10);
    }

    [Fact]
    public void SpectralNorm_UpdatesUOnlyInTrainingMode()
    {
        var conv = Parametrizations.SpectralNorm(new Conv2d(2, 3, 3), generator: new Generator(2));
        var sn = (SpectralNormParametrization)Parametrize.GetParametrizations(conv, "weight")[0];
        var x = Torch.Randn([1, 2, 5, 5], new Generator(3));
        var u0 = sn.U!.ToArray();
        conv.Eval();
        var y1 = conv.Call(x).ToArray();
        Assert.Equal(u0, sn.U!.ToArray());
        Assert.Equal(y1, conv.Call(x).ToArray());
        conv.Train();
        using (Torch.NoGrad()) Parametrize.GetParametrizations(conv, "weight").Original.CopyFrom(Torch.Randn([3, 2, 3, 3], new Generator(4)));
        conv.Call(x);
        Assert.NotEqual(u0, sn.U!.ToArray());
    }

    [Fact]
    public void SpectralNorm_GradCheck_ThroughTheWeightAndSigma()
    {
        var conv = Parametrizations.SpectralNorm(new Conv2d(2, 3, 2).To(DType.Float64), generator: new Generator(6));
        conv.Eval(); // u and v fixed, so central differences see one function
        var original = Parametrize.GetParametrizations(conv, "weight").Original;
        var x = Torch.Randn([2, 2, 3, 3], new Generator(7), DType.Float64).RequiresGrad_();
        Assert.True(GradCheck.Check(a => conv.Forward(a[0]), [x, original]));
        Assert.True(GradCheck.GradGradCheck(a => conv.Forward(a[0]), [x, original]));
        // A 1-D tensor is normalized exactly: w/‖w‖.
        var v = Torch.Randn([4], new Generator(8), DType.Float64).RequiresGrad_();
        var sn1 = new SpectralNormParametrization(v, 1, 0, 1e-12, null);
        Assert.True(GradCheck.Check(a => sn1.Forward(a[0]), [v]));
        Assert.Equal(1.0, sn1.Forward(v).Pow(2).Sum().Item(), 14);
    }

    [Fact]
    public void SpectralNorm_OptimiserBuiltBeforehand_TrainsTheOriginal()
    {
        var conv = new Conv2d(2, 3, 3, generator: new Generator(1));
        var weight = conv.Weight;
        var opt = new Adam(conv.Parameters(), lr: 0.1);
        Parametrizations.SpectralNorm(conv, generator: new Generator(2));
        Assert.Same(weight, Parametrize.GetParametrizations(conv, "weight").Original);
        Assert.Equal(["bias", "parametrizations.weight.original"], conv.NamedParameters().Select(p => p.Name));
        var before = weight.ToArray();
        conv.Call(Torch.Randn([1, 2, 4, 4], new Generator(3))).Sum().Backward();
        opt.Step();
        Assert.NotEqual(before, weight.ToArray());
    }

    [Fact]
    public void SpectralNorm_BadArguments_ThrowPyTorchsMessages()
    {
        var errors = GanGolden.Root.GetProperty("spectral_norm_errors");
        Assert.Equal(errors.GetProperty("iterations").GetString(),
            Assert.Throws<ArgumentException>(() => Parametrizations.SpectralNorm(new Linear(3, 4), nPowerIterations: 0)).Message);
        Assert.StartsWith(errors.GetProperty("dim").GetString(),
            Assert.Throws<ArgumentOutOfRangeException>(() => Parametrizations.SpectralNorm(new Linear(3, 4), dim: 2)).Message);
        Assert.Equal("Module 'Linear' has no parameter or buffer with name 'kernel'",
            Assert.Throws<ArgumentException>(() => Parametrizations.SpectralNorm(new Linear(3, 4), "kernel")).Message);
        Assert.Equal("spectral_norm: eps must be finite and non-negative, got -1",
            Assert.Throws<ArgumentException>(() => Parametrizations.SpectralNorm(new Linear(3, 4), eps: -1)).Message);
        // A failed registration leaves the module as it was.
        var lin = new Linear(3, 4);
        Assert.ThrowsAny<Exception>(() => Parametrizations.SpectralNorm(lin, nPowerIterations: -1));
        Assert.False(Parametrize.IsParametrized(lin));
        Assert.Equal(["weight", "bias"], lin.NamedParameters().Select(p => p.Name));
    }
}
