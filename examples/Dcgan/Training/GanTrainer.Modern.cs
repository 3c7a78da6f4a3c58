using Dcgan.Models;
using MiniTorch;
using MiniTorch.Nn;
using MiniTorch.Optim;

namespace Dcgan.Training;

public sealed partial class GanTrainer
{
    private LazyRegularization? _r1;
    private DiffAugmentPolicy _augment;

    /// <summary>
    /// The generator's exponential moving average, β·θ̄ + (1 − β)·θ after every generator update with
    /// β = min(decay, (1 + n)/(10 + n)) after n updates (a warm-up, so that the early average does not
    /// hold on to the random initial weights); BatchNorm's running statistics are averaged too.
    /// </summary>
    public static AveragingFunction WarmEma(double decay) =>
        (avg, current, n) => { double beta = Math.Min(decay, (1.0 + n) / (10.0 + n)); return beta * avg + (1 - beta) * current; };

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(D), nameof(OptG), nameof(OptD))]
    private void BuildModern(Generator init)
    {
        var m = Config.Modern;
        D = new ModernDiscriminator(Config.Model, m, init);
        OptG = new Adam(G.Parameters(), lr: m.LrG, betas: (m.Beta1, m.Beta2));
        OptD = new Adam(D.Parameters(), lr: m.LrD, betas: (m.Beta1, m.Beta2));
        if (m.EmaDecay is { } decay)
            Ema = new AveragedModel(G, () => new DcganGenerator(Config.Model, Config.Upsample, new Generator(Config.Seed)), WarmEma(decay), useBuffers: true);
        if (m.R1Gamma > 0) _r1 = new LazyRegularization(m.R1Every);
        _augment = DiffAugment.ParsePolicy(m.Augment);
    }

    /// <summary>Images as D sees them: DiffAugment'ed when the recipe asks for it.</summary>
    private Tensor ForD(Tensor images) => _augment == DiffAugmentPolicy.None ? images : DiffAugment.Apply(images, _augment, Augment);

    /// <summary>
    /// One step of the modern recipe: D on (augmented) real and detached fake images with the
    /// configured loss (plus a lazy R1 penalty every few steps), then G against the updated D
    /// on the same fakes, then the generator's moving average.
    /// </summary>
    private StepStats ModernStep(Tensor real)
    {
        int n = real.Size(0);
        var fake = G.Forward(SampleNoise(n));

        // (1) Update D.
        OptD.ZeroGrad();
        bool r1 = _r1 is not null && _r1.IsDue(GlobalStep - 1);
        var realInput = r1 ? real.Detach().RequiresGrad_() : real;
        var outReal = D.Forward(ForD(realInput));
        var outFake = D.Forward(ForD(fake.Detach()));
        var lossD = Config.Loss switch
        {
            LossMode.Hinge => F.HingeLossD(outReal, outFake),
            LossMode.WganGp => F.WassersteinLossD(outReal, outFake) + GradientPenalty.Wgan(D.Forward, real, fake.Detach(), Noise, Config.GpLambda),
            _ => F.NonSaturatingLossD(outReal, outFake),
        };
        if (r1) lossD = lossD + GradientPenalty.R1(outReal, realInput, Config.Modern.R1Gamma) * _r1!.Interval;
        lossD.Backward();
        OptD.Step();

        // (2) Update G (every step, or every NCritic-th step for WGAN-GP), then its average.
        if (Config.Loss != LossMode.WganGp || GlobalStep % Config.NCritic == 0)
        {
            OptG.ZeroGrad();
            SetRequiresGrad(D, false);
            var outG = D.Forward(ForD(fake));
            var lossG = Config.Loss switch
            {
                LossMode.Hinge => F.HingeLossG(outG),
                LossMode.WganGp => F.WassersteinLossG(outG),
                _ => F.NonSaturatingLossG(outG),
            };
            lossG.Backward();
            SetRequiresGrad(D, true);
            OptG.Step();
            _lastLossG = lossG.Item();
            Ema?.UpdateParameters(G);
        }
        bool logistic = Config.Loss == LossMode.Bce;
        return new StepStats(GlobalStep, lossD.Item(), _lastLossG,
            logistic ? MeanSigmoid(outReal) : MeanOf(outReal), logistic ? MeanSigmoid(outFake) : MeanOf(outFake));
    }

    private static double MeanOf(Tensor t)
    {
        using (Torch.NoGrad()) return t.Mean().Item();
    }
}
