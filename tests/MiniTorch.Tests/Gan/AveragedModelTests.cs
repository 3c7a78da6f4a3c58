using MiniTorch.Nn;
using MiniTorch.Optim;
using static MiniTorch.Tests.Nn.NnGolden;

namespace MiniTorch.Tests.Gan;

public class AveragedModelTests
{
    /// <summary>The golden network: conv, batch norm, linear (parameters and buffers of each kind).</summary>
    private sealed class Net : Module
    {
        public Net(DType dtype)
        {
            RegisterModule("conv", new Conv2d(2, 3, 3));
            RegisterModule("bn", new BatchNorm2d(3));
            RegisterModule("lin", new Linear(4, 2));
            To(dtype);
        }

        public override Tensor Forward(Tensor input) => input;
    }

    private static Dictionary<string, Tensor> State(System.Text.Json.JsonElement e, DType dtype) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Name.EndsWith("num_batches_tracked") ? T(p.Value) : T(p.Value, dtype));

    [Fact]
    public void UpdateParameters_EmaAndSwaSequences_MatchPyTorch()
    {
        int n = 0;
        foreach (var c in GanGolden.Cases("averaged_model"))
        {
            var dtype = DTypeOf(c);
            string kind = c.GetProperty("kind").GetString()!;
            bool useBuffers = c.GetProperty("use_buffers").GetBoolean();
            var net = new Net(dtype);
            net.LoadStateDict(State(c.GetProperty("initial"), dtype));
            var avg = new AveragedModel(net, () => new Net(dtype), kind == "ema" ? AveragedModel.Ema(c.GetProperty("decay").GetDouble()) : null, useBuffers);
            Assert.Equal(c.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), avg.StateDict().Keys);
            int step = 0;
            foreach (var s in c.GetProperty("steps").EnumerateArray())
            {
                net.LoadStateDict(State(s.GetProperty("model"), dtype));
                avg.UpdateParameters(net);
                foreach (var (key, expected) in State(s.GetProperty("average"), dtype))
                    // The same element-wise formula in the same order: bit for bit.
                    Exact(expected.ToDoubleArray(), avg.StateDict()[key], $"{kind} use_buffers={useBuffers} {dtype} step {step} {key}");
                step++;
            }
            Assert.Equal(4, avg.NAveraged);
            n++;
        }
        Assert.Equal(6, n);
    }

    [Fact]
    public void AveragedModel_IsASeparateCopyThatForwardsLikeTheModel()
    {
        var g = new Generator(1);
        Module Make() => new Sequential(new Conv2d(1, 2, 3, generator: g), new BatchNorm2d(2), new LeakyReLU(0.2));
        var model = Make();
        model.Eval();
        var avg = new AveragedModel(model, Make, AveragedModel.Ema(0.5));
        Assert.False(avg.Module.Training);
        var x = Torch.Randn([2, 1, 5, 5], new Generator(2));
        Assert.Equal(model.Call(x).ToArray(), avg.Call(x).ToArray());
        var w = model.Parameters().First();
        using (Torch.NoGrad()) w.CopyFrom(w * 3);
        Assert.NotEqual(model.Call(x).ToArray(), avg.Call(x).ToArray()); // not shared
        Assert.Equal(0, avg.NAveraged);
        avg.UpdateParameters(model); // n = 0: a copy
        Assert.Equal(model.Call(x).ToArray(), avg.Call(x).ToArray());
    }

    [Fact]
    public void Ema_WithWarmup_UsesTheSmallerDecayEarly()
    {
        var model = new Linear(1, 1, bias: false, dtype: DType.Float64);
        var avg = new AveragedModel(model, () => new Linear(1, 1, bias: false, dtype: DType.Float64), AveragedModel.Ema(0.9, warmup: true));
        double expected = 0;
        for (int n = 0; n < 30; n++)
        {
            double value = n * n;
            using (Torch.NoGrad()) model.Weight.CopyFrom(Torch.Full([1, 1], value, DType.Float64));
            avg.UpdateParameters(model);
            double beta = Math.Min(0.9, (1.0 + n) / (10.0 + n));
            expected = n == 0 ? value : beta * expected + (1 - beta) * value;
            Assert.Equal(expected, ((Linear)avg.Module).Weight.Item());
        }
    }

    [Fact]
    public void AveragedModel_FactoryMisuse_IsRejected()
    {
        var model = new Sequential(new Linear(3, 2), new ReLU());
        Assert.Equal("AveragedModel: the copy factory returned the model itself; it must build a new instance",
            Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => model)).Message);
        Assert.Equal("AveragedModel: the copy factory built a Linear for a Sequential",
            Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => new Linear(3, 2))).Message);
        Assert.StartsWith("AveragedModel: the copy's state dict keys differ from the model's",
            Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => new Sequential(new Linear(3, 2, bias: false), new ReLU()))).Message);
        Assert.Equal("AveragedModel: 0.weight is [2, 3] Float32 in the model but [4, 3] Float32 in the copy",
            Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => new Sequential(new Linear(3, 4), new ReLU()))).Message);
        Assert.Equal("AveragedModel: the copy's 0.weight shares memory with the model; the factory must build new layers, not reuse the model's",
            Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => new Sequential(model[0], new ReLU()))).Message);
        Assert.Equal("AveragedModel: the copy's submodule '1' is a module of the model; the factory must build new layers",
            Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => new Sequential(new Linear(3, 2), model[1]))).Message);
        Assert.Throws<ArgumentException>(() => new AveragedModel(model, () => null!));
        Assert.Throws<ArgumentException>(() => AveragedModel.Ema(1.5));
    }

    [Fact]
    public void UpdateParameters_WithAnotherArchitecture_ThrowsAndChangesNothing()
    {
        var model = new Linear(3, 2, generator: new Generator(1));
        var avg = new AveragedModel(model, () => new Linear(3, 2));
        var before = avg.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone().ToArray());
        var e = Assert.Throws<ArgumentException>(() => avg.UpdateParameters(new Linear(3, 4)));
        Assert.Equal("AveragedModel.UpdateParameters: weight of the model is [4, 3] Float32 but the average's weight is [2, 3] Float32", e.Message);
        e = Assert.Throws<ArgumentException>(() => avg.UpdateParameters(new Linear(3, 2, bias: false)));
        Assert.Equal("AveragedModel.UpdateParameters: the model has 1 parameters but the average has 2", e.Message);
        var bad = new AveragedModel(model, () => new Linear(3, 2), (a, m, n) => a.Reshape(-1));
        bad.UpdateParameters(model);
        Assert.Throws<InvalidOperationException>(() => bad.UpdateParameters(model));
        Assert.Equal(1, bad.NAveraged);
        foreach (var (k, v) in avg.StateDict()) Assert.Equal(before[k], v.ToArray());
    }
}
