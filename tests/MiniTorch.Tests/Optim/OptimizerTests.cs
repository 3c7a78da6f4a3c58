using System.Text.Json;
using MiniTorch.Optim;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Optim;

public class OptimizerTests
{
    private static Optimizer Make(JsonElement c, Tensor[] ps)
    {
        var kw = c.GetProperty("kwargs");
        double Get(string name, double fallback) => kw.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        bool Flag(string name) => kw.TryGetProperty(name, out var v) && v.GetBoolean();
        if (c.GetProperty("kind").GetString() == "sgd")
            return new SGD(ps, Get("lr", 0), Get("momentum", 0), Get("dampening", 0), Get("weight_decay", 0), Flag("nesterov"));
        (double, double)? betas = kw.TryGetProperty("betas", out var b) ? (b[0].GetDouble(), b[1].GetDouble()) : null;
        return new Adam(ps, Get("lr", 1e-3), betas, Get("eps", 1e-8), Get("weight_decay", 0), Flag("amsgrad"));
    }

    [Fact]
    public void SgdAndAdam_Steps_MatchPyTorchBitForBit()
    {
        int cases = 0;
        foreach (var c in Root.GetProperty("optim").EnumerateArray())
        {
            var dtype = DTypeOf(c);
            var ps = c.GetProperty("p0").EnumerateArray().Select(p => T(p, dtype).RequiresGrad_()).ToArray();
            var opt = Make(c, ps);
            string name = $"{opt} {dtype}";
            int step = 0;
            foreach (var s in c.GetProperty("steps").EnumerateArray())
            {
                step++;
                var grads = s.GetProperty("grads").EnumerateArray().ToArray();
                for (int i = 0; i < ps.Length; i++)
                    ps[i].Grad = grads[i].ValueKind == JsonValueKind.Null ? null : T(grads[i], dtype);
                opt.Step();
                var expected = s.GetProperty("params").EnumerateArray().ToArray();
                for (int i = 0; i < ps.Length; i++)
                {
                    // Bit for bit: the same operation order, scalar roundings and fused multiply-adds as ATen's CPU kernels.
                    Exact(D(expected[i]), ps[i], $"{name} step {step} param {i}");
                }
            }
            cases++;
        }
        Assert.Equal(16, cases);
    }

    private static (Tensor[] Params, Func<int, Tensor[]> Grads) Problem(DType dtype = DType.Float32)
    {
        var g = new Generator(12);
        var ps = new[] { Torch.Randn([4, 3], g, dtype).RequiresGrad_(), Torch.Randn([7], g, dtype).RequiresGrad_() };
        return (ps, step => ps.Select(p => Torch.Randn(p.ShapeRef, new Generator(100 + step), dtype) * (1 + step % 3)).ToArray());
    }

    private static void Run(Optimizer opt, Tensor[] ps, Func<int, Tensor[]> grads, int from, int to)
    {
        for (int s = from; s < to; s++)
        {
            var gs = grads(s);
            for (int i = 0; i < ps.Length; i++) ps[i].Grad = gs[i];
            opt.Step();
        }
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("amsgrad")]
    public void StateDict_ResumedRun_ContinuesBitForBit(string kind)
    {
        Optimizer Create(Tensor[] ps) => kind switch
        {
            "sgd" => new SGD(ps, 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
            "adam" => new Adam(ps, 0.01, (0.5, 0.99), weightDecay: 1e-2),
            _ => new Adam(ps, 0.02, amsgrad: true),
        };
        var (ps, grads) = Problem();
        var straight = Create(ps);
        Run(straight, ps, grads, 0, 6);

        var (qs, _) = Problem();
        var first = Create(qs);
        Run(first, qs, grads, 0, 3);
        var snapshot = first.StateDict();
        var paramSnapshot = qs.Select(q => q.Detach().Clone()).ToArray();
        Run(first, qs, grads, 3, 4);  // the snapshot must not move with later steps

        var resumedParams = paramSnapshot.Select(p => p.RequiresGrad_()).ToArray();
        var resumed = kind == "sgd" ? (Optimizer)new SGD(resumedParams, 1) : new Adam(resumedParams);
        resumed.LoadStateDict(snapshot);
        Assert.Equal(first.ToString(), resumed.ToString());
        Run(resumed, resumedParams, grads, 3, 6);
        for (int i = 0; i < ps.Length; i++) Assert.Equal(ps[i].ToArray(), resumedParams[i].ToArray());
        Assert.Equal(straight.StateDict().Keys, resumed.StateDict().Keys);
    }

    [Fact]
    public void StateDict_HasPyTorchShapedFlatKeys()
    {
        var (ps, grads) = Problem();
        var adam = new Adam(ps, amsgrad: true);
        Assert.Equal(["param_groups.0.lr", "param_groups.0.betas", "param_groups.0.eps", "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.params"],
                     adam.StateDict().Keys);
        Run(adam, ps, grads, 0, 2);
        var sd = adam.StateDict();
        Assert.Equal(["state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                      "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"], sd.Keys.Take(8));
        Assert.Equal(2.0, sd["state.1.step"].Item());
        Assert.Equal(DType.Float64, sd["state.0.step"].DType);
        Assert.Empty(sd["state.0.step"].Shape);
        Assert.Equal(new[] { 0.9, 0.999 }, sd["param_groups.0.betas"].ToDoubleArray());
        Assert.Equal([4, 3], sd["state.0.exp_avg"].Shape);
        Assert.Equal(new[] { 0.0, 1 }, sd["param_groups.0.params"].ToDoubleArray());

        var sgd = new SGD(ps, 0.1);
        Run(sgd, ps, grads, 0, 1);
        Assert.DoesNotContain(sgd.StateDict().Keys, k => k.StartsWith("state.", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadStateDict_Mismatches_ListedTogether_NothingChanged()
    {
        var (ps, grads) = Problem();
        var adam = new Adam(ps, 0.01);
        Run(adam, ps, grads, 0, 1);
        var good = adam.StateDict();
        var bad = new Dictionary<string, Tensor>(good);
        bad["state.0.exp_avg"] = Torch.Zeros(3, 4);
        bad.Remove("state.1.exp_avg_sq");
        bad["state.5.step"] = Torch.Scalar(1, DType.Float64);
        bad["param_groups.0.momentum"] = Torch.Scalar(0.9, DType.Float64);
        bad.Remove("param_groups.0.eps");

        var (qs, _) = Problem();
        var target = new Adam(qs, 0.5);
        var e = Assert.Throws<ArgumentException>(() => target.LoadStateDict(bad));
        Assert.Contains("\"state.5.step\" refers to parameter 5, but the optimizer has 2 parameters", e.Message);
        Assert.Contains("unexpected key \"param_groups.0.momentum\"", e.Message);
        Assert.Contains("missing key \"param_groups.0.eps\"", e.Message);
        Assert.Equal(0.5, target.Lr);
        Assert.DoesNotContain(target.StateDict().Keys, k => k.StartsWith("state.", StringComparison.Ordinal));

        // With the group fixed, the per-parameter problems are reported together.
        bad["param_groups.0.eps"] = good["param_groups.0.eps"];
        bad.Remove("param_groups.0.momentum");
        bad.Remove("state.5.step");
        var e2 = Assert.Throws<ArgumentException>(() => target.LoadStateDict(bad));
        Assert.Contains("size mismatch for state.0.exp_avg: copying a tensor with shape [3, 4], the expected shape is [4, 3]", e2.Message);
        Assert.Contains("missing key \"state.1.exp_avg_sq\"", e2.Message);
        Assert.Equal(0.5, target.Lr);

        var three = new Adam([.. qs, Torch.Zeros(2).RequiresGrad_()]);
        var e3 = Assert.Throws<ArgumentException>(() => three.LoadStateDict(good));
        Assert.Contains("loaded state dict contains a parameter group that doesn't match the size of optimizer's group", e3.Message);

        var e4 = Assert.Throws<ArgumentException>(() => new SGD(qs, 0.1).LoadStateDict(good));
        Assert.Contains("unexpected key \"param_groups.0.betas\"", e4.Message);
        Assert.Contains("missing key \"param_groups.0.momentum\"", e4.Message);
    }

    [Fact]
    public void Step_SkipsParametersWithoutGrad_AndZeroGradClears()
    {
        var (ps, grads) = Problem();
        var before = ps[1].ToArray();
        var sgd = new SGD(ps, 0.1, momentum: 0.5);
        ps[0].Grad = grads(0)[0];
        sgd.Step();
        Assert.Equal(before, ps[1].ToArray());
        Assert.True(ps[0].IsLeaf && ps[0].RequiresGrad);
        sgd.ZeroGrad(setToNone: false);
        Assert.All(ps[0].Grad!.ToArray(), v => Assert.Equal(0f, v));
        sgd.ZeroGrad();
        Assert.Null(ps[0].Grad);
        Assert.DoesNotContain("state.1.momentum_buffer", sgd.StateDict().Keys);
        Assert.Contains("state.0.momentum_buffer", sgd.StateDict().Keys);
    }

    [Fact]
    public void Sgd_PlainStep_IsParamMinusLrTimesGrad()
    {
        var p = Torch.FromArray(new double[] { 1, 2, 3 }, 3).RequiresGrad_();
        p.Grad = Torch.FromArray(new double[] { 0.5, -1, 2 }, 3);
        new SGD([p], 0.1).Step();
        Assert.Equal(new[] { 1 - 0.05, 2 + 0.1, 3 - 0.2 }, p.ToDoubleArray());
    }

    [Fact]
    public void Constructors_RejectBadHyperparametersAndParameters()
    {
        var p = Torch.Zeros(2).RequiresGrad_();
        Assert.Equal("Invalid learning rate: -1", Assert.Throws<ArgumentException>(() => new SGD([p], -1)).Message);
        Assert.Equal("Nesterov momentum requires a momentum and zero dampening", Assert.Throws<ArgumentException>(() => new SGD([p], 0.1, nesterov: true)).Message);
        Assert.Equal("Invalid momentum value: -0.5", Assert.Throws<ArgumentException>(() => new SGD([p], 0.1, momentum: -0.5)).Message);
        Assert.Equal("Invalid beta parameter at index 1: 1", Assert.Throws<ArgumentException>(() => new Adam([p], betas: (0.9, 1.0))).Message);
        Assert.Equal("Invalid epsilon value: -1E-08", Assert.Throws<ArgumentException>(() => new Adam([p], eps: -1e-8)).Message);
        Assert.Equal("Invalid weight_decay value: -0.1", Assert.Throws<ArgumentException>(() => new Adam([p], weightDecay: -0.1)).Message);
        Assert.Equal("optimizer got an empty parameter list", Assert.Throws<ArgumentException>(() => new Adam([])).Message);
        Assert.Equal("can't optimize a non-leaf Tensor", Assert.Throws<ArgumentException>(() => new Adam([p * 2])).Message);
        Assert.Throws<ArgumentException>(() => new Adam([p, p]));
    }

    [Theory]
    [InlineData("sgd", DType.Float32)]
    [InlineData("adam", DType.Float32)]
    [InlineData("amsgrad", DType.Float64)]
    public void LargeParameters_UpdateElementwise_IndependentOfHowTheyAreSplit(string kind, DType dtype)
    {
        // The kernels work in cache-sized chunks; every element must still see exactly the same operations.
        const int n = 10007;
        var g = new Generator(77);
        var whole = Torch.Randn([n], g, dtype).RequiresGrad_();
        int[] sizes = [1000, 5000, 4007];
        var parts = new Tensor[sizes.Length];
        for (int i = 0, at = 0; i < sizes.Length; at += sizes[i], i++) parts[i] = whole.Detach().Narrow(0, at, sizes[i]).Clone().RequiresGrad_();
        Optimizer Create(Tensor[] ps) => kind switch
        {
            "sgd" => new SGD(ps, 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
            "adam" => new Adam(ps, 0.01, weightDecay: 0.1),
            _ => new Adam(ps, 0.01, amsgrad: true),
        };
        var a = Create([whole]);
        var b = Create(parts);
        for (int step = 0; step < 3; step++)
        {
            var grad = Torch.Randn([n], g, dtype);
            whole.Grad = grad;
            for (int i = 0, at = 0; i < sizes.Length; at += sizes[i], i++) parts[i].Grad = grad.Narrow(0, at, sizes[i]).Clone();
            a.Step();
            b.Step();
        }
        Assert.Equal(whole.ToDoubleArray(), Torch.Cat(parts).ToDoubleArray());
    }
}
