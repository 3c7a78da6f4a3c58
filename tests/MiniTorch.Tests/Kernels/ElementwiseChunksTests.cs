using System.Numerics;
using System.Numerics.Tensors;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// Tanh runs in chunks on all cores for large tensors (the generator's output layer): a speed-only change,
/// so every element must be bitwise what one TensorPrimitives call over the whole span gives, for 1–3 threads
/// and lengths around the chunk boundaries, with zeros, infinities and NaN among the values.
/// </summary>
public class ElementwiseChunksTests
{
    public static TheoryData<int> Lengths() => [Elementwise.ChunkLength - 1, 2 * Elementwise.ChunkLength, 2 * Elementwise.ChunkLength + 7, 6 * Elementwise.ChunkLength + 33];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Tanh_InChunks_IsBitwiseOneCall(int length)
    {
        Check<float>(length);
        Check<double>(length);
    }

    private static void Check<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(length);
        var x = new T[length];
        for (int i = 0; i < length; i++) x[i] = T.CreateTruncating((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-3, 3)));
        x[0] = T.Zero; x[1] = T.NegativeZero; x[2] = T.PositiveInfinity; x[3] = T.NegativeInfinity; x[4] = T.NaN; x[^1] = T.NaN;
        var expected = new T[length];
        TensorPrimitives.Tanh<T>(x, expected);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var y = new T[length];
            int saved = Torch.GetNumThreads();
            try
            {
                Torch.SetNumThreads(threads);
                new Elementwise.Tanh().Run<T>(x, y);
            }
            finally { Torch.SetNumThreads(saved); }
            for (int i = 0; i < length; i++)
                Assert.True(expected[i].Equals(y[i]) && T.IsNegative(expected[i]) == T.IsNegative(y[i]),
                            $"{typeof(T).Name} length {length}, {threads} threads: element {i}: one call {expected[i]}, chunks {y[i]}");
        }
    }
}
