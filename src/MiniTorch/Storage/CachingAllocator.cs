using System.Runtime.InteropServices;

namespace MiniTorch.Storage;

/// <summary>
/// The caching allocator: a size-bucketed cache of the arrays behind tensor storages, like PyTorch's
/// caching allocators. A storage made by the library rents its array here; when a
/// <see cref="MemoryScope"/> ends (or a backward pass finishes with its own temporaries) the arrays of
/// the storages it owned come back and are handed to the next storage of exactly that length and
/// element type, so a training step that repeats the same shapes allocates no new arrays.
/// </summary>
/// <remarks>
/// Buckets are exact lengths per element type, last in first out (the most recently used array is
/// the one most likely still in cache). The cache holds at most <see cref="LimitBytes"/>; an array
/// returned beyond that is left to the garbage collector. Arrays are only ever returned by
/// <see cref="TensorStorage"/> after it has let go of them (reading such a storage throws), so an array
/// in the cache is never reachable through a tensor. All state is guarded by <see cref="MemoryScope.Sync"/>.
/// </remarks>
internal static class CachingAllocator
{
    private static long _cachedBytes, _hits, _misses, _returned, _dropped;
    private static long _limitBytes = DefaultLimit();

    /// <summary>
    /// When set, an array handed out again for an uninitialised storage is first filled with all-ones
    /// bits (NaN for floats, −1 for int64), so a kernel that forgets to write an element shows up as a
    /// wrong result instead of silently reading the previous tensor's value. The test suite turns it
    /// on; <c>MINITORCH_ALLOCATOR_POISON=1</c> turns it on for any program.
    /// </summary>
    internal static bool Poison { get; set; } = Environment.GetEnvironmentVariable("MINITORCH_ALLOCATOR_POISON") == "1";

    /// <summary>A quarter of the memory the garbage collector may use (its view of the machine or container).</summary>
    private static long DefaultLimit() => Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>The most bytes the cache keeps (default: a quarter of the memory available to the process).</summary>
    public static long LimitBytes
    {
        get { lock (MemoryScope.Sync) return _limitBytes; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (MemoryScope.Sync)
            {
                _limitBytes = value;
                TrimLocked();
            }
        }
    }

    /// <summary>An array of exactly <paramref name="length"/> elements: a cached one if any, else a new one.</summary>
    /// <param name="length">The number of elements.</param>
    /// <param name="zeroed">Clear it (a cached array holds an old tensor's values).</param>
    public static T[] Rent<T>(int length, bool zeroed) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        T[]? array = null;
        if (length > 0 && Volatile.Read(ref _cachedBytes) > 0)
        {
            lock (MemoryScope.Sync)
            {
                if (Buckets<T>.Free.TryGetValue(length, out var stack) && stack.Count > 0)
                {
                    array = stack.Pop();
                    _cachedBytes -= Bytes(array);
                    _hits++;
                }
            }
        }
        if (array is null)
        {
            if (length > 0) Interlocked.Increment(ref _misses);
            // bool storages are always cleared (their kernels may write only the true elements).
            return zeroed || typeof(T) == typeof(bool) ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        }
        if (zeroed || typeof(T) == typeof(bool)) Clear(array);
        else if (Poison) MemoryMarshal.AsBytes(array.AsSpan()).Fill(0xFF);
        return array;
    }

    /// <summary>
    /// Clears a cached array, in chunks on all cores when it is large (a DCGAN step clears 2–4 MB convolution outputs
    /// a dozen times, ≈ 2 ms on one thread): zeros whichever thread writes them.
    /// </summary>
    private static void Clear<T>(T[] array) where T : unmanaged =>
        Kernels.Threading.ForChunks(array.Length, 0, ClearOpsPerElement, (at, n) => array.AsSpan(at, n).Clear());

    /// <summary>Work per element of a clear for <see cref="Kernels.Threading.ForChunks"/>: parallel from 512 K elements.</summary>
    private const long ClearOpsPerElement = 2;

    /// <summary>
    /// Releases a temporary storage at once (its array goes back to the cache): for a storage the
    /// library made and used internally, that no tensor handed out reaches.
    /// </summary>
    public static void Return(TensorStorage storage)
    {
        lock (MemoryScope.Sync) storage.ReleaseNowLocked();
    }

    /// <summary>Takes back an array no storage reaches any more (caller holds <see cref="MemoryScope.Sync"/>).</summary>
    internal static void ReturnLocked(Array array)
    {
        long bytes = Bytes(array);
        _returned++;
        if (array.Length == 0 || _cachedBytes + bytes > _limitBytes)
        {
            _dropped++;
            return;
        }
        switch (array)
        {
            case float[] f: Push(f); break;
            case double[] d: Push(d); break;
            case long[] l: Push(l); break;
            case bool[] b: Push(b); break;
            default: throw new ArgumentException($"not a storage array: {array.GetType().Name}", nameof(array));
        }
        _cachedBytes += bytes;
    }

    private static void Push<T>(T[] array) where T : unmanaged
    {
        var free = Buckets<T>.Free;
        if (!free.TryGetValue(array.Length, out var stack)) free[array.Length] = stack = new Stack<T[]>();
        stack.Push(array);
    }

    /// <summary>Lets every cached array go to the garbage collector, like <c>torch.cuda.empty_cache()</c>.</summary>
    public static void EmptyCache()
    {
        lock (MemoryScope.Sync)
        {
            Buckets<float>.Free.Clear();
            Buckets<double>.Free.Clear();
            Buckets<long>.Free.Clear();
            Buckets<bool>.Free.Clear();
            _cachedBytes = 0;
        }
    }

    /// <summary>Drops cached arrays (largest buckets first) until the cache fits the limit.</summary>
    private static void TrimLocked()
    {
        if (_cachedBytes <= _limitBytes) return;
        _cachedBytes -= Trim(Buckets<float>.Free, _cachedBytes - _limitBytes);
        if (_cachedBytes > _limitBytes) _cachedBytes -= Trim(Buckets<double>.Free, _cachedBytes - _limitBytes);
        if (_cachedBytes > _limitBytes) _cachedBytes -= Trim(Buckets<long>.Free, _cachedBytes - _limitBytes);
        if (_cachedBytes > _limitBytes) _cachedBytes -= Trim(Buckets<bool>.Free, _cachedBytes - _limitBytes);
    }

    private static long Trim<T>(Dictionary<int, Stack<T[]>> free, long excess) where T : unmanaged
    {
        long freed = 0;
        foreach (var length in free.Keys.OrderDescending().ToArray())
        {
            var stack = free[length];
            while (stack.Count > 0 && freed < excess) freed += Bytes(stack.Pop());
            if (stack.Count == 0) free.Remove(length);
            if (freed >= excess) break;
        }
        return freed;
    }

    /// <summary>The counters of <see cref="Torch.MemoryStats"/>.</summary>
    public static MemoryStats Stats()
    {
        lock (MemoryScope.Sync)
        {
            int arrays = Buckets<float>.Count + Buckets<double>.Count + Buckets<long>.Count + Buckets<bool>.Count;
            return new MemoryStats(_cachedBytes, arrays, _limitBytes, _hits, Interlocked.Read(ref _misses), _returned, _dropped);
        }
    }

    private static long Bytes(Array a) => (long)a.Length * (a switch { float[] => 4, double[] or long[] => 8, _ => 1 });

    /// <summary>The free arrays of one element type, by length.</summary>
    private static class Buckets<T> where T : unmanaged
    {
        public static readonly Dictionary<int, Stack<T[]>> Free = [];
        public static int Count => Free.Values.Sum(s => s.Count);
    }
}

/// <summary>
/// A snapshot of the caching allocator's counters (see <see cref="Torch.MemoryStats"/>).
/// </summary>
/// <param name="CachedBytes">Bytes of free arrays held for reuse.</param>
/// <param name="CachedArrays">How many free arrays are held.</param>
/// <param name="LimitBytes">The most the cache holds (<see cref="Torch.CacheLimitBytes"/>).</param>
/// <param name="Hits">Storages whose array came from the cache.</param>
/// <param name="Misses">Storages that needed a new array.</param>
/// <param name="Returned">Arrays given back when their scope ended.</param>
/// <param name="Dropped">Returned arrays left to the garbage collector because the cache was full.</param>
public readonly record struct MemoryStats(long CachedBytes, int CachedArrays, long LimitBytes, long Hits, long Misses, long Returned, long Dropped);
