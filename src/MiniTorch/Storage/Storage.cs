namespace MiniTorch.Storage;

/// <summary>
/// A flat, typed block of memory. A <see cref="Tensor"/> is a view of a storage (shape, strides,
/// offset); several tensors may share one storage. Storage knows nothing about autograd beyond
/// counting the writes made into it (<see cref="Version"/>).
/// </summary>
public abstract class TensorStorage
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
        DType.Float32 => new TensorStorage<float>(GC.AllocateUninitializedArray<float>(length)),
        DType.Float64 => new TensorStorage<double>(GC.AllocateUninitializedArray<double>(length)),
        DType.Int64 => new TensorStorage<long>(GC.AllocateUninitializedArray<long>(length)),
        DType.Bool => new TensorStorage<bool>(new bool[length]),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Allocates a zero-filled storage of the given type and length.</summary>
    public static TensorStorage Allocate(DType dtype, int length)
    {
        Argument.Defined(dtype);
        return dtype switch
        {
            DType.Float32 => new TensorStorage<float>(new float[length]),
            DType.Float64 => new TensorStorage<double>(new double[length]),
            DType.Int64 => new TensorStorage<long>(new long[length]),
            DType.Bool => new TensorStorage<bool>(new bool[length]),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }
}

/// <summary>A storage of elements of type <typeparamref name="T"/> (float, double, long or bool).</summary>
public sealed class TensorStorage<T> : TensorStorage where T : unmanaged
{
    /// <summary>Wraps an array without copying it.</summary>
    public TensorStorage(T[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(long) && typeof(T) != typeof(bool))
            throw new ArgumentException($"a tensor storage holds float, double, long or bool elements, not {typeof(T).Name}");
        Data = data;
    }

    /// <summary>The elements.</summary>
    public T[] Data { get; }

    /// <inheritdoc />
    public override DType DType =>
        typeof(T) == typeof(float) ? DType.Float32 : typeof(T) == typeof(double) ? DType.Float64 : typeof(T) == typeof(long) ? DType.Int64 : DType.Bool;

    /// <inheritdoc />
    public override int Length => Data.Length;
}
