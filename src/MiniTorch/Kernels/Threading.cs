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

    /// <summary>Calls <paramref name="body"/>(i) for i in [0, count); items must not depend on each other.</summary>
    public static void For(int count, Action<int> body)
    {
        int threads = Math.Min(_numThreads, count);
        if (_inside || threads <= 1 || !Monitor.TryEnter(Gate))
        {
            Serial(count, body);
            return;
        }
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
            _body = null;
            _error?.Throw();
        }
        finally { Monitor.Exit(Gate); }
    }

    private static void Serial(int count, Action<int> body)
    {
        bool was = _inside;
        _inside = true;
        try { for (int i = 0; i < count; i++) body(i); }
        finally { _inside = was; }
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
