namespace MiniTorch.Storage;

/// <summary>
/// A region of code whose tensors give their memory back to the caching allocator when it ends, so
/// that a loop (a training step) reuses the same arrays instead of producing garbage. Made by
/// <see cref="Torch.MemoryScope"/>; dispose it (a <c>using</c> block) at the end of the step.
/// </summary>
/// <remarks>
/// <para>
/// Every storage the library creates while the scope is open (in this async flow: the scope follows
/// <c>await</c>) belongs to it, and so does every view of it. When the scope ends, those storages let
/// go of their arrays, which go to the cache for the next storage of the same size; a tensor left over
/// from the scope then throws when read instead of showing another tensor's values. What survives:
/// </para>
/// <list type="bullet">
/// <item>tensors marked with <see cref="Tensor.Keep"/> (and every view of their storage);</item>
/// <item>parameters and buffers registered on a module, and optimizer state (kept automatically);</item>
/// <item>a gradient held in a leaf's <see cref="Tensor.Grad"/>: it moves to the enclosing scope (or to
/// none) while it is held, and once <c>ZeroGrad</c> or an assignment lets go of it inside a scope, it is
/// released with that scope;</item>
/// <item>everything created before the scope or outside any scope (the garbage collector's, as always).</item>
/// </list>
/// <para>
/// Scopes nest; an inner scope's pinned gradients move to the outer one. A backward pass opens an
/// internal scope of its own (unless it records a graph, <c>createGraph</c>): the temporaries of the
/// backward go back to the cache when it returns, with or without a scope of the user's.
/// </para>
/// </remarks>
public sealed class MemoryScope : IDisposable
{
    /// <summary>Guards the scopes' lists, the storages' ownership and the cache.</summary>
    internal static readonly object Sync = new();

    private static readonly AsyncLocal<MemoryScope?> _top = new();
    private static int _open;

    private readonly MemoryScope? _parent;
    private List<TensorStorage>? _owned = [];
    private volatile bool _disposed;

    private MemoryScope(bool isInternal)
    {
        IsInternal = isInternal;
        _parent = Current;
        Interlocked.Increment(ref _open);
        _top.Value = this;
    }

    /// <summary>Opens a scope of the user's (<see cref="Torch.MemoryScope"/>).</summary>
    internal static MemoryScope Open() => new(isInternal: false);

    /// <summary>Opens the scope of a backward pass.</summary>
    internal static MemoryScope OpenInternal() => new(isInternal: true);

    /// <summary>True for the scope a backward pass opens for its own temporaries.</summary>
    internal bool IsInternal { get; }

    /// <summary>The number of storages this scope will release or hand on (for tests).</summary>
    internal int OwnedCount
    {
        get { lock (Sync) return _owned?.Count ?? 0; }
    }

    /// <summary>The innermost open scope of this async flow, or null.</summary>
    internal static MemoryScope? Current
    {
        get
        {
            if (Volatile.Read(ref _open) == 0) return null;
            var s = _top.Value;
            while (s is { _disposed: true }) s = s._parent;
            return s;
        }
    }

    /// <summary>The innermost open scope of the user's (not a backward pass's); caller holds the lock.</summary>
    internal static MemoryScope? CurrentUserLocked()
    {
        var s = Current;
        while (s is not null && (s._disposed || s.IsInternal)) s = s._parent;
        return s;
    }

    /// <summary>This scope if still open, else the nearest open one around it; caller holds the lock.</summary>
    internal MemoryScope? LiveLocked()
    {
        var s = this;
        while (s is { _disposed: true }) s = s._parent;
        return s;
    }

    /// <summary>The nearest open scope around this one; caller holds the lock.</summary>
    internal MemoryScope? ParentLocked() => _parent?.LiveLocked();

    /// <summary>Makes this (open) scope the owner of <paramref name="storage"/>; caller holds the lock.</summary>
    internal void OwnLocked(TensorStorage storage)
    {
        _owned!.Add(storage);
        storage.SetScopeLocked(this);
    }

    /// <summary>
    /// Ends the scope: releases the arrays of the storages it still owns to the caching allocator
    /// (pinned gradients move to the enclosing scope). Disposing twice does nothing; scopes disposed
    /// out of order still release exactly their own storages.
    /// </summary>
    public void Dispose()
    {
        MemoryScope? heir;
        lock (Sync)
        {
            if (_disposed) return;
            _disposed = true;
            heir = ParentLocked();
            foreach (var s in _owned!) s.EndOfScopeLocked(this, heir);
            _owned = null;
        }
        if (ReferenceEquals(_top.Value, this)) _top.Value = heir;
        Interlocked.Decrement(ref _open);
    }
}
