using Dcgan.Training;

namespace MiniTorch.Examples.Tests;

/// <summary>A progress sink that keeps the log lines, for tests that check what a command printed.</summary>
public sealed class RecordingProgress : IProgressSink
{
    public List<string> Lines { get; } = [];
    public void EpochStarted(int epoch, int totalEpochs, int steps, int startStep) { }
    public void Step(StepStats stats) { }
    public void EpochEnded(int epoch, TimeSpan elapsed, bool completed) { }
    public void Log(string message) => Lines.Add(message);
}
