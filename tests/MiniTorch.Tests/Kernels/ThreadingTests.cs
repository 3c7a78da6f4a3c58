using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

public class ThreadingTests
{
    [Fact]
    public void For_RunsEveryItemOnce()
    {
        var hits = new int[1000];
        Threading.For(hits.Length, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void For_NestedCallsRunSeriallyOnTheCallingThread()
    {
        var violations = 0;
        Threading.For(8, _ =>
        {
            int outer = Environment.CurrentManagedThreadId;
            Threading.For(4, _ => { if (Environment.CurrentManagedThreadId != outer) Interlocked.Increment(ref violations); });
        });
        Assert.Equal(0, violations);
    }

    [Fact]
    public void For_ExceptionInAnItem_PropagatesWithItsType_AndPoolStaysUsable()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            Threading.For(64, i => { if (i == 37) throw new InvalidOperationException("item 37"); }));
        Assert.Equal("item 37", e.Message);
        int sum = 0;
        Threading.For(10, i => Interlocked.Add(ref sum, i));
        Assert.Equal(45, sum);
    }

    [Fact]
    public void SetNumThreads_RejectsNonPositive_AndGetReturnsWhatWasSet()
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Torch.SetNumThreads(0));
            Torch.SetNumThreads(3);
            Assert.Equal(3, Torch.GetNumThreads());
        }
        finally { Torch.SetNumThreads(saved); }
    }
}
