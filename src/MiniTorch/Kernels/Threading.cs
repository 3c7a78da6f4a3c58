namespace MiniTorch.Kernels;

/// <summary>
/// Runs independent work items on up to <see cref="NumThreads"/> threads. Calls made from inside a
/// work item run serially on the calling thread, so kernels that nest never oversubscribe the cores.
/// </summary>
internal static class Threading
{
    private static int _numThreads = DefaultThreads();
    [ThreadStatic] private static bool _inside;

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

    /// <summary>Calls <paramref name="body"/>(i) for i in [0, count); items must not depend on each other.</summary>
    public static void For(int count, Action<int> body)
    {
        int threads = Math.Min(_numThreads, count);
        if (_inside || threads <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        int next = -1;
        void Worker()
        {
            bool was = _inside;
            _inside = true;
            try { for (int i; (i = Interlocked.Increment(ref next)) < count;) body(i); }
            finally { _inside = was; }
        }
        var tasks = new Task[threads - 1];
        for (int t = 0; t < tasks.Length; t++) tasks[t] = Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Worker();
        Task.WaitAll(tasks);
    }
}
