using System.Diagnostics;
using Dcgan.Training;
using Spectre.Console;

namespace Dcgan.Cli;

/// <summary>
/// A Spectre.Console progress bar per epoch. The description carries the running losses, D(x),
/// D(G(z)) and steps/s; Spectre's own column shows the ETA.
/// </summary>
public sealed class SpectreProgress : IProgressSink
{
    private ProgressContext? _context;
    private ProgressTask? _task;
    private int _epoch, _epochs;
    private readonly Stopwatch _clock = new();
    private int _stepsThisRun;

    /// <summary>Runs <paramref name="work"/> with the progress display live.</summary>
    public T Run<T>(Func<T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                _context = ctx;
                try { return work(); }
                finally { _context = null; }
            });

    /// <inheritdoc />
    public void EpochStarted(int epoch, int totalEpochs, int steps, int startStep)
    {
        (_epoch, _epochs) = (epoch, totalEpochs);
        _task = _context?.AddTask(Markup.Escape(PlainProgress.EpochLabel(epoch, totalEpochs)), maxValue: steps);
        if (_task is not null) _task.Value = startStep;
        _stepsThisRun = 0;
        _clock.Restart();
    }

    /// <inheritdoc />
    public void Step(StepStats s)
    {
        _stepsThisRun++;
        if (_task is null) return;
        _task.Increment(1);
        double rate = _stepsThisRun / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        _task.Description = Markup.Escape(
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{PlainProgress.EpochLabel(_epoch, _epochs)} D {s.LossD:F3} G {s.LossG:F3} D(x) {s.DReal:F2} D(G(z)) {s.DFake:F2} {rate:F1} steps/s"));
    }

    /// <inheritdoc />
    public void EpochEnded(int epoch, TimeSpan elapsed, bool completed) => _task?.StopTask();

    /// <inheritdoc />
    public void Log(string message)
    {
        // Inside a live display, plain writes would be overdrawn; MarkupLine goes through Spectre.
        AnsiConsole.MarkupLine(Markup.Escape(message));
    }
}
