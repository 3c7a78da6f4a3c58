using MiniTorch.Autograd;

namespace MiniTorch.Tests.Autograd;

/// <summary>
/// Grad-mode scopes belong to the async flow: an await inside <c>using (Torch.NoGrad())</c> keeps grad
/// off in the scope, whichever thread resumes it, and never leaves another thread with grad off.
/// </summary>
public class GradModeAsyncTests
{
    private static Tensor Leaf() => Torch.FromArray(new double[] { 1, 2 }, 2).RequiresGrad_();

    // Opens NoGrad, awaits with ConfigureAwait(false) (so the rest runs on a pool thread), records
    // what it sees after the await, inside and after the scope.
    private static async Task<(bool InsideAfterAwait, bool RecordedInside, int ThreadBefore, int ThreadAfter, bool AfterScope)> NoGradAcrossAwait(Tensor x, Task gate)
    {
        int before = Environment.CurrentManagedThreadId;
        bool inside, recorded;
        int after;
        using (Torch.NoGrad())
        {
            await gate.ConfigureAwait(false);
            after = Environment.CurrentManagedThreadId;
            inside = GradMode.IsEnabled;
            recorded = (x * 2).RequiresGrad;
        }
        return (inside, recorded, before, after, GradMode.IsEnabled);
    }

    [Fact]
    public void NoGradScope_AwaitConfigureAwaitFalse_CallingThreadKeepsGradOn()
    {
        // The caller runs on a thread of its own, so the check cannot be satisfied by a thread switch.
        bool callerAfterCall = false, callerAfterCompletion = false;
        (bool InsideAfterAwait, bool RecordedInside, int ThreadBefore, int ThreadAfter, bool AfterScope) seen = default;
        var caller = new Thread(() =>
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = NoGradAcrossAwait(Leaf(), gate.Task);   // returns at the await, scope still open
            callerAfterCall = GradMode.IsEnabled;
            gate.SetResult();
            seen = task.GetAwaiter().GetResult();
            callerAfterCompletion = GradMode.IsEnabled;
        });
        caller.Start();
        caller.Join();

        Assert.True(callerAfterCall, "the calling thread was left with grad off while the scope was suspended");
        Assert.True(callerAfterCompletion, "the calling thread was left with grad off after the scope ended");
        Assert.NotEqual(seen.ThreadBefore, seen.ThreadAfter);   // the continuation really moved
        Assert.False(seen.InsideAfterAwait, "grad came back on inside the scope after the await");
        Assert.False(seen.RecordedInside);
        Assert.True(seen.AfterScope);
    }

    [Fact]
    public Task NoGradScope_ManyAwaits_OffInsideOnAfter() => ManyAwaits(Leaf());

    // The analyser keeps ConfigureAwait(false) out of test methods; the awaits under test live here.
    private static async Task ManyAwaits(Tensor x)
    {
        for (int round = 0; round < 20; round++)
        {
            using (Torch.NoGrad())
            {
                await Task.Yield();
                Assert.False(GradMode.IsEnabled);
                await Task.Delay(1).ConfigureAwait(false);
                Assert.False(GradMode.IsEnabled);
                Assert.False((x * 3).RequiresGrad);
            }
            Assert.True(GradMode.IsEnabled);
            Assert.True((x * 3).RequiresGrad);
        }
    }

    [Fact]
    public Task EnableGradInsideNoGrad_AcrossAwait_RestoresEachLevel() => NestedAcrossAwait();

    private static async Task NestedAcrossAwait()
    {
        using (Torch.NoGrad())
        {
            using (Torch.EnableGrad())
            {
                await Task.Delay(1).ConfigureAwait(false);
                Assert.True(GradMode.IsEnabled);
            }
            Assert.False(GradMode.IsEnabled);
            await Task.Delay(1).ConfigureAwait(false);
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public async Task TasksStartedInsideTheScope_InheritIt_AndOtherThreadsDoNot()
    {
        bool inTask, onOtherThread = false;
        using (Torch.NoGrad())
        {
            inTask = await Task.Run(() => GradMode.IsEnabled);
            // A thread started with flow suppressed sees the default, as a thread of its own would.
            using (ExecutionContext.SuppressFlow())
            {
                var t = new Thread(() => onOtherThread = GradMode.IsEnabled);
                t.Start();
                t.Join();
            }
        }
        Assert.False(inTask);
        Assert.True(onOtherThread);
    }

    [Fact]
    public void ScopesDisposedOutOfOrder_EachUndoesOnlyItsOwnChange()
    {
        var outer = Torch.NoGrad();
        var inner = Torch.EnableGrad();
        outer.Dispose();                       // inner still holds: enabled
        Assert.True(GradMode.IsEnabled);
        inner.Dispose();                       // back to the default, not to what inner saw
        Assert.True(GradMode.IsEnabled);

        var a = Torch.NoGrad();
        var b = Torch.NoGrad();
        a.Dispose();
        Assert.False(GradMode.IsEnabled);      // b still holds
        b.Dispose();
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void DisposingTwice_ChangesNothingTheSecondTime()
    {
        var a = Torch.NoGrad();
        a.Dispose();
        using (Torch.NoGrad())
        {
            a.Dispose();
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public async Task ConcurrentFlows_DoNotSeeEachOthersScopes()
    {
        using var bothInside = new Barrier(2);
        async Task<bool> Flow(bool noGrad)
        {
            await Task.Yield();
            using (noGrad ? Torch.NoGrad() : Torch.EnableGrad())
            {
                bothInside.SignalAndWait();
                await Task.Delay(5).ConfigureAwait(false);
                return GradMode.IsEnabled;
            }
        }
        var results = await Task.WhenAll(Task.Run(() => Flow(true)), Task.Run(() => Flow(false)));
        Assert.Equal(new[] { false, true }, results);
        Assert.True(GradMode.IsEnabled);
    }
}
