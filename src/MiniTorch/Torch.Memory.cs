using MiniTorch.Storage;

namespace MiniTorch;

public static partial class Torch
{
    /// <summary>
    /// Opens a memory scope: the tensors created until it is disposed give their memory back to the
    /// caching allocator at its end, so a training step written inside
    /// <c>using (Torch.MemoryScope()) { … }</c> reuses the previous step's arrays instead of producing
    /// garbage. See <see cref="Storage.MemoryScope"/> for what survives the scope (parameters, buffers,
    /// optimizer state, gradients held by <see cref="Tensor.Grad"/>, tensors marked with
    /// <see cref="Tensor.Keep"/>); a tensor that did not survive throws when read.
    /// </summary>
    /// <remarks>MiniTorch's counterpart of the scopes .NET tensor libraries use in place of reference counting; results are bitwise the same with or without it.</remarks>
    public static MemoryScope MemoryScope() => Storage.MemoryScope.Open();

    /// <summary>Lets every array held by the caching allocator go to the garbage collector, like <c>torch.cuda.empty_cache()</c>.</summary>
    public static void EmptyCache() => CachingAllocator.EmptyCache();

    /// <summary>The caching allocator's counters: bytes held, hits and misses, like <c>torch.cuda.memory_stats()</c>.</summary>
    public static MemoryStats MemoryStats() => CachingAllocator.Stats();

    /// <summary>
    /// The most bytes the caching allocator keeps for reuse (default: a quarter of the memory available to
    /// the process); arrays returned beyond it are left to the garbage collector. Lowering it trims the cache.
    /// </summary>
    public static long CacheLimitBytes
    {
        get => CachingAllocator.LimitBytes;
        set => CachingAllocator.LimitBytes = value;
    }
}
