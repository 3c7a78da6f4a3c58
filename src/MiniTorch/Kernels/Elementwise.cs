using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// A unary element-wise kernel over dense spans, written once for float and double. Kernels here
/// lean on <see cref="TensorPrimitives"/>, which vectorises with Vector512/256/128 as available.
/// </summary>
internal interface IUnaryKernel
{
    void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A binary element-wise kernel: both dense, or one side a single value.</summary>
internal interface IBinaryKernel
{
    void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
    void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
    void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

internal static class Elementwise
{
    public readonly struct Add : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(a, b, y);
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(b, a, y);
    }

    public readonly struct Sub : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, y);
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(a, b, y);
    }

    public readonly struct Mul : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(a, b, y);
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(b, a, y);
    }

    public readonly struct Div : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, y);
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(a, b, y);
    }

    public readonly struct Pow : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // x², x³ and √x are exact-as-possible special cases, as in PyTorch's pow kernel.
            if (b == T.CreateChecked(2)) TensorPrimitives.Multiply(a, a, y);
            else if (b == T.One) a.CopyTo(y);
            else if (b == T.CreateChecked(0.5)) TensorPrimitives.Sqrt(a, y);
            else TensorPrimitives.Pow(a, b, y);
        }
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(a, b, y);
    }

    /// <summary>max(a, b) with PyTorch's NaN propagation (used by Clamp and Relu).</summary>
    public readonly struct Maximum : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(a, b, y);
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(b, a, y);
    }

    /// <summary>min(a, b) with NaN propagation.</summary>
    public readonly struct Minimum : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(a, b, y);
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(a, b, y);
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(b, a, y);
    }

    /// <summary>1 where a &gt; b, else 0 (a mask in the element type).</summary>
    public readonly struct Greater : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Masks.Run(a, false, b, false, y, new Masks.Greater());
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Masks.Run(a, false, [b], true, y, new Masks.Greater());
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Masks.Run([a], true, b, false, y, new Masks.Greater());
    }

    /// <summary>1 where a == b, else 0.</summary>
    public readonly struct EqualTo : IBinaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Masks.Run(a, false, b, false, y, new Masks.Equal());
        public void Run<T>(ReadOnlySpan<T> a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Masks.Run(a, false, [b], true, y, new Masks.Equal());
        public void Run<T>(T a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => Masks.Run([a], true, b, false, y, new Masks.Equal());
    }

    public readonly struct Neg : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y); }
    public readonly struct Exp : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => ExpFamily.Exp(x, y); }
    public readonly struct Log : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y); }
    public readonly struct Sqrt : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y); }
    public readonly struct Abs : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y); }
    public readonly struct Tanh : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => ExpFamily.Tanh(x, y); }

    /// <summary>1/(1+e^(−x)), computed without overflow for large |x|.</summary>
    public readonly struct Sigmoid : IUnaryKernel { public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => ExpFamily.Sigmoid(x, y); }

    /// <summary>sign(x): −1, 0 or 1, and 0 for NaN, as <c>torch.sign</c> (so |x|'s gradient at NaN is 0, as PyTorch's).</summary>
    public readonly struct Sign : IUnaryKernel
    {
        public void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? T.NegativeOne : T.Zero;
        }
    }
}
