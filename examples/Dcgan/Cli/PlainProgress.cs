using System.Diagnostics;
using System.Globalization;
using Dcgan.Training;

namespace Dcgan.Cli;

/// <summary>
/// Progress as plain log lines (for CI and redirected output): about ten lines per epoch and
/// one summary line at its end.
/// </summary>
public sealed class PlainProgress(TextWriter output) : IProgressSink
{
    private int _epoch, _epochs, _steps, _step, _stepsThisRun, _every;
    private readonly Stopwatch _clock = new();

    /// <inheritdoc />
    public void EpochStarted(int epoch, int totalEpochs, int steps, int startStep)
    {
        (_epoch, _epochs, _steps, _step) = (epoch, totalEpochs, steps, startStep);
        _every = Math.Max(1, steps / 10);
        _stepsThisRun = 0;
        _clock.Restart();
    }

    /// <inheritdoc />
    public void Step(StepStats s)
    {
        _step++;
        _stepsThisRun++;
        if (_step % _every != 0 && _step != _steps) return;
        double rate = _stepsThisRun / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds((_steps - _step) / Math.Max(rate, 1e-9));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{EpochLabel(_epoch, _epochs)} step {_step}/{_steps}  loss_D {s.LossD:F4}  loss_G {s.LossG:F4}  D(x) {s.DReal:F3}  D(G(z)) {s.DFake:F3}  {rate:F2} steps/s  ETA {eta:m\\:ss}"));
    }

    /// <inheritdoc />
    public void EpochEnded(int epoch, TimeSpan elapsed, bool completed) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{EpochLabel(epoch, _epochs)} {(completed ? "done" : $"stopped at step {_step}/{_steps}")} after {elapsed.TotalSeconds:F1} s"));

    /// <inheritdoc />
    public void Log(string message) => output.WriteLine(message);

    /// <summary>"epoch E/N", or "epoch E" when the run is limited by a time budget alone (no epoch count).</summary>
    public static string EpochLabel(int epoch, int totalEpochs) =>
        totalEpochs == int.MaxValue ? $"epoch {epoch}" : $"epoch {epoch}/{totalEpochs}";
}
