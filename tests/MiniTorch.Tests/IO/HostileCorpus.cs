using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MiniTorch.Tests.IO;

/// <summary>
/// The committed hostile-file corpus (Golden/Hostile, written by gen_hostile.py) and the resource
/// bound every refusal must keep: an <see cref="InvalidDataException"/> that names the file and the
/// field at fault, within 2 s of CPU time and 256 MiB of allocation.
/// </summary>
/// <remarks>
/// The bounds are resource bounds, not benchmarks: allocation is counted by the GC
/// (<see cref="GC.GetTotalAllocatedBytes"/>, exact, every thread; ImageSharp decodes into managed
/// arrays here) and time as the process's CPU time, which a loaded machine does not inflate. The
/// tests that use them run in a collection of their own, with nothing in parallel. A read is also
/// given 60 s of wall time before the test fails instead of hanging the run.
/// </remarks>
public static class HostileCorpus
{
    public const long MaxAllocatedBytes = 256L << 20;
    public static readonly TimeSpan MaxCpu = TimeSpan.FromSeconds(2);

    /// <summary>The corpus folder in the source tree (also used by the example tests, which do not copy it).</summary>
    public static string Dir([CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", "Golden", "Hostile"));

    public sealed record Entry(string Reader, string File, string Expect, string Why)
    {
        public string Path => System.IO.Path.Combine(Dir(), File);
        public override string ToString() => File;
    }

    public static IReadOnlyList<Entry> Entries { get; } = Load();

    private static List<Entry> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(Dir(), "manifest.json")));
        return [.. doc.RootElement.EnumerateArray().Select(e => new Entry(
            e.GetProperty("reader").GetString()!, e.GetProperty("file").GetString()!, e.GetProperty("expect").GetString()!, e.GetProperty("why").GetString()!))];
    }

    /// <summary>
    /// Runs <paramref name="read"/> on <paramref name="entry"/>'s file and checks the refusal: exactly
    /// <see cref="InvalidDataException"/>, naming the file and containing the expected field, within the bounds.
    /// </summary>
    public static void AssertRefused(Entry entry, Action<string> read)
    {
        var (error, allocated, cpu) = Measure(entry.File, () => read(entry.Path));
        Assert.True(error is not null, $"{entry.File}: the reader accepted a hostile file ({entry.Why})");
        Assert.True(error is InvalidDataException, $"{entry.File}: expected InvalidDataException, got {error}");
        Assert.True(error.Message.Contains(Path.GetFileName(entry.File)), $"{entry.File}: the message does not name the file: {error.Message}");
        Assert.True(error.Message.Contains(entry.Expect), $"{entry.File}: the message does not say \"{entry.Expect}\": {error.Message}");
        Assert.True(allocated < MaxAllocatedBytes, $"{entry.File}: allocated {allocated} bytes refusing it ({entry.Why})");
        Assert.True(cpu < MaxCpu, $"{entry.File}: took {cpu.TotalSeconds:F2} s of CPU time to refuse ({entry.Why})");
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a worker thread (failing the test if it has not returned after
    /// 60 s) and measures the bytes allocated by every thread and the process's CPU time meanwhile.
    /// </summary>
    public static (Exception? Error, long Allocated, TimeSpan Cpu) Measure(string what, Action read)
    {
        Exception? error = null;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        long bytes0 = GC.GetTotalAllocatedBytes(precise: true);
        var task = Task.Factory.StartNew(() =>
        {
            try { read(); }
            catch (Exception e) { error = e; }
        }, TaskCreationOptions.LongRunning);
        Assert.True(task.Wait(TimeSpan.FromSeconds(60)), $"{what}: the reader did not return within 60 s");
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes0;
        process.Refresh();
        return (error, allocated, process.TotalProcessorTime - cpu0);
    }
}

/// <summary>The rule for replayed fuzz inputs: a tensor or an InvalidDataException, within the hostile corpus's bounds.</summary>
public static class FuzzReplay
{
    public static void AssertWithinBounds(string file, Action read)
    {
        var (error, allocated, cpu) = HostileCorpus.Measure(file, read);
        Assert.True(error is null or InvalidDataException, $"{file}: the reader threw {error}");
        Assert.True(allocated < HostileCorpus.MaxAllocatedBytes, $"{file}: allocated {allocated} bytes");
        Assert.True(cpu < HostileCorpus.MaxCpu, $"{file}: took {cpu.TotalSeconds:F2} s of CPU time");
    }
}
