namespace MiniTorch.Storage;

/// <summary>
/// A flat, typed block of memory. A <see cref="Tensor"/> is a view of a storage (shape, strides,
/// offset); several tensors may share one storage. Storage knows nothing about autograd beyond
/// counting the writes made into it (<see cref="Version"/>).
/// </summary>
/// <remarks>
/// Storages made by the library take their arrays from the caching allocator (<c>CachingAllocator</c>); inside a
/// <see cref="MemoryScope"/> their arrays go back to it when the scope ends (see
/// <c>TensorStorage.Memory.cs</c> and docs/memory.md).
/// </remarks>
public abstract partial class TensorStorage
{
    private int _version;

    /// <summary>
    /// How many in-place writes this storage has received, like PyTorch's <c>tensor._version</c>:
    /// every tensor viewing the storage shares it. Autograd compares it with the version a saved
    /// tensor had when it was saved, to refuse a backward through overwritten values.
    /// </summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Records one in-place write (called by every path that writes into an existing tensor).</summary>
    internal void BumpVersion() => Interlocked.Increment(ref _version);

    /// <summary>The element type.</summary>
    public abstract DType DType { get; }

    /// <summary>The number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>
    /// A storage whose elements are not cleared first, for kernel outputs that write every element
    /// (skips one pass over memory per op; large arrays would otherwise be zeroed just to be overwritten).
    /// </summary>
    internal static TensorStorage AllocateUninitialized(DType dtype, int length) => dtype switch
    {
        DType.Float32 => TensorStorage<float>.Pooled(length, zeroed: false),
        DType.Float64 => TensorStorage<double>.Pooled(length, zeroed: false),
        DType.Int64 => TensorStorage<long>.Pooled(length, zeroed: false),
        DType.Bool => TensorStorage<bool>.Pooled(length, zeroed: true),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Allocates a zero-filled storage of the given type and length (its array comes from the caching allocator).</summary>
    public static TensorStorage Allocate(DType dtype, int length)
    {
        Argument.Defined(dtype);
        return dtype switch
        {
            DType.Float32 => TensorStorage<float>.Pooled(length, zeroed: true),
            DType.Float64 => TensorStorage<double>.Pooled(length, zeroed: true),
            DType.Int64 => TensorStorage<long>.Pooled(length, zeroed: true),
            DType.Bool => TensorStorage<bool>.Pooled(length, zeroed: true),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }
}

/// <summary>A storage of elements of type <typeparamref name="T"/> (float, double, long or bool).</summary>
public sealed class TensorStorage<T> : TensorStorage where T : unmanaged
{
    private T[]? _data;
    private readonly int _length;

    /// <summary>Wraps an array without copying it (the array stays the caller's: it never goes to the caching allocator).</summary>
    public TensorStorage(T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(long) && typeof(T) != typeof(bool))
            throw new ArgumentException($"a tensor storage holds float, double, long or bool elements, not {typeof(T).Name}");
        _data = data;
        _length = data.Length;
    }

    /// <summary>A storage over an array of the caching allocator, owned by the current memory scope if there is one.</summary>
    internal static TensorStorage<T> Pooled(int length, bool zeroed) => Pooled(CachingAllocator.Rent<T>(length, zeroed));

    /// <summary>A storage taking over <paramref name="array"/>, rented from the caching allocator (exact length).</summary>
    internal static TensorStorage<T> Pooled(T[] array)
    {
        var storage = new TensorStorage<T>(array);
        storage.Adopt();
        return storage;
    }

    /// <summary>
    /// The elements. Reading them after the storage's <see cref="MemoryScope"/> has ended (the array
    /// went back to the caching allocator) throws instead of showing another tensor's values.
    /// </summary>
    public T[] Data => _data ?? throw new InvalidOperationException(ReleasedMessage);

    /// <inheritdoc />
    internal override bool IsReleased => _data is null;

    /// <inheritdoc />
    internal override Array? TakeArray()
    {
        var a = _data;
        _data = null;
        return a;
    }

    /// <inheritdoc />
    public override DType DType =>
        typeof(T) == typeof(float) ? DType.Float32 : typeof(T) == typeof(double) ? DType.Float64 : typeof(T) == typeof(long) ? DType.Int64 : DType.Bool;

    /// <inheritdoc />
    public override int Length => _length;
}
