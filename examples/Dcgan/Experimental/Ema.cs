using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Experimental;

/// <summary>
/// PROTOTYPE, private to the example until MiniTorch's AveragedModel/EMA lands (issue 12, library
/// half). An exponential moving average of a module's parameters and buffers:
/// θ̄ ← β·θ̄ + (1 − β)·θ after every update (the first update copies), like
/// <c>torch.optim.swa_utils.AveragedModel</c> with an EMA <c>avg_fn</c> and <c>use_buffers=True</c>.
/// With warm-up, β = min(decay, (1 + t)/(10 + t)) after t updates (TensorFlow's
/// <c>ExponentialMovingAverage(num_updates)</c>), so early averages do not drag in the initial weights.
/// </summary>
public sealed class Ema<TModule>(TModule average, double decay, bool warmup = true) where TModule : Module
{
    /// <summary>The averaged copy.</summary>
    public TModule Module { get; } = average;

    /// <summary>The decay.</summary>
    public double Decay { get; } = decay;

    /// <summary>Updates so far.</summary>
    public long NAveraged { get; set; }

    /// <summary>Moves the average towards <paramref name="model"/>.</summary>
    public void Update(TModule model)
    {
        using var _ = Torch.NoGrad();
        double beta = warmup ? Math.Min(Decay, (1.0 + NAveraged) / (10.0 + NAveraged)) : Decay;
        var own = Module.StateDict();
        foreach (var (k, v) in model.StateDict())
        {
            var a = own[k];
            if (NAveraged == 0) a.CopyFrom(v);
            else a.CopyFrom(a * beta + v * (1 - beta));
        }
        NAveraged++;
    }
}
