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
    public void For_ManyShortRegionsBackToBack_EachItemRunsOnceWithItsOwnRegionsBody()
    {
        // The caller does not wait for a worker to wake, so a worker woken for one region can arrive
        // in a later one: it must never run an item of an ended region, nor one region's body with
        // another's index, nor join a region for fewer threads than the one it was woken for (3, then 2).
        // Regions of 1-7 items, each writing its own region number.
        int saved = Torch.GetNumThreads();
        try
        {
            foreach (int threads in new[] { 3, 2 })
            {
                Torch.SetNumThreads(threads);
                const int regions = 20000;
                var hits = new int[regions * 7];
                var seen = new int[regions * 7];
                var ids = new int[7];
                for (int r = 0; r < regions; r++)
                {
                    int region = r, count = r % 7 + 1;
                    Threading.For(count, i =>
                    {
                        ids[i] = Environment.CurrentManagedThreadId;
                        Interlocked.Increment(ref hits[region * 7 + i]);
                        Volatile.Write(ref seen[region * 7 + i], region + 1);
                    });
                    for (int i = 0; i < count; i++)
                    {
                        // Every item has finished when For returns.
                        Assert.Equal(1, Volatile.Read(ref hits[region * 7 + i]));
                        Assert.Equal(region + 1, Volatile.Read(ref seen[region * 7 + i]));
                    }
                    Assert.True(ids.Take(count).Distinct().Count() <= threads, $"region {region} ran on more than {threads} threads");
                }
                for (int r = 0; r < regions; r++)
                    for (int i = r % 7 + 1; i < 7; i++) Assert.Equal(0, hits[r * 7 + i]);
            }
        }
        finally { Torch.SetNumThreads(saved); }
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
        // A failed region ends with every running item finished; the next region is whole.
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
