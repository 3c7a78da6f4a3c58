using MiniTorch.Nn;
using MiniTorch.Optim;
using MiniTorch.Storage;
using MiniTorch.Tests.Training;

namespace MiniTorch.Tests.Storage;

/// <summary>
/// The caching allocator and memory scopes: memory comes back deterministically, is handed out
/// again, and never while a tensor that survives the scope (kept, a view of a kept one, a gradient, a
/// parameter, optimizer state) still uses it; a tensor that did not survive throws when read.
/// Sizes are odd numbers no other test uses, so tests running in parallel do not take each other's arrays.
/// </summary>
public class MemoryScopeTests
{
    private static float[] ArrayOf(Tensor t) => ((TensorStorage<float>)t.Storage).Data;

    [Fact]
    public void Scope_End_GivesTheArrayToTheNextStorageOfThatSize()
    {
        const int n = 10007;
        float[] first;
        using (Torch.MemoryScope())
        {
            var t = Torch.Full([n], 3.0);
            first = ArrayOf(t);
            Assert.False(t.Storage.IsReleased);
        }
        var again = Torch.Zeros([n]);
        Assert.Same(first, ArrayOf(again));
        Assert.All(again.ToArray(), v => Assert.Equal(0f, v)); // Zeros clears a reused array
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Zeros_OfALargeReusedArray_ClearsEveryElement_OnAnyThreadCount(int threads)
    {
        // Large enough (and ragged) that the clear runs in chunks on all cores.
        const int n = 40 * MiniTorch.Kernels.Threading.ElementChunk + 13;
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            float[] first;
            using (Torch.MemoryScope()) first = ArrayOf(Torch.Full([n], 3.0));
            var again = Torch.Zeros([n]);
            Assert.Same(first, ArrayOf(again));
            Assert.Equal(-1, Array.FindIndex(again.ToArray(), v => BitConverter.SingleToInt32Bits(v) != 0));
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void Tensor_LeftOverFromAScope_ThrowsWhenRead_AndSoDoItsViews()
    {
        Tensor t, view;
        using (Torch.MemoryScope())
        {
            t = Torch.Randn([3, 5, 7], new Generator(1));
            view = t.Permute(2, 0, 1)[1];
        }
        var e = Assert.Throws<InvalidOperationException>(() => t.ToArray());
        Assert.Contains("went back to the caching allocator", e.Message);
        Assert.Contains("Keep()", e.Message);
        Assert.Throws<InvalidOperationException>(() => view.Sum().Item());
        Assert.Throws<InvalidOperationException>(() => t + 1);
        Assert.Throws<InvalidOperationException>(() => t.Keep());
    }

    [Fact]
    public void KeptTensor_AndViewsOfIt_SurviveScopes_AndTheirMemoryIsNeverHandedOut()
    {
        const int n = 10009;
        Tensor kept, keptView, viewOfOther, otherBase;
        using (Torch.MemoryScope())
        {
            kept = Torch.Arange(n).To(DType.Float32).Keep();
            keptView = kept.Narrow(0, 10, 100);
            otherBase = Torch.Arange(n).To(DType.Float32);
            viewOfOther = otherBase.Narrow(0, 5, 50).Keep(); // keeping a view keeps its whole storage
        }
        var expected = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        // Steps that allocate arrays of the same size and scribble on them.
        for (int step = 0; step < 5; step++)
        {
            using (Torch.MemoryScope())
            {
                for (int k = 0; k < 4; k++)
                {
                    var scratch = Torch.Full([n], -1.0 - step);
                    Assert.NotSame(ArrayOf(kept), ArrayOf(scratch));
                    Assert.NotSame(ArrayOf(otherBase), ArrayOf(scratch));
                }
            }
        }
        Assert.Equal(expected, kept.ToArray());
        Assert.Equal(expected.AsSpan(10, 100).ToArray(), keptView.ToArray());
        Assert.Equal(expected, otherBase.ToArray());
        Assert.Equal(expected.AsSpan(5, 50).ToArray(), viewOfOther.ToArray());
    }

    [Fact]
    public void TwoLiveStorages_NeverShareAnArray()
    {
        const int n = 10037;
        using (Torch.MemoryScope()) { for (int i = 0; i < 3; i++) Torch.Zeros([n]); }
        using (Torch.MemoryScope())
        {
            var arrays = Enumerable.Range(0, 5).Select(_ => ArrayOf(Torch.Ones([n]))).ToArray();
            Assert.Equal(5, arrays.Distinct(ReferenceEqualityComparer.Instance).Count());
        }
    }

    [Fact]
    public void OutsideAnyScope_TensorsAreTheGarbageCollectors()
    {
        var t = Torch.Ones([10039]);
        Assert.Null(t.Storage.OwningScope);
        using (Torch.MemoryScope()) { }
        Assert.Equal(10039f, t.Sum().Item());
    }

    [Fact]
    public void WrappedArrays_AreNeverTakenByTheCache()
    {
        var data = new float[10061];
        Tensor t;
        using (Torch.MemoryScope()) t = new Tensor(new TensorStorage<float>(data), [10061]);
        Assert.Same(data, ArrayOf(t)); // the caller's array: no scope owns it
    }

    [Fact]
    public void ParametersCreatedInAScope_AndOptimizerState_SurviveIt()
    {
        Linear layer;
        Adam opt;
        var x = Torch.Randn([5, 3], new Generator(2));
        using (Torch.MemoryScope())
        {
            layer = new Linear(3, 2, generator: new Generator(3));
            opt = new Adam(layer.Parameters(), lr: 0.1);
            layer.Forward(x).Sum().Backward();
            opt.Step();
        }
        using (Torch.MemoryScope())
        {
            opt.ZeroGrad();
            layer.Forward(x).Sum().Backward();
            opt.Step();
        }
        // Everything the layer and the optimizer hold is readable, and the same as without scopes.
        var reference = new Linear(3, 2, generator: new Generator(3));
        var refOpt = new Adam(reference.Parameters(), lr: 0.1);
        for (int i = 0; i < 2; i++)
        {
            refOpt.ZeroGrad();
            reference.Forward(x).Sum().Backward();
            refOpt.Step();
        }
        Assert.Equal(reference.Weight.ToArray(), layer.Weight.ToArray());
        Assert.Equal(reference.Bias!.ToArray(), layer.Bias!.ToArray());
        foreach (var (key, t) in opt.StateDict()) Assert.Equal(refOpt.StateDict()[key].ToDoubleArray(), t.ToDoubleArray());
    }

    [Fact]
    public void Gradient_HeldByALeaf_OutlivesTheScope_UntilZeroGradLetsGoOfItInAScope()
    {
        var w = Torch.Randn([10067], new Generator(4)).RequiresGrad_();
        using (Torch.MemoryScope()) (w * w).Sum().Backward();
        var firstGrad = w.Grad!;
        Assert.Equal((w * 2).Detach().ToArray(), firstGrad.ToArray()); // survived the scope
        using (Torch.MemoryScope())
        {
            w.Grad = null;         // what ZeroGrad() does
            Assert.Equal(10067, firstGrad.Numel);
            (w * 3).Sum().Backward();
        }
        Assert.Throws<InvalidOperationException>(() => firstGrad.ToArray()); // let go inside the scope: released with it
        Assert.All(w.Grad!.ToArray(), v => Assert.Equal(3f, v));
    }

    [Fact]
    public void GradientClearedOutsideAnyScope_StaysReadable()
    {
        var w = Torch.Randn([10069], new Generator(5)).RequiresGrad_();
        using (Torch.MemoryScope()) (w * 2).Sum().Backward();
        var g = w.Grad!;
        w.Grad = null;
        using (Torch.MemoryScope()) { }
        Assert.All(g.ToArray(), v => Assert.Equal(2f, v));
    }

    [Fact]
    public void GradReturnedOutsideAnyScope_IsTheCallers()
    {
        var x = Torch.Randn([10079], new Generator(6)).RequiresGrad_();
        var gx = Torch.Grad(((x * x).Exp() * x.Tanh()).Sum(), x);
        Assert.Null(gx.Storage.OwningScope); // it left the backward's own scope
        using (Torch.MemoryScope()) Torch.Grad(((x * x).Exp() * x.Tanh()).Sum(), x);
        var expected = ((x * x).Exp() * (2 * x * x.Tanh() + 1 - x.Tanh() * x.Tanh())).Detach().ToArray();
        var got = gx.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], Math.Abs(expected[i]) * 1e-5f + 1e-6f);
    }

    [Fact]
    public void GradReturnedInsideAUserScope_BelongsToThatScope()
    {
        var x = Torch.Randn([10091], new Generator(7)).RequiresGrad_();
        MemoryScope scope;
        Tensor g;
        using (scope = Torch.MemoryScope())
        {
            g = Torch.Grad((x * x).Sum(), x);
            Assert.Same(scope, g.Storage.OwningScope);
        }
        Assert.Throws<InvalidOperationException>(() => g.ToArray());
    }

    [Fact]
    public void CreateGraph_Backward_KeepsTheGraphItRecords()
    {
        var x = Torch.Randn([6], new Generator(8), DType.Float64).RequiresGrad_();
        var g = Torch.Grad((x * x * x).Sum(), x, createGraph: true); // 3x²
        g.Sum().Backward();                                          // d/dx Σ 3x² = 6x
        var (want, got) = ((x * 6).Detach().ToDoubleArray(), x.Grad!.ToDoubleArray());
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i], 1e-12);
        var (want2, got2) = ((x * x * 3).Detach().ToDoubleArray(), g.Detach().ToDoubleArray());
        for (int i = 0; i < want2.Length; i++) Assert.Equal(want2[i], got2[i], 1e-12);
    }

    [Fact]
    public void NestedScopes_PinnedGradientMovesOut_AndOutOfOrderDisposalReleasesOwnStoragesOnly()
    {
        var w = Torch.Ones([10093]).RequiresGrad_();
        var outer = Torch.MemoryScope();
        var a = Torch.Ones([10093]);
        var inner = Torch.MemoryScope();
        var b = Torch.Ones([10093]);
        (w * 5).Sum().Backward();
        Assert.Same(inner, b.Storage.OwningScope);
        outer.Dispose();                         // out of order: only the outer scope's storages go
        Assert.Throws<InvalidOperationException>(() => a.ToArray());
        Assert.Equal(10093f, b.Sum().Item());
        var c = Torch.Ones([10093]);
        Assert.Same(inner, c.Storage.OwningScope); // the inner scope is still the current one
        inner.Dispose();
        inner.Dispose();                          // twice: nothing happens
        Assert.Throws<InvalidOperationException>(() => b.ToArray());
        Assert.All(w.Grad!.ToArray(), v => Assert.Equal(5f, v));
        Assert.Null(w.Grad!.Storage.OwningScope);
        Assert.Null(Torch.Ones([3]).Storage.OwningScope);
    }

    [Fact]
    public async Task Scope_FollowsAwait_AndDoesNotLeakToTheCaller()
    {
        Tensor inside;
        MemoryScope scope;
        using (scope = Torch.MemoryScope())
        {
            await Task.Yield();
            inside = await Task.Run(() => Torch.Ones([10099]));
            Assert.Same(scope, inside.Storage.OwningScope);
        }
        Assert.Throws<InvalidOperationException>(() => inside.ToArray());
        var opened = await OpenInACallee();
        Assert.Null(Torch.Ones([3]).Storage.OwningScope); // the callee's scope stayed in the callee
        opened.Dispose();

        static async Task<MemoryScope> OpenInACallee()
        {
            var s = Torch.MemoryScope();
            await Task.Yield();
            Assert.Same(s, Torch.Ones([3]).Storage.OwningScope);
            return s;
        }
    }

    [Fact]
    public void TrainingSteps_InScopes_AreBitwiseTheSame_AndReuseTheirArrays()
    {
        var plain = new TinyGan();
        var scoped = new TinyGan();
        for (int step = 0; step < 4; step++)
        {
            var expected = plain.Step();
            (double, double) got;
            using (Torch.MemoryScope()) got = scoped.Step();
            Assert.Equal(expected, got);
            Assert.Equal(plain.State(), scoped.State());
        }
        foreach (var p in scoped.G.Parameters().Concat(scoped.D.Parameters()))
            Assert.Null(p.Storage.OwningScope);
    }
}

/// <summary>Tests of the allocator's global state (limit, counters), run alone.</summary>
[Collection(nameof(AllocatorGlobalState))]
public class CachingAllocatorTests
{
    [Fact]
    public void SteadyStateSteps_TakeEveryArrayFromTheCache()
    {
        var gan = new TinyGan(seed: 11);
        for (int i = 0; i < 2; i++) using (Torch.MemoryScope()) gan.Step();
        var before = Torch.MemoryStats();
        using (Torch.MemoryScope()) gan.Step();
        var after = Torch.MemoryStats();
        Assert.Equal(0, after.Misses - before.Misses);
        Assert.True(after.Hits - before.Hits > 100, $"hits {after.Hits - before.Hits}");
        Assert.Equal(after.Hits - before.Hits, after.Returned - before.Returned);
    }

    [Fact]
    public void Backward_OutsideAnyScope_GivesItsTemporariesBack()
    {
        var x = Torch.Randn([1000], new Generator(6)).RequiresGrad_();
        var y = ((x * x).Exp() * x.Tanh()).Sum();
        var before = Torch.MemoryStats();
        y.Backward();
        var after = Torch.MemoryStats();
        // The gradients between nodes and the backward's temporaries; the leaf's gradient stays.
        Assert.True(after.Returned - before.Returned >= 4, $"returned {after.Returned - before.Returned}");
        Assert.Null(x.Grad!.Storage.OwningScope);
        Assert.Equal(1000, x.Grad.ToArray().Length);
    }

    [Fact]
    public void TheSuiteRunsPoisoned_AReusedUninitialisedArrayHoldsNaN()
    {
        Assert.True(CachingAllocator.Poison);
        const int n = 10103;
        float[] array;
        using (Torch.MemoryScope()) array = ((TensorStorage<float>)Torch.Full([n], 1.0).Storage).Data;
        var again = (TensorStorage<float>)TensorStorage.AllocateUninitialized(DType.Float32, n);
        Assert.Same(array, again.Data);
        Assert.All(again.Data, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Limit_DropsWhatDoesNotFit_AndEmptyCacheClears()
    {
        long limit = Torch.CacheLimitBytes;
        try
        {
            Torch.EmptyCache();
            Assert.Equal(0, Torch.MemoryStats().CachedBytes);
            Torch.CacheLimitBytes = 4 * 1000;
            var before = Torch.MemoryStats();
            using (Torch.MemoryScope()) { Torch.Zeros([600]); Torch.Zeros([600]); }
            var after = Torch.MemoryStats();
            Assert.Equal(2400, after.CachedBytes);
            Assert.Equal(1, after.Dropped - before.Dropped);
            Torch.CacheLimitBytes = 1000;       // lowering the limit trims the cache
            Assert.Equal(0, Torch.MemoryStats().CachedBytes);
            Assert.Throws<ArgumentOutOfRangeException>(() => Torch.CacheLimitBytes = -1);
        }
        finally
        {
            Torch.CacheLimitBytes = limit;
        }
    }
}

/// <summary>Runs the tests that change or count the allocator's global state without other tests in parallel.</summary>
[CollectionDefinition(nameof(AllocatorGlobalState), DisableParallelization = true)]
public class AllocatorGlobalState;
