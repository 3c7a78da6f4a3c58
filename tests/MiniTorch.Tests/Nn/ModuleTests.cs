using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

public class ModuleTests
{
    /// <summary>A DCGAN-like nesting: a child named "main" holding a Sequential.</summary>
    private sealed class Net : Module
    {
        public Net()
        {
            Main = RegisterModule("main", new Sequential(new Linear(3, 4, generator: new Generator(1)), new LeakyReLU(0.2), new BatchNorm2d(4)));
            Head = RegisterModule("head", new Linear(4, 2, generator: new Generator(2)));
            RegisterParameter("scale", Torch.Ones(2));
        }
        public Sequential Main { get; }
        public Linear Head { get; }
        public override Tensor Forward(Tensor input) => Head.Forward(Main.Forward(input));
    }

    [Fact]
    public void NamedParameters_AndStateDict_FollowPyTorchNamesAndOrder()
    {
        var net = new Net();
        Assert.Equal(["scale", "main.0.weight", "main.0.bias", "main.2.weight", "main.2.bias", "head.weight", "head.bias"],
                     net.NamedParameters().Select(p => p.Name));
        Assert.Equal(["main.2.running_mean", "main.2.running_var", "main.2.num_batches_tracked"], net.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["scale", "main.0.weight", "main.0.bias", "main.2.weight", "main.2.bias", "main.2.running_mean", "main.2.running_var",
                      "main.2.num_batches_tracked", "head.weight", "head.bias"], net.StateDict().Keys);
        Assert.Equal(["", "main", "main.0", "main.1", "main.2", "head"], net.NamedModules().Select(m => m.Name));
    }

    [Fact]
    public void LoadStateDict_RoundTripsIntoAFreshModule()
    {
        var a = new Net();
        a.Main[2].Forward(Torch.Randn([2, 4, 2, 2], new Generator(3)));  // moves the running statistics
        var b = new Net();
        Init.Normal(b.Head.Weight, generator: new Generator(8));
        b.LoadStateDict(a.StateDict());
        foreach (var (key, value) in a.StateDict()) Assert.Equal(value.ToDoubleArray(), b.StateDict()[key].ToDoubleArray());
        Assert.Equal(1.0, ((BatchNorm2d)b.Main[2]).NumBatchesTracked!.Item());
    }

    [Fact]
    public void LoadStateDict_Strict_ListsAllProblemsAtOnce_AndModifiesNothing()
    {
        var net = new Net();
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToDoubleArray());
        var dict = new Dictionary<string, Tensor>(new Net().StateDict());
        Init.Constant(dict["head.bias"], 42);
        dict.Remove("main.0.bias");
        dict.Remove("scale");
        dict["extra.weight"] = Torch.Zeros(1);
        dict["head.weight"] = Torch.Zeros(3, 3);
        var e = Assert.Throws<ArgumentException>(() => net.LoadStateDict(dict));
        Assert.Contains("Missing key(s) in state_dict: \"scale\", \"main.0.bias\".", e.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"extra.weight\".", e.Message);
        Assert.Contains("size mismatch for head.weight: copying a param with shape [3, 3] from checkpoint, the shape in current model is [2, 4].", e.Message);
        foreach (var (key, value) in net.StateDict()) Assert.Equal(before[key], value.ToDoubleArray());

        // Non-strict ignores missing and unexpected keys but still rejects the shape mismatch.
        Assert.Throws<ArgumentException>(() => net.LoadStateDict(dict, strict: false));
        dict.Remove("head.weight");
        net.LoadStateDict(dict, strict: false);
        Assert.All(net.Head.Bias!.ToArray(), v => Assert.Equal(42f, v));
    }

    [Fact]
    public void To_ConvertsParametersAndBuffers_KeepingThemTrainable()
    {
        var net = new Net();
        var w = net.Head.Weight.ToDoubleArray();
        net.To(DType.Float64);
        Assert.All(net.StateDict().Values, t => Assert.Equal(t.DType.IsFloatingPoint() ? DType.Float64 : DType.Int64, t.DType));
        Assert.Equal(DType.Int64, net.StateDict()["main.2.num_batches_tracked"].DType);
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));
        Assert.Equal(w, net.Head.Weight.ToDoubleArray());
        var y = net.Head.Forward(net.Main[0].Forward(Torch.Randn([2, 3], new Generator(1), DType.Float64)));
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(DType.Float64, net.Main[2].Forward(Torch.Randn([2, 4, 2, 2], new Generator(1), DType.Float64)).DType);
    }

    [Fact]
    public void TrainEval_ZeroGrad_Apply_ReachEveryDescendant()
    {
        var net = new Net();
        net.Eval();
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training));
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));

        var x = Torch.Randn([2, 3], new Generator(1));
        net.Head.Forward(net.Main[0].Forward(x)).Sum().Backward();
        Assert.NotNull(net.Head.Weight.Grad);
        net.ZeroGrad();
        Assert.All(net.Parameters(), p => Assert.Null(p.Grad));

        var order = new List<string>();
        net.Apply(m => order.Add(m.GetType().Name));
        Assert.Equal(["Linear", "LeakyReLU", "BatchNorm2d", "Sequential", "Linear", "Net"], order);
    }
}
