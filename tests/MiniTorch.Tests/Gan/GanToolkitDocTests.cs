using MiniTorch.Nn;
using MiniTorch.Nn.Utils;
using MiniTorch.Optim;

namespace MiniTorch.Tests.Gan;

/// <summary>The training step shown in docs/gan-toolkit.md runs, trains and is reproducible.</summary>
public class GanToolkitDocTests
{
    private sealed record Run(double[] LossesD, double[] LossesG, float[] Sample, long NAveraged);

    // Keep this method in step with the code block of docs/gan-toolkit.md.
    private static Run Train(int steps)
    {
        const int N = 8;
        var g = new Generator(1);
        Module MakeG() => new Sequential(
            new ConvTranspose2d(16, 32, 4, generator: g), new BatchNorm2d(32), new ReLU(),     // 1×1 → 4×4
            new ConvTranspose2d(32, 1, 4, stride: 2, padding: 1, generator: g), new Tanh());    // 4×4 → 8×8
        var gen = MakeG();
        var ema = new AveragedModel(gen, MakeG, AveragedModel.Ema(0.999, warmup: true), useBuffers: true);

        var disc = new Sequential(
            Parametrizations.SpectralNorm(new Conv2d(1, 32, 4, stride: 2, padding: 1, generator: g), generator: g),  // 8×8 → 4×4
            new LeakyReLU(0.2),
            new MinibatchStdDev(groupSize: 4),                                                                   // + 1 channel
            Parametrizations.SpectralNorm(new Conv2d(33, 1, 4, generator: g), generator: g),                    // 4×4 → 1×1
            new Flatten(0));                                                                                     // one score per image

        var lazy = new LazyRegularization(interval: 4);
        var (lrD, betasD) = lazy.AdjustAdam(2e-4, (0.0, 0.99));
        var optD = new Adam(disc.Parameters(), lr: lrD, betas: betasD);
        var optG = new Adam(gen.Parameters(), lr: 2e-4, betas: (0.0, 0.99));
        var augment = new Generator(2);
        var data = new Generator(3);
        Tensor NextBatch() => Torch.Rand([N, 1, 8, 8], data) * 2 - 1;  // stands in for a data loader

        var lossesD = new List<double>();
        var lossesG = new List<double>();
        for (long step = 0; step < steps; step++)
        {
            var real = NextBatch();
            var fake = gen.Call(Torch.Randn([N, 16, 1, 1], g));

            // D: hinge loss on augmented images, plus R1 every 4th step, scaled by 4.
            optD.ZeroGrad();
            var realIn = lazy.IsDue(step) ? real.Detach().RequiresGrad_() : real;
            var realScores = disc.Call(DiffAugment.Apply(realIn, DiffAugmentPolicy.All, augment));
            var fakeScores = disc.Call(DiffAugment.Apply(fake.Detach(), DiffAugmentPolicy.All, augment));
            var lossD = F.HingeLossD(realScores, fakeScores);
            if (lazy.Penalty(step, () => GradientPenalty.R1(realScores, realIn, gamma: 0.1)) is { } r1) lossD = lossD + r1;
            lossD.Backward();
            optD.Step();

            // G: through D and through the augmentation.
            optG.ZeroGrad();
            var lossG = F.HingeLossG(disc.Call(DiffAugment.Apply(fake, DiffAugmentPolicy.All, augment)));
            lossG.Backward();
            optG.Step();

            ema.UpdateParameters(gen);
            lossesD.Add(lossD.Item());
            lossesG.Add(lossG.Item());
        }

        // Sample with the averaged generator.
        ema.Eval();
        Tensor sample;
        using (Torch.NoGrad()) sample = ema.Call(Torch.Randn([4, 16, 1, 1], new Generator(4)));
        return new Run([.. lossesD], [.. lossesG], sample.ToArray(), ema.NAveraged);
    }

    [Fact]
    public void DocTrainingStep_RunsAndIsBitwiseReproducible()
    {
        var a = Train(6);
        var b = Train(6);
        Assert.All(a.LossesD.Concat(a.LossesG), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(6, a.NAveraged);
        Assert.Equal(4 * 8 * 8, a.Sample.Length);
        Assert.All(a.Sample, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(a.LossesD, b.LossesD);
        Assert.Equal(a.LossesG, b.LossesG);
        Assert.Equal(a.Sample, b.Sample);
    }
}
