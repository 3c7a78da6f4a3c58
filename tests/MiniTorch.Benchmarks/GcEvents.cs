using System.Diagnostics.Tracing;

namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-dcgan … gc`: listens to the runtime's GC events in process (an <see cref="EventListener"/> on
/// Microsoft-Windows-DotNETRuntime, GC keyword, verbose) while the steps run, and prints every collection's generation and
/// reason and the allocation ticks (one per ≈ 100 KB allocated) by type and heap (small, large, pinned): what
/// a step allocates and what sets off a gen-2 collection.
/// </summary>
internal sealed class GcEvents : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly object _gate = new();
    private readonly List<(int Depth, string Reason)> _collections = [];
    private readonly Dictionary<(string Type, string Heap), (int Ticks, long Bytes)> _ticks = [];
    private bool _on;

    /// <summary>Counts events from now on (events of the warm-up before this are dropped).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _collections.Clear();
            _ticks.Clear();
            _on = true;
        }
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || e.Payload is null || e.PayloadNames is null) return;
        object? Field(string name) => e.PayloadNames.IndexOf(name) is var i and >= 0 ? e.Payload[i] : null;
        lock (_gate)
        {
            if (!_on) return;
            if (e.EventName.StartsWith("GCStart", StringComparison.Ordinal))
                _collections.Add((Convert.ToInt32(Field("Depth")), Reason(Convert.ToInt32(Field("Reason")))));
            else if (e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal))
            {
                string type = Field("TypeName") as string ?? "?";
                string heap = Convert.ToInt32(Field("AllocationKind")) switch { 0 => "small", 1 => "large", _ => "pinned" };
                long bytes = Field("AllocationAmount64") is { } amount ? Convert.ToInt64(amount) : Convert.ToInt64(Field("AllocationAmount"));
                var key = (type, heap);
                _ticks[key] = _ticks.TryGetValue(key, out var t) ? (t.Ticks + 1, t.Bytes + bytes) : (1, bytes);
            }
        }
    }

    /// <summary>The runtime's gc_reason values (gcinterface.h).</summary>
    private static string Reason(int reason) => reason switch
    {
        0 => "small-object allocation", 1 => "induced", 2 => "low memory", 3 => "empty", 4 => "large-object allocation",
        5 => "out of space (small)", 6 => "out of space (large)", 7 => "induced, not forced", 8 => "stress",
        9 => "low memory (induced)", 10 => "induced, compacting", 11 => "low memory (host)", 12 => "pinned-object allocation",
        _ => $"reason {reason}",
    };

    /// <summary>Prints the collections (generation and reason) and the allocation ticks of the most common types.</summary>
    public void Report(int steps)
    {
        Thread.Sleep(1500); // runtime events reach the listener with a delay
        lock (_gate)
        {
            _on = false;
            Console.WriteLine($"  GC events over {steps} steps: " + (_collections.Count == 0 ? "no collection" :
                string.Join(", ", _collections.GroupBy(c => c).OrderBy(g => g.Key.Depth).Select(g => $"{g.Count()}× gen{g.Key.Depth} ({g.Key.Reason})"))));
            Console.WriteLine("  allocation ticks (one per ~100 KB allocated), by type and heap:");
            foreach (var ((type, heap), (ticks, bytes)) in _ticks.OrderByDescending(t => t.Value.Bytes).Take(12))
                Console.WriteLine($"    {ticks,5} ticks {bytes / 1e6 / steps,7:F3} MB/step  {heap,-6} {type}");
        }
    }
}
