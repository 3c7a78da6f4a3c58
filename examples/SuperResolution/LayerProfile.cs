using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SuperResolution;

/// <summary>
/// Per-step cost accounting for <see cref="Upscaler"/>: wall time, process CPU time, managed bytes
/// allocated and minor page faults (first touches of fresh memory) of every named step, summed
/// over all bands. Costs a few system calls per step, so it is only used when asked for
/// (<c>upscale --profile</c>, the benchmarks' <c>quick-sr</c>).
/// </summary>
public sealed class LayerProfile
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Process _process = Process.GetCurrentProcess();

    /// <summary>The totals of one step.</summary>
    /// <param name="Name">The step, e.g. <c>conv 5x5 1-&gt;56</c>.</param>
    /// <param name="Calls">How often it ran.</param>
    /// <param name="Wall">Wall-clock time.</param>
    /// <param name="Cpu">Process CPU time (all threads) while it ran.</param>
    /// <param name="AllocatedBytes">Managed bytes allocated.</param>
    /// <param name="PageFaults">Minor page faults (Linux; 0 elsewhere).</param>
    public sealed record Entry(string Name, int Calls, TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes, long PageFaults);

    /// <summary>The steps in first-run order.</summary>
    public IEnumerable<Entry> Entries => _order.Select(n => _entries[n]);

    /// <summary>Runs <paramref name="step"/> and adds its costs to the entry <paramref name="name"/>.</summary>
    public T Measure<T>(string name, Func<T> step)
    {
        _process.Refresh();
        var cpu0 = _process.TotalProcessorTime;
        long alloc0 = GC.GetTotalAllocatedBytes(false), faults0 = MinorFaults();
        long t0 = Stopwatch.GetTimestamp();
        var result = step();
        var wall = Stopwatch.GetElapsedTime(t0);
        long faults = MinorFaults() - faults0, alloc = GC.GetTotalAllocatedBytes(false) - alloc0;
        _process.Refresh();
        var cpu = _process.TotalProcessorTime - cpu0;
        if (!_entries.TryGetValue(name, out var e)) { _order.Add(name); e = new Entry(name, 0, TimeSpan.Zero, TimeSpan.Zero, 0, 0); }
        _entries[name] = e with { Calls = e.Calls + 1, Wall = e.Wall + wall, Cpu = e.Cpu + cpu, AllocatedBytes = e.AllocatedBytes + alloc, PageFaults = e.PageFaults + faults };
        return result;
    }

    /// <summary>The table: one line per step and a total.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(string.Create(inv, $"{"step",-28} {"calls",6} {"wall ms",9} {"CPU ms",9} {"alloc MB",9} {"faults",9}"));
        foreach (var e in Entries)
            sb.AppendLine(string.Create(inv, $"{e.Name,-28} {e.Calls,6} {e.Wall.TotalMilliseconds,9:F1} {e.Cpu.TotalMilliseconds,9:F1} {e.AllocatedBytes / 1e6,9:F1} {e.PageFaults,9}"));
        var all = Entries.ToList();
        sb.Append(string.Create(inv, $"{"total",-28} {all.Sum(e => e.Calls),6} {all.Sum(e => e.Wall.TotalMilliseconds),9:F1} {all.Sum(e => e.Cpu.TotalMilliseconds),9:F1} " +
                                     $"{all.Sum(e => e.AllocatedBytes) / 1e6,9:F1} {all.Sum(e => e.PageFaults),9}"));
        return sb.ToString();
    }

    /// <summary>The process's minor page faults so far (field 10 of /proc/self/stat), or 0 where that file does not exist.</summary>
    public static long MinorFaults()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // The command name (field 2) may contain spaces; the fields after its closing parenthesis are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture); // field 10 overall = index 7 after "pid (comm)"
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
