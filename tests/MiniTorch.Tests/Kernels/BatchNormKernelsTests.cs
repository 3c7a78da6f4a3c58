using System.Numerics;
using System.Numerics.Tensors;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>The batch-norm kernels split channels over threads: forward and backward must be bitwise the same for 1, 2 and 3 threads.</summary>
public class BatchNormKernelsTests
{
    private static float[][] Run(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(21);
            // Big enough (2·N·C·HW ≥ 2^20) that the kernels do go parallel.
            var x = (Torch.Randn([16, 24, 48, 48], g) * 3 + 1).RequiresGrad_();
            var w = Torch.Randn([24], g).RequiresGrad_();
            var b = Torch.Randn([24], g).RequiresGrad_();
            var rm = Torch.Zeros([24]);
            var rv = Torch.Ones([24]);
            var y = F.BatchNorm(x, rm, rv, w, b, training: true);
            var upstream = Torch.Randn([16, 24, 48, 48], g);
            (y * upstream).Sum().Backward();
            return [y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), rm.ToArray(), rv.ToArray()];
        }
        finally { Torch.SetNumThreads(saved); }
    }

    // DCGAN's last layers: 4×4 planes, many channels, batch norm fused with leaky ReLU (Sequential fuses them):
    // the rows' calls, not the elements, make these passes long enough to split over threads.
    private static float[][] RunSmallPlanes(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(22);
            var bn = new BatchNorm2d(256);
            bn.Weight!.CopyFrom(Torch.Randn([256], g));
            bn.Bias!.CopyFrom(Torch.Randn([256], g));
            var seq = new Sequential(bn, new LeakyReLU(0.2));
            var x = (Torch.Randn([64, 256, 4, 4], g) * 2 - 0.5).RequiresGrad_();
            var y = seq.Forward(x);
            (y * Torch.Randn([64, 256, 4, 4], g)).Sum().Backward();
            return [y.ToArray(), x.Grad!.ToArray(), bn.Weight!.Grad!.ToArray(), bn.Bias!.Grad!.ToArray(), bn.RunningMean!.ToArray(), bn.RunningVar!.ToArray()];
        }
        finally { Torch.SetNumThreads(saved); }
    }

    private static void AssertSameFor1To3Threads(Func<int, float[][]> run)
    {
        var one = run(1);
        for (int threads = 2; threads <= 3; threads++)
        {
            var other = run(threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], other[i]);
        }
    }

    [Fact]
    public void BatchNorm_SmallPlanesFusedWithLeakyRelu_BitwiseEqualFor1To3Threads() => AssertSameFor1To3Threads(RunSmallPlanes);

    [Fact]
    public void BatchNorm_ForwardAndBackward_BitwiseEqualFor1To3Threads() => AssertSameFor1To3Threads(Run);

    // Values that make every rounding step visible, plus the IEEE corner cases (−0, ±∞, NaN payloads, subnormals).
    // Without a payload NaN when a scalar is NaN: a product or sum of two different NaNs returns one of them, and which
    // one depends on the operand order the JIT picks for a commutative operation (the old chain does not fix it either).
    private static T[] RowValues<T>(int length, int seed, bool payload) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] specials = [T.NegativeZero, T.Zero, T.PositiveInfinity, T.NegativeInfinity, T.NaN, T.Epsilon, T.CreateChecked(1e30), T.CreateChecked(-3.0000001)];
        var v = new T[length];
        for (int i = 0; i < length; i++)
            v[i] = rng.Next(7) == 0 ? specials[rng.Next(specials.Length)] : T.CreateChecked((rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-3, 4)));
        if (payload && typeof(T) == typeof(float) && length > 3) v[3] = (T)(object)BitConverter.Int32BitsToSingle(unchecked((int)0xFFC01234)); // a NaN with a payload
        return v;
    }

    private static void AssertBitwise<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what) where T : unmanaged
    {
        var e = System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected).ToArray();
        var a = System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual).ToArray();
        Assert.True(e.AsSpan().SequenceEqual(a), what);
    }

    private static void FusedRowsMatchTheCallChain<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] scalars = [T.CreateChecked(0.7310586), T.CreateChecked(-1.25e-3), T.NegativeZero, T.CreateChecked(3.4e12), T.NaN, T.CreateChecked(2.5)];
        for (int length = 0; length <= 70; length++)
            for (int offset = 0; offset < 3; offset++)
                for (int s = 0; s < scalars.Length; s++)
                {
                    T p = scalars[s], q = scalars[(s + 1) % scalars.Length], r = scalars[(s + 2) % scalars.Length], u = scalars[(s + 3) % scalars.Length];
                    bool payload = !(T.IsNaN(p) || T.IsNaN(q) || T.IsNaN(r) || T.IsNaN(u));
                    var x = RowValues<T>(length + offset, 100 * length + offset, payload)[offset..];
                    var g = RowValues<T>(length + offset, 7000 + 100 * length + offset, payload)[offset..];
                    string at = $"{typeof(T).Name} length {length} offset {offset} scalars {s}";

                    var chain = new T[length];
                    TensorPrimitives.Multiply<T>(x, p, chain);
                    TensorPrimitives.Add<T>(chain, q, chain);
                    var fused = new T[length + 1];
                    BatchNormRows<T>.ScaleShift(x, p, q, fused.AsSpan(1, length)); // a destination off the source's alignment
                    AssertBitwise<T>(chain, fused.AsSpan(1, length), "ScaleShift, " + at);

                    TensorPrimitives.Subtract<T>(x, p, chain);
                    BatchNormRows<T>.Subtract(x, p, fused.AsSpan(1, length));
                    AssertBitwise<T>(chain, fused.AsSpan(1, length), "Subtract, " + at);
                    TensorPrimitives.Multiply<T>(chain, q, chain);
                    TensorPrimitives.Subtract<T>(g, chain, chain);
                    TensorPrimitives.Subtract<T>(chain, r, chain);
                    TensorPrimitives.Multiply<T>(chain, u, chain);
                    BatchNormRows<T>.InputGrad(x, g, p, q, r, u, fused.AsSpan(1, length));
                    AssertBitwise<T>(chain, fused.AsSpan(1, length), "InputGrad, " + at);
                }
    }

    // The fused row loops replace chains of TensorPrimitives calls: every element must come out with the chain's bits
    // (each step rounded, no fused multiply-add), on every SIMD path CI runs (Vector512, Vector256, scalar).
    [Fact]
    public void FusedRows_BitwiseEqualToTheTensorPrimitivesChain()
    {
        FusedRowsMatchTheCallChain<float>();
        FusedRowsMatchTheCallChain<double>();
    }
}
