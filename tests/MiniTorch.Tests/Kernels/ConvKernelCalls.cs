using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The kernel-level calls the convolution tests make: geometries from 2-d arguments, and each pass on
/// arrays with the planner's route for this machine, or (<c>allowDirect: false</c>) the route it
/// picks without the Vector512 direct kernels (the GEMM routes, to compare the two).
/// </summary>
internal static class ConvKernelCalls
{
    public static ConvGeometry Conv2d(int[] input, int[] weight, int[]? bias, Size2 stride, Padding2d padding, Size2 dilation, int groups) =>
        Shape.Conv(input, weight, bias, stride.ToArray(), padding.ToConv(), dilation.ToArray(), groups);

    public static ConvGeometry ConvTranspose2d(int[] input, int[] weight, int[]? bias, Size2 stride, Padding2d padding, Size2 outputPadding, int groups, Size2 dilation) =>
        Shape.ConvTranspose(input, weight, bias, stride.ToArray(), padding.ToConv(), outputPadding.ToArray(), groups, dilation.ToArray());

    /// <summary>The route that runs here (a forced one where it applies, as <c>ConvPlanner.Resolve</c>), or without the direct kernels the planner's Vector256 choice.</summary>
    private static ConvRoute Route(in ConvGeometry g, ConvPass pass, bool allowDirect) =>
        allowDirect || ConvPlanner.Isa != ConvIsa.Vector512 ? ConvPlanner.Resolve(g, pass) : ConvPlanner.Choose(g, pass, ConvIsa.Vector256);

    /// <summary>The convolution (big → small) with bias.</summary>
    public static void Forward<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y, bool allowDirect = true)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ConvKernels.Run(ConvPass.Forward, Route(g, ConvPass.Forward, allowDirect), g, x, w, bias, y);

    /// <summary>The transposed convolution (small → big) with bias, into a zeroed y.</summary>
    public static void TransposeForward<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y, bool allowDirect = true)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ConvKernels.Run(ConvPass.InputGrad, Route(g, ConvPass.InputGrad, allowDirect), g, z, w, bias, y);

    /// <summary>The transposed convolution (small → big, no bias) by <paramref name="route"/> on <paramref name="threads"/> threads, into an output filled with <paramref name="fill"/>.</summary>
    public static T[] TransposeByRoute<T>(ConvRoute route, in ConvGeometry g, T[] z, T[] w, int threads, T fill) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var y = new T[g.N * g.BigC * g.BigPlane];
        Array.Fill(y, fill);
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            ConvKernels.Run<T>(ConvPass.InputGrad, route, g, z, w, ReadOnlyMemory<T>.Empty, y);
        }
        finally { Torch.SetNumThreads(saved); }
        return y;
    }

    /// <summary>The weight gradient, by the planner's route (or a forced one).</summary>
    public static void WeightGrad<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        ConvKernels.Run(ConvPass.WeightGrad, ConvPlanner.Resolve(g, ConvPass.WeightGrad), g, x, gy, ReadOnlyMemory<T>.Empty, gw);
}
