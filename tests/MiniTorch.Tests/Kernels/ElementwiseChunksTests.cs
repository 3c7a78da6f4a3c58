using System.Numerics;
using System.Runtime.InteropServices;
using MiniTorch.Functions;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// Element-wise ops over spans of two or more <see cref="Threading.ElementChunk"/>s run in chunks on all cores
/// (<see cref="Threading.ForChunks"/>): on 1, 2 and 3 threads, on ragged lengths, each must give bitwise the
/// kernel's call on the whole span (CI runs this on the Vector512, Vector256 and scalar paths).
/// </summary>
public class ElementwiseChunksTests
{
    // Long enough to go parallel (4 operations per element ≥ Threading.SerialBelow): a remainder under one vector, and a
    // length just short of a whole chunk.
    private static readonly int[] Lengths = [16 * Threading.ElementChunk + 7, 19 * Threading.ElementChunk - 5];

    private static T[] Values<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var v = new T[length];
        // NaN and huge values throughout, and beside every multiple of ElementChunk (where a chunk cut in the wrong place
        // would put other neighbours into a vector, or leave the element to a narrower tail vector).
        for (int i = 0; i < length; i++)
            v[i] = (i % Threading.ElementChunk is 1 or Threading.ElementChunk - 2 ? (i % 2 == 1 ? 0 : 3) : i % 97) switch
            {
                0 => T.NaN,
                1 => T.Zero,
                2 => T.NegativeZero,
                3 => T.CreateChecked(1e30),
                _ => T.CreateChecked((rng.NextDouble() - 0.45) * 8),
            };
        return v;
    }

    private static Tensor Make<T>(T[] v) where T : unmanaged =>
        v is float[] f ? Torch.FromArray(f, f.Length) : Torch.FromArray((double[])(object)v, v.Length);

    private static void AssertBitwise<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> got, string what) where T : unmanaged
    {
        Assert.Equal(expected.Length, got.Length);
        if (!MemoryMarshal.AsBytes(expected).SequenceEqual(MemoryMarshal.AsBytes(got)))
        {
            int i = 0;
            while (i < expected.Length && MemoryMarshal.AsBytes(expected.Slice(i, 1)).SequenceEqual(MemoryMarshal.AsBytes(got.Slice(i, 1)))) i++;
            Assert.Fail($"{what}: element {i} of {expected.Length} differs: expected {expected[i]}, got {got[i]}");
        }
    }

    private static void AssertBitwise<T>(ReadOnlySpan<T> expected, Tensor actual, string what) where T : unmanaged =>
        AssertBitwise(expected, (ReadOnlySpan<T>)actual.Contiguous().Span<T>(), what);

    private static void OnThreads(int threads, Action check)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            check();
        }
        finally { Torch.SetNumThreads(saved); }
    }

    // TensorPrimitives cuts a span into vectors aligned to its destination and finishes it with narrower vectors, which
    // round some operators (float32 TanH) differently, so chunks must end on the destination's 64-byte boundaries: the
    // reference and the chunked call write to destinations of the same alignment, every lead to a 64-byte boundary a
    // float or double destination can have.
    private static unsafe void WithDestinations<T>(int length, Action<int, nint, nint> check) where T : unmanaged
    {
        int lanes = 64 / sizeof(T);
        var (reference, chunked) = ((nint)NativeMemory.AlignedAlloc((nuint)((length + lanes) * sizeof(T)), 64), (nint)NativeMemory.AlignedAlloc((nuint)((length + lanes) * sizeof(T)), 64));
        try
        {
            foreach (int shift in new[] { 0, 1, lanes - 1 })
            {
                var (r, c) = (reference + shift * sizeof(T), chunked + shift * sizeof(T));
                Assert.Equal((lanes - shift) % lanes, Threading.LeadTo64(c, sizeof(T)));
                check(shift, r, c);
            }
        }
        finally
        {
            NativeMemory.AlignedFree((void*)reference);
            NativeMemory.AlignedFree((void*)chunked);
        }
    }

    // One call each, compared once: every kernel here gives an element the same bits whatever shares its vector and
    // at whatever alignment, on tier-0 and optimised JIT code alike (ExpFamilyTests; TensorPrimitives' float64 exp,
    // tanh and sigmoid did not, which once let this test see tier-0 chunks beside an optimised whole call). So the
    // chunked call must give the whole-span call's bits; a chunk cut in the wrong place does not.
    private delegate void Fill<T>(Span<T> destination);

    private static unsafe void Compare<T>(int length, nint reference, nint chunked, Fill<T> whole, Fill<T> inChunks, string what) where T : unmanaged
    {
        Span<T> expected = new((T*)reference, length), got = new((T*)chunked, length);
        whole(expected);
        inChunks(got);
        AssertBitwise<T>(expected, got, what);
    }

    private static void Unary<T, TK>(TK kernel) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IUnaryKernel
    {
        foreach (int length in Lengths)
        {
            var x = Values<T>(length, length);
            WithDestinations<T>(length, (shift, r, c) =>
                Compare<T>(length, r, c, y => kernel.Run<T>(x, y), y => Map.Chunked<T, TK>(x, y, kernel),
                           $"{typeof(TK).Name}<{typeof(T).Name}> on {length}, destination {shift} elements past 64 bytes"));
        }
    }

    private static void Binary<T, TK>(TK kernel) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IBinaryKernel
    {
        foreach (int length in Lengths)
        {
            var (a, b) = (Values<T>(length, length), Values<T>(length, length + 1));
            var s = T.CreateChecked(1.75);
            WithDestinations<T>(length, (shift, r, c) =>
            {
                string what = $"{typeof(TK).Name}<{typeof(T).Name}> on {length}, destination {shift} elements past 64 bytes";
                Compare<T>(length, r, c, y => kernel.Run<T>(a, b, y), y => Map.Chunked<T, TK>(a, b, y, kernel), what);
                Compare<T>(length, r, c, y => kernel.Run<T>(a, s, y), y => Map.Chunked(a, s, y, kernel), what + " (span, scalar)");
                Compare<T>(length, r, c, y => kernel.Run<T>(s, b, y), y => Map.Chunked(s, b, y, kernel), what + " (scalar, span)");
            });
        }
    }

    private static void All<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Unary<T, Elementwise.Tanh>(default);
        Unary<T, Elementwise.Exp>(default);
        Unary<T, Elementwise.Log>(default);
        Unary<T, Elementwise.Sqrt>(default);
        Unary<T, Elementwise.Abs>(default);
        Unary<T, Elementwise.Neg>(default);
        Unary<T, Elementwise.Sigmoid>(default);
        Unary<T, Elementwise.Sign>(default);
        Binary<T, Elementwise.Add>(default);
        Binary<T, Elementwise.Sub>(default);
        Binary<T, Elementwise.Mul>(default);
        Binary<T, Elementwise.Div>(default);
        Binary<T, Elementwise.Pow>(default);
        Binary<T, Elementwise.Maximum>(default);
        Binary<T, Elementwise.Minimum>(default);
        Binary<T, Elementwise.Greater>(default);
        Binary<T, Elementwise.EqualTo>(default);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MapKernels_InChunksOnThreads_BitwiseTheWholeSpanCall(int threads) => OnThreads(threads, () =>
    {
        All<float>();
        All<double>();
    });

    [Fact]
    public void Map_TanhOfATensor_IsTheChunkedKernel()
    {
        // The tensor op goes through the chunked runner (the reference: the whole-span call on the op's own output memory).
        var x = Torch.Randn([3 * Threading.ElementChunk + 11], new Generator(5)) * 3;
        var y = Map.Unary(x, new Elementwise.Tanh());
        var expected = new float[y.Numel];
        new Elementwise.Tanh().Run<float>(x.Span<float>(), expected);
        AssertBitwise<float>(expected, y, "Tanh of a tensor");
    }

    private static void Activations<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int length in Lengths)
        {
            var (x, g) = (Values<T>(length, length), Values<T>(length, length + 1));
            var slope = T.CreateChecked(0.2);
            var expected = new T[length];
            Activation.LeakyRelu<T>(x, slope, expected);
            AssertBitwise<T>(expected, F.LeakyRelu(Make(x), 0.2), $"leaky ReLU <{typeof(T).Name}> on {length}");
            Activation.LeakyReluBackward<T>(x, g, slope, expected);
            AssertBitwise<T>(expected, LeakyReluGrad.Apply(Make(g), Make(x), 0.2, "LeakyReluBackwardBackward0"), $"leaky ReLU backward <{typeof(T).Name}> on {length}");
            Activation.LeakyReluBackward<T>(x, g, T.Zero, expected, threshold: true);
            AssertBitwise<T>(expected, LeakyReluGrad.Apply(Make(g), Make(x), 0, LeakyReluGrad.ReluName), $"ReLU backward <{typeof(T).Name}> on {length}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LeakyReluAndItsBackward_InChunksOnThreads_BitwiseTheWholeSpanCall(int threads) => OnThreads(threads, () =>
    {
        Activations<float>();
        Activations<double>();
    });

    [Fact]
    public void ForChunks_CoversEveryElementOnce_LastChunkTakesTheRemainder()
    {
        foreach (int length in Lengths.Append(Threading.ElementChunk - 1).Append(0))
        foreach (int lead in new[] { 0, 5, 15 })
        {
            var hits = new int[length];
            var starts = new System.Collections.Concurrent.ConcurrentBag<(int At, int N)>();
            Threading.ForChunks(length, lead, 1000, (at, n) =>
            {
                starts.Add((at, n));
                for (int i = at; i < at + n; i++) Interlocked.Increment(ref hits[i]);
            });
            Assert.All(hits, h => Assert.Equal(1, h));
            // Every chunk but the first starts at lead + a multiple of ElementChunk; none is shorter than a chunk unless the span is.
            Assert.All(starts, c => Assert.True(c.At == 0 || (c.At - lead) % Threading.ElementChunk == 0, $"chunk at {c.At}, lead {lead}"));
            Assert.All(starts, c => Assert.True(c.N >= Math.Min(length, Threading.ElementChunk), $"chunk at {c.At} has {c.N} elements"));
        }
    }
}
