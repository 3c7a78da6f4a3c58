using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// What ConvOp, ConvTransposeOp, ConvWeightGradOp and the <c>F.*Into</c> functions share: operands
/// made contiguous, the route resolved by <see cref="ConvPlanner"/>, the dtype dispatch, and the call
/// into <see cref="ConvKernels"/>. Records nothing.
/// </summary>
internal static class ConvCall
{
    /// <summary>
    /// Computes <paramref name="pass"/> on <paramref name="g"/> into the zeroed, contiguous <paramref name="output"/>
    /// (operand roles as in <see cref="ConvKernels.Run{T}"/>), with <paramref name="route"/> or the planner's choice.
    /// </summary>
    public static void Run(ConvPass pass, in ConvGeometry g, Tensor a, Tensor b, Tensor? bias, Tensor output, ConvRoute? route = null)
    {
        var r = route ?? ConvPlanner.Resolve(g, pass);
        using (Torch.NoGrad())
        {
            var (ac, bc, biasC) = (a.Contiguous(), b.Contiguous(), bias?.Contiguous());
            if (output.DType == DType.Float32) ConvKernels.Run(pass, r, g, Mem<float>(ac), Mem<float>(bc), Mem<float>(biasC), Mem<float>(output));
            else ConvKernels.Run(pass, r, g, Mem<double>(ac), Mem<double>(bc), Mem<double>(biasC), Mem<double>(output));
        }
    }

    /// <summary>
    /// A new output for <paramref name="pass"/> on <paramref name="g"/> by <paramref name="route"/>: zeroed, as the kernels
    /// expect, unless the route stores every element without reading it (<see cref="ConvKernels.WritesEveryOutput"/>),
    /// which makes the clear a wasted pass over memory (DCGAN's example: about 8 MB a step for the forward routes, and
    /// about as much again for the phase routes of its 4×4 stride-2 input gradients and transposed convolutions).
    /// </summary>
    public static Tensor Output(in ConvGeometry g, int[] shape, DType dtype, ConvRoute route, ConvPass pass) =>
        ConvKernels.WritesEveryOutput(route, pass, g) ? Map.Output(shape, dtype) : Torch.Zeros(shape, dtype);

    /// <summary>The elements of a contiguous tensor as memory (empty for null).</summary>
    internal static Memory<T> Mem<T>(Tensor? t) where T : unmanaged =>
        t is null ? Memory<T>.Empty : new Memory<T>(t.Data<T>(), t.Offset, t.Numel);
}
