namespace MiniTorch.Storage;

/// <summary>Who releases a storage's array to the caching allocator, and when (see <see cref="MemoryScope"/>).</summary>
public abstract partial class TensorStorage
{
    // All of these are read and written under MemoryScope.Sync.
    private MemoryScope? _scope;  // the scope whose end releases the array; null: none (the GC's)
    private bool _pooled;         // the array came from the caching allocator and may go back to it
    private bool _kept;           // Keep(): the GC's for good
    private int _pins;            // holders that outlive scopes (a leaf's .Grad)

    internal const string ReleasedMessage =
        "this tensor's memory went back to the caching allocator when the MemoryScope that owned it ended; " +
        "call Keep() on a tensor (or on a view of it) that must outlive its scope, or Clone() it before the scope ends";

    /// <summary>True once the array went back to the caching allocator (reading the storage throws).</summary>
    internal abstract bool IsReleased { get; }

    /// <summary>Lets go of the array and returns it (null if already released).</summary>
    internal abstract Array? TakeArray();

    /// <summary>The scope that will release this storage, or null (for tests).</summary>
    internal MemoryScope? OwningScope
    {
        get { lock (MemoryScope.Sync) return _scope; }
    }

    /// <summary>Marks a fresh storage as the caching allocator's and gives it to the current scope, if any.</summary>
    private protected void Adopt()
    {
        _pooled = true;
        if (MemoryScope.Current is not { } scope) return;
        lock (MemoryScope.Sync) scope.LiveLocked()?.OwnLocked(this);
    }

    /// <summary>Takes the storage out of every scope for good: the garbage collector frees it, as any .NET object.</summary>
    internal void Keep()
    {
        lock (MemoryScope.Sync)
        {
            if (IsReleased) throw new InvalidOperationException(ReleasedMessage);
            _kept = true;
            _scope = null;
        }
    }

    /// <summary>One more holder that outlives scopes (a leaf's gradient); a pinned storage moves to the enclosing scope.</summary>
    internal void Pin()
    {
        lock (MemoryScope.Sync) _pins++;
    }

    /// <summary>
    /// One holder fewer. A storage that outlived its scope while pinned and is now let go of inside a
    /// user's scope (a gradient cleared by <c>ZeroGrad</c> in a training step) is released with that scope.
    /// </summary>
    internal void Unpin()
    {
        lock (MemoryScope.Sync)
        {
            if (--_pins > 0 || _scope is not null || !_pooled || _kept || IsReleased) return;
            MemoryScope.CurrentUserLocked()?.OwnLocked(this);
        }
    }

    /// <summary>
    /// Moves the storage from <paramref name="scope"/> to the scope around it (or to none): for results
    /// that leave a backward pass (the gradients <c>Torch.Grad</c> returns).
    /// </summary>
    internal void Escape(MemoryScope scope)
    {
        lock (MemoryScope.Sync)
        {
            if (!ReferenceEquals(_scope, scope)) return;
            _scope = null;
            scope.ParentLocked()?.OwnLocked(this);
        }
    }

    /// <summary>Sets the owner (caller holds the lock and has added the storage to the scope's list).</summary>
    internal void SetScopeLocked(MemoryScope? scope) => _scope = scope;

    /// <summary>Releases a temporary of the library's now (see <see cref="CachingAllocator.Return(TensorStorage)"/>).</summary>
    internal void ReleaseNowLocked()
    {
        if (!_pooled || _kept || _pins > 0) return;
        _scope = null; // its scope's list may still name it: EndOfScopeLocked skips it
        if (TakeArray() is { } array) CachingAllocator.ReturnLocked(array);
    }

    /// <summary>
    /// At the end of <paramref name="scope"/>: a storage still owned by it is released to the cache,
    /// unless pinned, in which case it moves to <paramref name="heir"/> (the enclosing scope, or none).
    /// </summary>
    internal void EndOfScopeLocked(MemoryScope scope, MemoryScope? heir)
    {
        if (!ReferenceEquals(_scope, scope)) return; // kept, escaped or moved since
        _scope = null;
        if (_pins > 0)
        {
            heir?.OwnLocked(this);
            return;
        }
        if (TakeArray() is { } array) CachingAllocator.ReturnLocked(array);
    }
}
