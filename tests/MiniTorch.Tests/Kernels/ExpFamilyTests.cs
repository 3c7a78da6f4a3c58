using System.Numerics;
using System.Runtime.InteropServices;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// Every unary element-wise kernel gives an element the same bits wherever it sits (at every alignment of its
/// destination) and whatever shares its vector (a NaN, an infinity or 1e30 next to it). TensorPrimitives' float64
/// exp, tanh and sigmoid fail both (see <see cref="ExpFamily"/>), which once made a CI run fail; MiniTorch's kernels
/// must not. CI runs this on the Vector512, Vector256 and scalar paths.
/// </summary>
public class ExpFamilyTests
{
    private const int Length = 4099;

    private static bool IsSpecial(int i) => i % 13 is 0 or 5;

    private static T[] Values<T>(bool specials) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(11);
        var v = new T[Length];
        for (int i = 0; i < Length; i++)
        {
            T plain = T.CreateChecked((rng.NextDouble() - 0.45) * 12);
            v[i] = !specials || !IsSpecial(i) ? plain : (i / 13 % 5) switch
            {
                0 => T.NaN,
                1 => T.PositiveInfinity,
                2 => T.NegativeInfinity,
                3 => T.CreateChecked(1e30),
                _ => T.CreateChecked(-1e30),
            };
        }
        return v;
    }

    private static unsafe T[] At<T, TK>(TK kernel, T[] x, int shift) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IUnaryKernel
    {
        var block = (T*)NativeMemory.AlignedAlloc((nuint)((Length + 64) * sizeof(T)), 64);
        try
        {
            var y = new Span<T>(block + shift, Length);
            kernel.Run<T>(x, y);
            return y.ToArray();
        }
        finally { NativeMemory.AlignedFree(block); }
    }

    private static void Check<T, TK>(TK kernel) where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IUnaryKernel
    {
        string what = $"{typeof(TK).Name}<{typeof(T).Name}>";
        var (withSpecials, plain) = (Values<T>(true), Values<T>(false));
        var reference = At(kernel, withSpecials, 0);
        var clean = At(kernel, plain, 0);
        // Neighbours: an element whose vector also holds a special value gets the bits it gets among plain values.
        for (int i = 0; i < Length; i++)
            if (!IsSpecial(i) && !Same(reference[i], clean[i]))
                Assert.Fail($"{what}: element {i} ({withSpecials[i]}) is {reference[i]} beside special values and {clean[i]} beside plain ones");
        // Alignment: the same bits at every position of the destination relative to 64 bytes.
        for (int shift = 1; shift < 64 / Marshal.SizeOf<T>(); shift++)
        {
            var moved = At(kernel, withSpecials, shift);
            for (int i = 0; i < Length; i++)
                if (!Same(reference[i], moved[i]))
                    Assert.Fail($"{what}: element {i} ({withSpecials[i]}) is {reference[i]} in an aligned destination and {moved[i]} {shift} elements past 64 bytes");
        }
    }

    private static bool Same<T>(T a, T b) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));

    private static void All<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check<T, Elementwise.Exp>(default);
        Check<T, Elementwise.Tanh>(default);
        Check<T, Elementwise.Sigmoid>(default);
        Check<T, Elementwise.Log>(default);
        Check<T, Elementwise.Sqrt>(default);
        Check<T, Elementwise.Abs>(default);
        Check<T, Elementwise.Neg>(default);
        Check<T, Elementwise.Sign>(default);
    }

    [Fact]
    public void UnaryKernels_Float32_AnElementsBitsDependOnItsValueAlone() => All<float>();

    [Fact]
    public void UnaryKernels_Float64_AnElementsBitsDependOnItsValueAlone() => All<double>();

    [Fact]
    public void ExpFamily_Float64_IsTheCLibraryFunctionPerElement()
    {
        var x = Values<double>(true);
        var (e, t, s) = (new double[Length], new double[Length], new double[Length]);
        ExpFamily.Exp<double>(x, e);
        ExpFamily.Tanh<double>(x, t);
        ExpFamily.Sigmoid<double>(x, s);
        for (int i = 0; i < Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Exp(x[i])), BitConverter.DoubleToInt64Bits(e[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Tanh(x[i])), BitConverter.DoubleToInt64Bits(t[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(1.0 / (1.0 + Math.Exp(-x[i]))), BitConverter.DoubleToInt64Bits(s[i]));
        }
        // Sigmoid's ends: 0 below exp's range, 1 above, NaN for NaN.
        Assert.Equal(0.0, s[Array.FindIndex(x, v => v == -1e30)]);
        Assert.Equal(1.0, s[Array.FindIndex(x, v => v == 1e30)]);
        Assert.True(double.IsNaN(s[Array.FindIndex(x, double.IsNaN)]));
    }
}
