using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.Memory;

namespace MiniTorch.IO;

/// <summary>
/// ImageSharp's memory for one decode: managed arrays (so the GC sees and counts them) up to a total
/// budget fixed from the file's header before decoding starts. A file whose decoder asks for more
/// than its header justified raises <see cref="InvalidDataException"/> at the allocation, before the
/// memory is taken.
/// </summary>
internal sealed class BudgetAllocator(long budget, string what) : MemoryAllocator
{
    private readonly MemoryAllocator _arrays = new SimpleGcMemoryAllocator();
    private long _allocated;

    /// <summary>The bytes handed out so far.</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    protected override int GetBufferCapacityInBytes() => int.MaxValue;

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        long bytes = (long)Math.Max(0, length) * Unsafe.SizeOf<T>();
        long total = Interlocked.Add(ref _allocated, bytes);
        if (total > budget)
            throw new InvalidDataException($"{what} would need more than {budget} bytes of decoder memory (asked for {bytes} more after {total - bytes}); the budget follows from the image size in its header and ReadLimits");
        return _arrays.Allocate<T>(length, options);
    }
}
