using MiniTorch.Nn;
using MiniTorch.Optim;

namespace MiniTorch.Tests.Autograd;

/// <summary>
/// Every path that writes into an existing tensor counts the write, and the ordinary ways of
/// training (step after backward, reloading a checkpoint between steps) keep working.
/// </summary>
public class VersionCounterTests
{
    [Fact]
    public void EveryWritePath_BumpsTheVersion()
    {
        var t = Torch.Zeros(2, 3);
        int v = t.Version;
        void Bumped(string what)
        {
            Assert.True(t.Version == v + 1, $"{what}: version {t.Version}, expected {v + 1}");
            v = t.Version;
        }
        t.CopyFrom(Torch.Ones(2, 3)); Bumped("CopyFrom");
        Init.Uniform(t, generator: new Generator(1)); Bumped("Init.Uniform");
        Init.Normal(t, generator: new Generator(1)); Bumped("Init.Normal");
        Init.Constant(t, 2); Bumped("Init.Constant");
        Init.KaimingUniform(t, generator: new Generator(1)); Bumped("Init.KaimingUniform");
        t.Add_(1); Bumped("Add_");
        t[1].Mul_(2); Bumped("Mul_ through a row view");
        t.Detach().Zero_(); Bumped("Zero_ through Detach");
        F.Prelu_(t, Torch.Full([3], 0.5)); Bumped("Prelu_");

        var x = Torch.Randn([1, 2, 5, 5], new Generator(2));
        var w = Torch.Randn([3, 2, 3, 3], new Generator(3));
        var o = Torch.Zeros(1, 3, 3, 3);
        F.Conv2dInto(x, w, null, o);
        Assert.Equal(1, o.Version);
        var ot = Torch.Zeros(1, 2, 5, 5);
        F.ConvTranspose2dInto(o, w, null, ot);
        Assert.Equal(1, ot.Version);
    }

    [Fact]
    public void ModuleLoadStateDict_And_BatchNormRunningStats_BumpTheirTensors()
    {
        var bn = new BatchNorm2d(2);
        var versions = bn.StateDict().Values.Select(t => t.Version).ToArray();
        bn.LoadStateDict(new BatchNorm2d(2).StateDict());
        Assert.Equal(versions.Select(v => v + 1), bn.StateDict().Values.Select(t => t.Version));
        int runningMean = bn.RunningMean!.Version;
        bn.Forward(Torch.Randn([4, 2, 3, 3], new Generator(4)));
        Assert.True(bn.RunningMean.Version > runningMean);
    }

    [Fact]
    public void OptimizerStepBetweenForwardAndBackward_Raises()
    {
        // A weight saved by the forward and updated before the backward: PyTorch raises, so does MiniTorch.
        var w = Torch.FromArray(new float[] { 1, 2, 3 }, 3).RequiresGrad_();
        var x = Torch.FromArray(new float[] { 4, 5, 6 }, 3).RequiresGrad_();
        var loss = (x * w).Sum();
        w.Grad = Torch.Ones(3);
        new SGD([w], lr: 0.1).Step();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead.", e.Message);
    }

    [Fact]
    public void LoadStateDictBetweenForwardAndBackward_Raises()
    {
        // The weight is saved because the input requires grad (as for PyTorch's addmm).
        var layer = new Linear(3, 2, generator: new Generator(5));
        var loss = layer.Forward(Torch.Ones(4, 3).RequiresGrad_()).Sum();
        layer.LoadStateDict(new Linear(3, 2, generator: new Generator(6)).StateDict());
        Assert.Contains("modified by an inplace operation", Assert.Throws<InvalidOperationException>(() => loss.Backward()).Message);
    }

    [Fact]
    public void TrainingLoop_WithStepsCheckpointsAndBatchNorm_KeepsWorking()
    {
        var g = new Generator(7);
        var model = new Sequential(new Linear(4, 8, generator: g), new LeakyReLU(0.2), new Linear(8, 1, generator: g));
        var bn = new BatchNorm2d(4);
        var adam = new Adam(model.Parameters().Concat(bn.Parameters()), lr: 1e-2);
        var x = Torch.Randn([16, 4], g);
        var target = x.Sum(1, keepdim: true) * 0.5;
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            adam.ZeroGrad();
            var h = bn.Forward(x.Reshape(16, 4, 1, 1)).Reshape(16, 4);
            var loss = F.MseLoss(model.Forward(h), target);
            loss.Backward();
            adam.Step();
            if (step == 0) first = loss.Item();
            last = loss.Item();
            if (step == 30)
            {
                // Save and reload everything mid-run, as a resumed run does.
                model.LoadStateDict(model.StateDict());
                adam.LoadStateDict(adam.StateDict());
                bn.LoadStateDict(bn.StateDict());
            }
        }
        Assert.True(last < first / 4, $"loss {first} -> {last}");
    }
}
