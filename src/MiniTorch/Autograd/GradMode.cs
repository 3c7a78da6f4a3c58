namespace MiniTorch.Autograd;

/// <summary>
/// Whether operations are being recorded for differentiation. The mode belongs to the logical flow
/// of control (the async context), not to an OS thread: it follows an <c>await</c>, whichever
/// thread the continuation resumes on, and it never leaks back to the caller.
/// </summary>
/// <remarks>
/// Each scope (<see cref="Torch.NoGrad"/>, <see cref="Torch.EnableGrad"/>, <see cref="Set"/>) pushes
/// one immutable node onto a stack held in an <see cref="AsyncLocal{T}"/>, so an
/// <c>await … .ConfigureAwait(false)</c> inside <c>using (Torch.NoGrad())</c> keeps grad off inside the
/// scope and leaves the calling thread as it was. Disposing a scope removes exactly its own node:
/// disposed out of order, the other scopes still hold; disposed twice, nothing happens. Reading the
/// mode is one static read while no scope is open anywhere, one <see cref="AsyncLocal{T}"/> read otherwise.
/// </remarks>
public static class GradMode
{
    /// <summary>One open scope (<paramref name="Owner"/>): the mode it sets, over the scopes opened before it.</summary>
    private sealed record Node(bool Enabled, Scope Owner, Node? Parent);

    private static readonly AsyncLocal<Node?> _top = new();
    private static int _open;

    /// <summary>True unless inside a <see cref="Torch.NoGrad"/> scope (in this async flow).</summary>
    public static bool IsEnabled => Volatile.Read(ref _open) == 0 || (_top.Value?.Enabled ?? true);

    /// <summary>Sets the mode and returns a scope whose disposal undoes exactly this change.</summary>
    public static IDisposable Set(bool enabled)
    {
        var scope = new Scope();
        Interlocked.Increment(ref _open);
        _top.Value = new Node(enabled, scope, _top.Value);
        return scope;
    }

    private sealed class Scope : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            _top.Value = Without(_top.Value, this);
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>
    /// The stack <paramref name="top"/> without the node of <paramref name="scope"/>: its parent when it
    /// is on top (the usual, nested case); otherwise the nodes above it are rebuilt, same owners, over
    /// its parent; unchanged when it is not on this flow's stack at all (disposed in another async flow).
    /// </summary>
    private static Node? Without(Node? top, Scope scope)
    {
        if (top is not null && ReferenceEquals(top.Owner, scope)) return top.Parent;
        var above = new List<Node>();
        for (var n = top; n is not null; n = n.Parent)
        {
            if (ReferenceEquals(n.Owner, scope))
            {
                var rebuilt = n.Parent;
                for (int i = above.Count - 1; i >= 0; i--) rebuilt = above[i] with { Parent = rebuilt };
                return rebuilt;
            }
            above.Add(n);
        }
        return top;
    }
}
