using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// <see cref="RowSums{T}"/> replicates TensorPrimitives' summation order: every row sum must be the real call's bits, on
/// every length 0…2100, at three start offsets (the library must not realign float rows), on whichever SIMD path the
/// run has (CI runs Vector512, Vector256 and scalar).
/// </summary>
public unsafe class RowSumsTests
{
    // Mixed magnitudes make every rounding step visible; with specials, one value in `specialEvery` is −0, ±∞, NaN,
    // a subnormal or a huge value. All NaNs are the default NaN: two different payloads would make the result depend
    // on the operand order the JIT picks for a commutative add.
    internal static T[] Values<T>(int length, int seed, int specialEvery) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] specials = [T.NegativeZero, T.Zero, T.PositiveInfinity, T.NegativeInfinity, T.NaN, T.Epsilon, T.CreateChecked(3e37), T.CreateChecked(-1e-30)];
        var v = new T[length];
        for (int i = 0; i < length; i++)
            v[i] = specialEvery > 0 && rng.Next(specialEvery) == 0
                ? specials[rng.Next(specials.Length)]
                : T.CreateChecked((rng.NextDouble() - 0.4) * Math.Pow(10, rng.Next(-4, 5)));
        return v;
    }

    internal static bool SameBits<T>(T a, T b) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));

    private static void EveryLength<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(RowSums<T>.Replicated, "this machine's SIMD path is not one RowSums replicates");
        T m = T.CreateChecked(0.3711), slope = T.CreateChecked(0.2);
        for (int length = 0; length <= 2100; length++)
            for (int offset = 0; offset < 3; offset++)
            {
                // Rows without specials, rows with a few, rows of −0 only.
                int kind = (length + offset) % 3;
                int seed = 31 * length + offset;
                var xa = kind == 2 ? Enumerable.Repeat(T.NegativeZero, length + offset).ToArray() : Values<T>(length + offset, seed, kind == 0 ? 0 : 40);
                var ga = Values<T>(length + offset, seed + 7, kind == 1 ? 60 : 0);
                var za = Values<T>(length + offset, seed + 11, kind == 1 ? 30 : 0);
                ReadOnlySpan<T> x = xa.AsSpan(offset), g = ga.AsSpan(offset), z = za.AsSpan(offset);
                string at = $"{typeof(T).Name} length {length} offset {offset} kind {kind}";
                fixed (T* px = x, pg = g, pz = z)
                {
                    var sumTerms = new RowValueTerms<T>(px);
                    RowSums<T>.Sum(ref sumTerms, length, out T sum, out _);
                    Assert.True(SameBits(TensorPrimitives.Sum(x), sum), "Sum, " + at);

                    var centred = new T[length];
                    TensorPrimitives.Subtract(x, m, centred);
                    var squareTerms = new CentredSquareTerms<T>(px, m);
                    RowSums<T>.Sum(ref squareTerms, length, out T squares, out _);
                    Assert.True(SameBits(TensorPrimitives.SumOfSquares<T>(centred), squares), "SumOfSquares, " + at);

                    var plain = new GradTerms<T>(px, pg, null, m, slope);
                    RowSums<T>.Sum(ref plain, length, out T gSum, out T dot);
                    Assert.True(SameBits(TensorPrimitives.Sum(g), gSum), "Sum(g), " + at);
                    Assert.True(SameBits(TensorPrimitives.Dot<T>(centred, g), dot), "Dot, " + at);

                    var activated = new T[length];
                    Activation.LeakyReluBackward(z, g, slope, activated);
                    var fused = new GradTerms<T>(px, pg, pz, m, slope);
                    RowSums<T>.Sum(ref fused, length, out gSum, out dot);
                    Assert.True(SameBits(TensorPrimitives.Sum<T>(activated), gSum), "Sum(leaky backward), " + at);
                    Assert.True(SameBits(TensorPrimitives.Dot<T>(centred, activated), dot), "Dot(leaky backward), " + at);
                }
            }
    }

    [Fact]
    public void RowSums_Float_BitwiseEqualToTensorPrimitives_EveryLength() => EveryLength<float>();

    [Fact]
    public void RowSums_Double_BitwiseEqualToTensorPrimitives_EveryLength() => EveryLength<double>();
}
