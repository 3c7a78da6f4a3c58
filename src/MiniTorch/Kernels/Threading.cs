using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MiniTorch.Kernels;

/// <summary>
/// Runs independent work items on up to <see cref="NumThreads"/> threads. Calls made from inside a
/// work item run serially on the calling thread, so kernels that nest never oversubscribe the cores.
/// </summary>
/// <remarks>
/// The workers are persistent threads, woken per parallel region: a GEMM issues a couple of regions
/// per k-block, and starting tasks or threads each time would cost more than a small block computes.
/// Items are handed out one by one from a shared ticket, so uneven items still balance.
/// The caller takes items from the start and waits only for items that are running, never for a
/// worker to wake: a worker that wakes after the caller has taken every item finds none and sleeps
/// again, off the caller's path (on a busy machine a wake-up can take longer than a small region).
/// The ticket holds the region's number beside the next item, so a late worker can never take an
/// item of a region that has ended or run one region's body with another's index.
/// Only one parallel region runs at a time; a second caller that finds the pool busy runs its items
/// serially rather than queueing more threads than there are cores.
/// </remarks>
internal static class Threading
{
    private static int _numThreads = DefaultThreads();
    [ThreadStatic] private static bool _inside;

    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static readonly ManualResetEventSlim Done = new(false, 2000);
    // The current region: its number (high 32 bits) and next item (low 32 bits), or Closed while
    // _body and _count are being replaced; items are taken by compare-and-swap of the whole ticket.
    private static long _ticket = Closed;
    private const long Closed = int.MaxValue;
    private static uint _region;
    private static Action<int>? _body;
    private static int _count, _finished, _threads;
    private static ExceptionDispatchInfo? _error;
    private static long _regions, _callerWaits, _callerWaitTicks;

    /// <summary>
    /// Parallel regions run so far, how many of them the caller had to wait in for a worker's items after
    /// taking its last one, and the time it waited (Stopwatch ticks): read by the benchmarks' quick tools.
    /// </summary>
    internal static (long Regions, long CallerWaits, long CallerWaitTicks) Counters =>
        (Volatile.Read(ref _regions), Volatile.Read(ref _callerWaits), Volatile.Read(ref _callerWaitTicks));

    /// <summary>One top-level region in <see cref="Trace"/>: its body, item count, whether it ran in parallel, and
    /// Stopwatch timestamps of its start, of the caller's last own item and of its end.</summary>
    internal record struct TraceEntry(System.Reflection.MethodInfo Body, int Count, bool Parallel, long Start, long CallerDone, long End);

    private static TraceEntry[]? _trace;
    private static int _traced;

    /// <summary>
    /// Starts recording every top-level region (parallel or serial) into a buffer of <paramref name="capacity"/>
    /// entries, for the benchmarks' per-region timeline of a step; <see cref="StopTrace"/> returns them.
    /// </summary>
    internal static void StartTrace(int capacity)
    {
        _traced = 0;
        _trace = new TraceEntry[capacity];
    }

    /// <summary>Stops recording and returns the regions recorded since <see cref="StartTrace"/>.</summary>
    internal static TraceEntry[] StopTrace()
    {
        var trace = _trace ?? [];
        _trace = null;
        return trace[..Math.Min(_traced, trace.Length)];
    }

    private static void Record(Action<int> body, int count, bool parallel, long start, long callerDone)
    {
        var trace = _trace;
        if (trace is not null && _traced < trace.Length)
            trace[_traced++] = new TraceEntry(body.Method, count, parallel, start, callerDone, Stopwatch.GetTimestamp());
    }

    public static int NumThreads
    {
        get => _numThreads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"Number of threads must be positive, got {value}");
            _numThreads = value;
        }
    }

    private static int DefaultThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("MINITORCH_NUM_THREADS"), out int n) && n > 0 ? n : Environment.ProcessorCount;

    /// <summary>Work (in flops or element operations) below which a region runs serially: waking threads would cost more.</summary>
    public const long SerialBelow = 1L << 20;

    /// <summary>
    /// <see cref="For(int, Action{int})"/> on all cores, or serially when the whole job (<paramref name="work"/>,
    /// in flops or element operations) is below <see cref="SerialBelow"/>; the items are independent, so
    /// the result is the same either way.
    /// </summary>
    public static void For(int count, long work, Action<int> body)
    {
        if (work < SerialBelow) Serial(count, body);
        else For(count, body);
    }

    /// <summary>
    /// Elements per item of <see cref="ForChunks"/>: a multiple of every vector's lane count (and of 64 bytes), and big
    /// enough (64 KB of float) that a chunk costs far more than taking it.
    /// </summary>
    public const int ElementChunk = 16384;

    /// <summary>
    /// Whether <see cref="ForChunks"/> can split a span of <paramref name="length"/> elements at all: callers test it
    /// first to run small spans directly, without pinning them for a closure.
    /// </summary>
    public static bool MayChunk(int length, long opsPerElement) => length >= 2 * ElementChunk && opsPerElement * length >= SerialBelow;

    /// <summary>
    /// <paramref name="body"/>(start, length) over [0, <paramref name="length"/>) in chunks for element-wise kernels, on
    /// all cores when the work (<paramref name="opsPerElement"/> per element) is not below <see cref="SerialBelow"/>.
    /// Inner boundaries sit at <paramref name="lead"/> + k·<see cref="ElementChunk"/>, where <paramref name="lead"/> is the
    /// number of elements before the destination's first 64-byte boundary; the first chunk takes the lead, the last the
    /// remainder, and every chunk of a split span holds at least <see cref="ElementChunk"/> elements.
    /// </summary>
    /// <remarks>
    /// Why these boundaries: <see cref="System.Numerics.Tensors.TensorPrimitives"/> computes a long span in vectors aligned to
    /// its destination (plus an unaligned first and last vector), and some of its operators are not lane-pure: TanH in
    /// double, for one, gives other bits to every lane of a vector that holds a NaN or a huge value. A chunk that starts on a
    /// 64-byte boundary of the destination is cut into the very vectors the whole-span call uses, so each element is computed
    /// in the same vector with the same neighbours, and the result is bitwise the whole-span call's for any thread count.
    /// Kernels with a plain vector loop from the span's start and a scalar tail must be lane-pure (as the activations are).
    /// </remarks>
    public static void ForChunks(int length, int lead, long opsPerElement, Action<int, int> body)
    {
        int chunks = lead < length ? (length - lead) / ElementChunk : 0;
        if (chunks <= 1 || !MayChunk(length, opsPerElement))
        {
            body(0, length);
            return;
        }
        For(chunks, i =>
        {
            int start = i == 0 ? 0 : lead + i * ElementChunk, end = i == chunks - 1 ? length : lead + (i + 1) * ElementChunk;
            body(start, end - start);
        });
    }

    /// <summary>The elements before the first 64-byte boundary at or after <paramref name="destination"/> (elements of <paramref name="size"/> bytes).</summary>
    public static int LeadTo64(nint destination, int size) => (int)((64 - (destination & 63)) & 63) / size;

    /// <summary>Calls <paramref name="body"/>(i) for i in [0, count); items must not depend on each other.</summary>
    public static void For(int count, Action<int> body)
    {
        int threads = Math.Min(_numThreads, count);
        if (_inside || threads <= 1 || !Monitor.TryEnter(Gate))
        {
            Serial(count, body);
            return;
        }
        long start = _trace is null ? 0 : Stopwatch.GetTimestamp(), callerDone = 0;
        try
        {
            EnsureWorkers(threads - 1);
            // The previous region's ticket is exhausted, but a late worker may still hold a copy:
            // close it before its body and count change, then open the new region under a new number.
            // A full fence (not only a release): the new body and count must not become visible before Closed.
            Interlocked.Exchange(ref _ticket, Closed);
            _body = body;
            _count = count;
            _finished = 0;
            _error = null;
            _threads = threads;
            _region++;
            Volatile.Write(ref _ticket, (long)_region << 32);
            for (int t = 0; t < threads - 1; t++) _workers[t].Wake.Set();
            _inside = true;
            try { RunItems(0); }
            finally { _inside = false; }
            if (_trace is not null) callerDone = Stopwatch.GetTimestamp();
            // Wait for the items the workers are running (none if they have not woken yet).
            _regions++;
            if (Volatile.Read(ref _finished) < count)
            {
                long wait0 = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref _finished) < count)
                {
                    Done.Reset();
                    if (Volatile.Read(ref _finished) < count) Done.Wait();
                }
                _callerWaits++;
                _callerWaitTicks += Stopwatch.GetTimestamp() - wait0;
            }
            if (_trace is not null) Record(body, count, true, start, callerDone);
            _body = null;
            _error?.Throw();
        }
        finally { Monitor.Exit(Gate); }
    }

    private static void Serial(int count, Action<int> body)
    {
        bool was = _inside;
        long start = _trace is null || was ? 0 : Stopwatch.GetTimestamp();
        _inside = true;
        try { for (int i = 0; i < count; i++) body(i); }
        finally { _inside = was; }
        if (start != 0) Record(body, count, false, start, 0);
    }

    /// <summary>
    /// Takes and runs items of the open region until none is left; returns at once if none is open, or if
    /// the region is for fewer threads than <paramref name="rank"/> (0 the caller, 1… the workers): a
    /// worker woken for an earlier region with more threads does not join a later one.
    /// </summary>
    private static void RunItems(int rank)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            if (ticket == Closed || rank >= _threads) return;
            // Read after the ticket: the body and count of the ticket's region, or of a later one, in
            // which case the ticket has changed and the swap below fails.
            var body = _body;
            int count = _count;
            int item = (int)ticket;
            if (item >= count || body is null) return;
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket) continue;
            // The region cannot end before this item is counted, so _error, _finished and the
            // region's count belong to this item's region.
            if (Volatile.Read(ref _error) is null)
            {
                try { body(item); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null); }
            }
            if (Interlocked.Increment(ref _finished) == count) Done.Set();
        }
    }

    private static void EnsureWorkers(int n)
    {
        if (_workers.Length >= n) return;
        var grown = new Worker[n];
        Array.Copy(_workers, grown, _workers.Length);
        for (int t = _workers.Length; t < n; t++) grown[t] = new Worker(t);
        _workers = grown;
    }

    private sealed class Worker
    {
        // Spins briefly before sleeping: regions of one GEMM follow each other within microseconds.
        public readonly ManualResetEventSlim Wake = new(false, 2000);

        private readonly int _rank;

        public Worker(int index)
        {
            _rank = index + 1;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"MiniTorch worker {index + 1}" };
            thread.Start();
        }

        private void Loop()
        {
            _inside = true;
            while (true)
            {
                Wake.Wait();
                Wake.Reset();
                RunItems(_rank);
            }
        }
    }
}
