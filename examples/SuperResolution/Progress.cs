using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace SuperResolution;

/// <summary>Plain progress lines, for CI logs and redirected output.</summary>
public sealed class PlainProgress(TextWriter output) : ITrainingProgress
{
    private int _steps;
    private readonly Stopwatch _clock = new();

    /// <inheritdoc />
    public void Started(int steps) { _steps = steps; _clock.Restart(); }

    /// <inheritdoc />
    public void Step(int step, double loss)
    {
        if (step % Math.Max(1, _steps / 20) == 0 || step == _steps)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step}/{_steps} loss {loss:E3} ({step / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9):F1} steps/s)"));
    }

    /// <inheritdoc />
    public void Log(string message) => output.WriteLine(message);
}

/// <summary>A Spectre.Console progress bar whose description carries the running loss.</summary>
public sealed class SpectreProgress : ITrainingProgress
{
    private ProgressContext? _context;
    private ProgressTask? _task;
    private readonly Stopwatch _clock = new();

    /// <summary>Runs <paramref name="work"/> with the live display.</summary>
    public T Run<T>(Func<T> work) =>
        AnsiConsole.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => { _context = ctx; try { return work(); } finally { _context = null; } });

    /// <inheritdoc />
    public void Started(int steps) { _task = _context?.AddTask("training", maxValue: steps); _clock.Restart(); }

    /// <inheritdoc />
    public void Step(int step, double loss)
    {
        if (_task is null) return;
        _task.Increment(1);
        _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"step {step} loss {loss:E3} {step / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9):F1} steps/s"));
    }

    /// <inheritdoc />
    public void Log(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));

    /// <summary>Whether a live display makes sense: a terminal, and not CI.</summary>
    public static bool Supported =>
        !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
