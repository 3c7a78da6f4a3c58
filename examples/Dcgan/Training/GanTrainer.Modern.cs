using Dcgan.Experimental;
using Dcgan.Models;
using MiniTorch;

namespace Dcgan.Training;

public sealed partial class GanTrainer
{
    /// <summary>Images as D sees them: DiffAugment'ed when the recipe asks for it.</summary>
    private Tensor ForD(Tensor images) =>
        Config.Modern.Augment.Length == 0 ? images : DiffAugment.Apply(images, Config.Modern.Augment, Augment);

    /// <summary>
    /// One step of the modern recipe: D on (augmented) real and detached fake images with the
    /// configured loss (plus a lazy R1 penalty every few steps), then G against the updated D
    /// on the same fakes, then the generator's moving average.
    /// </summary>
    private StepStats ModernStep(Tensor real)
    {
        var m = Config.Modern;
        int n = real.Size(0);
        var fake = G.Forward(SampleNoise(n));

        // (1) Update D.
        OptD.ZeroGrad();
        bool r1 = m.R1Gamma > 0 && GlobalStep % m.R1Every == 0;
        var realInput = r1 ? real.Detach().RequiresGrad_() : real;
        var outReal = D.Forward(ForD(realInput));
        var outFake = D.Forward(ForD(fake.Detach()));
        var lossD = Config.Loss switch
        {
            LossMode.Hinge => GanLosses.HingeD(outReal, outFake),
            LossMode.WganGp => outFake.Mean() - outReal.Mean() + Losses.GradientPenalty(D, real, fake.Detach(), Config.GpLambda, Noise),
            _ => GanLosses.LogisticD(outReal, outFake),
        };
        if (r1) lossD = lossD + GanLosses.R1(outReal, realInput, m.R1Gamma * m.R1Every);
        lossD.Backward();
        OptD.Step();

        // (2) Update G (every step, or every NCritic-th step for WGAN-GP).
        if (Config.Loss != LossMode.WganGp || GlobalStep % Config.NCritic == 0)
        {
            OptG.ZeroGrad();
            SetRequiresGrad(D, false);
            var outG = D.Forward(ForD(fake));
            var lossG = Config.Loss == LossMode.Bce ? GanLosses.LogisticG(outG) : -outG.Mean();
            lossG.Backward();
            SetRequiresGrad(D, true);
            OptG.Step();
            _lastLossG = lossG.Item();
            Ema?.Update(G);
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
