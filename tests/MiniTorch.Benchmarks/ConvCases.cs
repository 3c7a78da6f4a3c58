using System.Numerics;
using MiniTorch.Kernels;
using MiniTorch.Nn;
using MiniTorch.Tests.Kernels;

namespace MiniTorch.Benchmarks;

/// <summary>
/// The convolution shapes of the speed issue as kernel calls on preallocated arrays, shared by the
/// BenchmarkDotNet classes and the stopwatch check (`quick-conv`). FLOPs are 2 per multiply-add of the
/// mathematical definition; for transposed convolution inserted zeros do not count.
/// </summary>
internal sealed class ConvCase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly ConvGeometry G;
    public readonly T[] Big, Small, Weight, WeightGrad;

    /// <summary>FLOPs of one forward (= one input gradient = one weight gradient): 2·N·K·(small pixels)·Cg·(kernel taps).</summary>
    public double Flops => 2.0 * G.N * G.SmallC * G.SmallPlane * G.BigCg * G.Taps;

    private ConvCase(ConvGeometry g, int seed)
    {
        G = g;
        var rng = new Random(seed);
        Big = Fill(rng, g.N * g.BigC * g.BigPlane);
        Small = Fill(rng, g.N * g.SmallC * g.SmallPlane);
        Weight = Fill(rng, g.SmallC * g.BigCg * g.Taps);
        WeightGrad = new T[Weight.Length];
    }

    /// <summary>Conv2d(c → k, kernel, stride, padding) on an input [n, c, h, w].</summary>
    public static ConvCase<T> Conv2d(int n, int c, int h, int w, int k, int kernel, int stride, int padding) =>
        new(ConvKernelCalls.Conv2d([n, c, h, w], [k, c, kernel, kernel], null, stride, new Padding2d(padding, padding), 1, 1), 1);

    /// <summary>ConvTranspose2d(c → k, kernel, stride, padding, outputPadding) on an input [n, c, h, w].</summary>
    public static ConvCase<T> ConvTranspose2d(int n, int c, int h, int w, int k, int kernel, int stride, int padding, int outputPadding) =>
        new(ConvKernelCalls.ConvTranspose2d([n, c, h, w], [c, k, kernel, kernel], null, stride, new Padding2d(padding, padding), outputPadding, 1, 1), 2);

    /// <summary>A convolution of any rank (c → k) on an input [n, c, size…] with a cubic kernel, stride and padding.</summary>
    public static ConvCase<T> ConvNd(int n, int c, int[] size, int k, int kernel, int stride, int padding) =>
        new(Shape.Conv([n, c, .. size], [k, c, .. size.Select(_ => kernel)], null, [.. size.Select(_ => stride)],
                       new ConvPadding(ConvPaddingKind.Explicit, [.. size.Select(_ => padding)]), [.. size.Select(_ => 1)], 1), 3);

    /// <summary>A transposed convolution of any rank (c → k) on an input [n, c, size…] with a cubic kernel, stride and padding.</summary>
    public static ConvCase<T> ConvTransposeNd(int n, int c, int[] size, int k, int kernel, int stride, int padding) =>
        new(Shape.ConvTranspose([n, c, .. size], [c, k, .. size.Select(_ => kernel)], null, [.. size.Select(_ => stride)],
                                new ConvPadding(ConvPaddingKind.Explicit, [.. size.Select(_ => padding)]), [.. size.Select(_ => 0)], 1,
                                [.. size.Select(_ => 1)]), 4);

    /// <summary>The route each pass takes here, as <c>ConvPlanner.Describe</c> prints it.</summary>
    public string Describe(ConvPass pass) => ConvPlanner.Describe(G, pass);

    private static T[] Fill(Random rng, int count)
    {
        var a = GC.AllocateUninitializedArray<T>(count);
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>Big → small: Conv2d's forward, or ConvTranspose2d's input gradient.</summary>
    public void Convolve() => ConvKernelCalls.Forward<T>(G, Big, Weight, ReadOnlyMemory<T>.Empty, Small);

    /// <summary>Small → big: ConvTranspose2d's forward, or Conv2d's input gradient.</summary>
    public void ConvolveTransposed() => ConvKernelCalls.TransposeForward<T>(G, Small, Weight, ReadOnlyMemory<T>.Empty, Big);

    /// <summary><see cref="Convolve"/> forced onto the GEMM route (for comparing routes).</summary>
    public void ConvolveGemm() => ConvKernelCalls.Forward<T>(G, Big, Weight, ReadOnlyMemory<T>.Empty, Small, allowDirect: false);

    /// <summary><see cref="ConvolveTransposed"/> forced onto the GEMM route (for comparing routes).</summary>
    public void ConvolveTransposedGemm() => ConvKernelCalls.TransposeForward<T>(G, Small, Weight, ReadOnlyMemory<T>.Empty, Big, allowDirect: false);

    /// <summary>The weight gradient of either op.</summary>
    public void WeightGradient() => ConvKernelCalls.WeightGrad<T>(G, Big, Small, WeightGrad);
}

/// <summary>The shapes, by name.</summary>
internal static class ConvShapes
{
    /// <summary>Conv2d 3×3, 64→64, padding 1 on 8×64×64×64.</summary>
    public static ConvCase<T> Conv3x3<T>() where T : unmanaged, IFloatingPointIeee754<T> => ConvCase<T>.Conv2d(8, 64, 64, 64, 64, 3, 1, 1);

    /// <summary>ConvTranspose2d 4×4, stride 2, padding 1, 64→32 on 8×64×32×32.</summary>
    public static ConvCase<T> Transposed4x4<T>() where T : unmanaged, IFloatingPointIeee754<T> => ConvCase<T>.ConvTranspose2d(8, 64, 32, 32, 32, 4, 2, 1, 0);

    /// <summary>Conv3d 3×3×3, 32→32, padding 1 on 4×32×32×32×32.</summary>
    public static ConvCase<T> Conv3d<T>() where T : unmanaged, IFloatingPointIeee754<T> => ConvCase<T>.ConvNd(4, 32, [32, 32, 32], 32, 3, 1, 1);

    /// <summary>ConvTranspose3d 4×4×4, stride 2, padding 1, 64→32 on 4×64×8×8×8.</summary>
    public static ConvCase<T> ConvTranspose3d<T>() where T : unmanaged, IFloatingPointIeee754<T> => ConvCase<T>.ConvTransposeNd(4, 64, [8, 8, 8], 32, 4, 2, 1);

    /// <summary>Conv1d k9, 64→64, padding 4 on 16×64×4096.</summary>
    public static ConvCase<T> Conv1d<T>() where T : unmanaged, IFloatingPointIeee754<T> => ConvCase<T>.ConvNd(16, 64, [4096], 64, 9, 1, 4);

    /// <summary>FSRCNN's last layer, ConvTranspose2d(56, 1, 9, stride 2, padding 4, output_padding 1) on 1×56×1080×1920.</summary>
    public static ConvCase<T> Fsrcnn<T>() where T : unmanaged, IFloatingPointIeee754<T> => ConvCase<T>.ConvTranspose2d(1, 56, 1080, 1920, 1, 9, 2, 4, 1);
}
