namespace MiniTorch.Autograd;

/// <summary>Whether operations are being recorded for differentiation on this thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static bool _disabled;

    /// <summary>True unless inside a <see cref="Torch.NoGrad"/> scope.</summary>
    public static bool IsEnabled => !_disabled;

    /// <summary>Sets the mode and returns a scope that restores the previous one.</summary>
    public static IDisposable Set(bool enabled)
    {
        var scope = new Scope(!_disabled);
        _disabled = !enabled;
        return scope;
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        private bool _done;
        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _disabled = !previous;
        }
    }
}
