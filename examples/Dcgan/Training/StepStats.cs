namespace Dcgan.Training;

/// <summary>What one training step reports.</summary>
/// <param name="Step">Global step (1-based, counts discriminator/critic batches).</param>
/// <param name="LossD">Discriminator (critic) loss.</param>
/// <param name="LossG">Generator loss of the most recent generator update.</param>
/// <param name="DReal">D(x): mean sigmoid of the logits on real images (the critic's mean score in WGAN-GP mode).</param>
/// <param name="DFake">D(G(z)): the same on generated images, before the discriminator update.</param>
public readonly record struct StepStats(long Step, double LossD, double LossG, double DReal, double DFake);

/// <summary>Receives progress from the trainer (a progress bar, log lines, or nothing in tests).</summary>
public interface IProgressSink
{
    /// <summary>An epoch (1-based) of <paramref name="steps"/> batches begins at batch <paramref name="startStep"/> (non-zero when resuming mid-epoch).</summary>
    void EpochStarted(int epoch, int totalEpochs, int steps, int startStep);

    /// <summary>One batch was processed.</summary>
    void Step(StepStats stats);

    /// <summary>The epoch finished (<paramref name="completed"/>) or was interrupted.</summary>
    void EpochEnded(int epoch, TimeSpan elapsed, bool completed);

    /// <summary>A free-form message.</summary>
    void Log(string message);
}

/// <summary>A sink that ignores everything.</summary>
public sealed class SilentProgress : IProgressSink
{
    /// <inheritdoc />
    public void EpochStarted(int epoch, int totalEpochs, int steps, int startStep) { }

    /// <inheritdoc />
    public void Step(StepStats stats) { }

    /// <inheritdoc />
    public void EpochEnded(int epoch, TimeSpan elapsed, bool completed) { }

    /// <inheritdoc />
    public void Log(string message) { }
}
