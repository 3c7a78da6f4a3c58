namespace MiniTorch.Tests.Tensors;

/// <summary>
/// Generators shared between threads: every draw (one method call, one tensor fill) is atomic with
/// respect to the state, as with PyTorch's per-generator mutex; one thread alone sees the stream it
/// always saw.
/// </summary>
public class GeneratorThreadTests
{
    private const int Threads = 4, PerThread = 2000, Size = 16;

    /// <summary>FNV-1a over 64-bit words.</summary>
    private static ulong Fnv(IEnumerable<ulong> words)
    {
        ulong h = 14695981039346656037UL;
        foreach (var w in words) { h ^= w; h *= 1099511628211UL; }
        return h;
    }

    [Fact]
    public void SingleThreadedStream_IsBitwiseTheStreamBeforeLocking()
    {
        // The hash was taken from the generator as it was before draws took a lock (commit 8254fd8):
        // normal (MathNet's polar method), uniform, float32 normal, bounded ints, bytes, raw words.
        var g = new Generator(5);
        var n = Torch.Randn([1001], g, DType.Float64).ToDoubleArray();
        var u = Torch.Rand([333], g, DType.Float64).ToDoubleArray();
        var f = Torch.Normal([77], 1, 2, g).ToArray();
        var i = Enumerable.Range(0, 50).Select(k => (ulong)(uint)g.Next(k + 1)).ToArray();
        var b = new byte[19];
        g.NextBytes(b);
        var all = n.Select(v => (ulong)BitConverter.DoubleToInt64Bits(v))
            .Concat(u.Select(v => (ulong)BitConverter.DoubleToInt64Bits(v)))
            .Concat(f.Select(v => (ulong)BitConverter.SingleToInt32Bits(v)))
            .Concat(i).Concat(b.Select(x => (ulong)x)).Append(g.NextUInt64());
        Assert.Equal(0x6982DBE75F0F7EDCUL, Fnv(all));
    }

    /// <summary>Runs <paramref name="draw"/> <paramref name="perThread"/> times on each of Threads threads started together.</summary>
    private static List<T> Concurrently<T>(Func<T> draw, int perThread = PerThread)
    {
        var results = new List<T>[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var mine = new List<T>(perThread);
            start.SignalAndWait();
            for (int k = 0; k < perThread; k++) mine.Add(draw());
            results[t] = mine;
        })).ToArray();
        foreach (var th in threads) th.Start();
        foreach (var th in threads) th.Join();
        return results.SelectMany(r => r).ToList();
    }

    // Equal-sized draws from one state give, whatever thread makes each call, the same tensors as
    // the same number of calls made one after another: only their order differs.
    internal static void AssertSameDrawsAsSequential(Func<Generator?, Tensor> sample, bool useDefault)
    {
        var shared = new Generator(11);
        if (useDefault) Torch.ManualSeed(11);
        var concurrent = Concurrently(() => sample(useDefault ? null : shared).ToDoubleArray());
        var sequentialGen = new Generator(11);
        var sequential = Enumerable.Range(0, Threads * PerThread).Select(_ => sample(sequentialGen).ToDoubleArray()).ToList();

        static string Key(double[] v) => string.Join(",", v.Select(BitConverter.DoubleToInt64Bits));
        var expected = sequential.Select(Key).Order().ToList();
        var actual = concurrent.Select(Key).Order().ToList();
        Assert.Equal(expected.Count, expected.Distinct().Count());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ConcurrentRandAndNormal_OnASharedGenerator_HandOutEachDrawOnce()
    {
        AssertSameDrawsAsSequential(g => Torch.Rand([Size], g, DType.Float64), useDefault: false);
        AssertSameDrawsAsSequential(g => Torch.Normal([Size], 3, 0.5, g), useDefault: false);
        AssertSameDrawsAsSequential(g => MiniTorch.Nn.Init.Uniform(Torch.Zeros([Size], DType.Float64), -2, 2, g), useDefault: false);
    }

    [Fact]
    public void ConcurrentNextUInt64_GivesExactlyTheSequentialWords()
    {
        var shared = new Generator(99);
        const int words = 50_000;
        var concurrent = Concurrently(shared.NextUInt64, words);
        var sequential = new Generator(99);
        var expected = Enumerable.Range(0, Threads * words).Select(_ => sequential.NextUInt64()).Order().ToList();
        Assert.Equal(expected, concurrent.Order().ToList());
    }

    [Fact]
    public void ConcurrentManualSeedAndDraws_LeaveAValidState()
    {
        // Re-seeding while other threads draw: every state seen is a whole one (never all zero,
        // which xoshiro could not leave), and a re-seed restarts the stream exactly.
        var shared = new Generator(1);
        Concurrently(() => { shared.ManualSeed(7); return shared.NextDouble(); });
        Assert.NotEqual(new ulong[4], shared.GetState());
        shared.ManualSeed(7);
        Assert.Equal(new Generator(7).NextUInt64(), shared.NextUInt64());
    }
}

/// <summary>
/// The process-wide default generator: other tests draw from it (modules initialised without a
/// generator), so these run alone, after the parallel tests.
/// </summary>
[Collection(nameof(DefaultGeneratorCollection))]
public class DefaultGeneratorThreadTests
{
    [Fact]
    public void ConcurrentRandn_AfterManualSeed_HandsOutEachDrawOnce() =>
        GeneratorThreadTests.AssertSameDrawsAsSequential(g => Torch.Randn([16], g, DType.Float64), useDefault: true);
}

/// <summary>Tests that need the default generator to themselves.</summary>
[CollectionDefinition(nameof(DefaultGeneratorCollection), DisableParallelization = true)]
public class DefaultGeneratorCollection;
