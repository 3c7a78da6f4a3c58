using MiniTorch.Functions;
using MiniTorch.Kernels;

namespace MiniTorch.Nn;

public static partial class F
{
    // ---- max pooling --------------------------------------------------------------------------

    /// <summary>
    /// Max pooling over the last dimension of [N, C, L] (or [C, L]), like <c>torch.nn.functional.max_pool1d</c>:
    /// windows of kernelSize taps dilation apart, stride apart (default: kernelSize), over an input
    /// padded with −∞; ties go to the first tap, a NaN is always taken.
    /// </summary>
    public static Tensor MaxPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;
    }

    /// <summary><see cref="MaxPool1d"/> with the int64 index (within each plane) of every maximum, like <c>max_pool1d(…, return_indices=True)</c>.</summary>
    public static (Tensor Output, Tensor Indices) MaxPool1dWithIndices(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool("max_pool1d", input, 1, [kernelSize], [stride ?? kernelSize], [padding], [dilation], ceilMode);
    }

    /// <summary>
    /// Max pooling over [N, C, H, W] (or [C, H, W]), like <c>torch.nn.functional.max_pool2d</c>:
    /// kernelSize, stride (default: kernelSize), padding (at most half the kernel; padded with −∞),
    /// dilation, ceilMode (a last, partial window if it starts inside the input or its left padding).
    /// </summary>
    /// <remarks>Ties go to the first tap in row-major order; the gradient flows to each window's maximum (grad_fn <c>MaxPool2DWithIndicesBackward0</c>).</remarks>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;
    }

    /// <summary><see cref="MaxPool2d"/> with the int64 index (h·W + w within each plane) of every maximum, like <c>F.max_pool2d_with_indices</c>.</summary>
    public static (Tensor Output, Tensor Indices) MaxPool2dWithIndices(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool("max_pool2d", input, 2, kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), (dilation ?? 1).ToArray(), ceilMode);
    }

    /// <summary>Max pooling over [N, C, D, H, W] (or [C, D, H, W]), like <c>torch.nn.functional.max_pool3d</c>.</summary>
    public static Tensor MaxPool3d(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool3dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Output;
    }

    /// <summary><see cref="MaxPool3d"/> with the int64 index ((d·H + h)·W + w within each plane) of every maximum.</summary>
    public static (Tensor Output, Tensor Indices) MaxPool3dWithIndices(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return MaxPool("max_pool3d", input, 3, kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), (dilation ?? 1).ToArray(), ceilMode);
    }

    private static (Tensor, Tensor) MaxPool(string op, Tensor input, int rank, int[] kernel, int[] stride, int[] padding, int[] dilation, bool ceilMode)
    {
        var g = Shape.Pool(op, rank, input.ShapeRef, kernel, stride, padding, dilation, ceilMode);
        return MaxPoolBackward.Apply(input, rank, Windows(g, countIncludePad: true), $"MaxPool{rank}DWithIndicesBackward0");
    }

    // The pooling windows of a geometry: big side = input, small side = output.
    private static Pool.Windows Windows(ConvGeometry g, bool countIncludePad) => new(
        PoolAxis.Regular(g.BigD, g.SmallD, g.KD, g.SD, g.PD, g.DD, countIncludePad),
        PoolAxis.Regular(g.BigH, g.SmallH, g.KH, g.SH, g.PH, g.DH, countIncludePad),
        PoolAxis.Regular(g.BigW, g.SmallW, g.KW, g.SW, g.PW, g.DW, countIncludePad));

    // ---- average pooling ----------------------------------------------------------------------

    /// <summary>
    /// Average pooling over the last dimension of [N, C, L] (or [C, L]), like
    /// <c>torch.nn.functional.avg_pool1d</c>: with countIncludePad the zero padding counts in the
    /// divisor (but not the part of a ceilMode window beyond it).
    /// </summary>
    public static Tensor AvgPool1d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AvgPool("avg_pool1d", input, 1, [kernelSize], [stride ?? kernelSize], [padding], ceilMode, countIncludePad, null);
    }

    /// <summary>
    /// Average pooling over [N, C, H, W] (or [C, H, W]), like <c>torch.nn.functional.avg_pool2d</c>:
    /// the window sum divided by divisorOverride if given, else by the window size (counting the zero
    /// padding with countIncludePad, but never a ceilMode window's part beyond the padding).
    /// </summary>
    /// <remarks>The gradient spreads g/divisor over each window; that adjoint is itself differentiable (its adjoint is this pooling).</remarks>
    public static Tensor AvgPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AvgPool("avg_pool2d", input, 2, kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), ceilMode, countIncludePad, divisorOverride);
    }

    /// <summary>Average pooling over [N, C, D, H, W] (or [C, D, H, W]), like <c>torch.nn.functional.avg_pool3d</c>.</summary>
    public static Tensor AvgPool3d(Tensor input, Size3 kernelSize, Size3? stride = null, Size3? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AvgPool("avg_pool3d", input, 3, kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), ceilMode, countIncludePad, divisorOverride);
    }

    private static Tensor AvgPool(string op, Tensor input, int rank, int[] kernel, int[] stride, int[] padding, bool ceilMode, bool countIncludePad, int? divisorOverride)
    {
        if (divisorOverride == 0) throw new ArgumentException("divisor must be not zero");
        var g = Shape.Pool(op, rank, input.ShapeRef, kernel, stride, padding, Enumerable.Repeat(1, rank).ToArray(), ceilMode);
        if (rank == 3) Shape.CheckAvgPool3dInput(input.ShapeRef, kernel);
        return AvgPoolBackward.Apply(input, rank, Windows(g, countIncludePad), divisorOverride, sequential: false, $"AvgPool{rank}DBackward0");
    }

    // ---- adaptive pooling ---------------------------------------------------------------------

    /// <summary>
    /// Adaptive average pooling of [N, C, L] (or [C, L]) to outputSize, like
    /// <c>torch.nn.functional.adaptive_avg_pool1d</c>: output o averages input [⌊o·L/out⌋, ⌈(o+1)·L/out⌉).
    /// </summary>
    public static Tensor AdaptiveAvgPool1d(Tensor input, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvg("adaptive_avg_pool1d", input, 1, [outputSize]);
    }

    /// <summary>Adaptive average pooling of [N, C, H, W] (or [C, H, W]) to outputSize, like <c>torch.nn.functional.adaptive_avg_pool2d</c>.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvg("adaptive_avg_pool2d", input, 2, outputSize.ToArray());
    }

    /// <summary>Adaptive average pooling with PyTorch's <c>None</c> entries: a null size keeps the input's.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int? outputH, int? outputW)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvg("adaptive_avg_pool2d", input, 2, Resolve(input, [outputH, outputW]));
    }

    /// <summary>Adaptive average pooling of [N, C, D, H, W] (or [C, D, H, W]) to outputSize, like <c>torch.nn.functional.adaptive_avg_pool3d</c>.</summary>
    public static Tensor AdaptiveAvgPool3d(Tensor input, Size3 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvg("adaptive_avg_pool3d", input, 3, outputSize.ToArray());
    }

    /// <summary>Adaptive max pooling of [N, C, L] (or [C, L]), like <c>torch.nn.functional.adaptive_max_pool1d</c>.</summary>
    public static Tensor AdaptiveMaxPool1d(Tensor input, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMaxPool1dWithIndices(input, outputSize).Output;
    }

    /// <summary><see cref="AdaptiveMaxPool1d"/> with the int64 index of every maximum.</summary>
    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool1dWithIndices(Tensor input, int outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMax("adaptive_max_pool1d", input, 1, [outputSize]);
    }

    /// <summary>Adaptive max pooling of [N, C, H, W] (or [C, H, W]), like <c>torch.nn.functional.adaptive_max_pool2d</c>.</summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, Size2 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMaxPool2dWithIndices(input, outputSize).Output;
    }

    /// <summary><see cref="AdaptiveMaxPool2d(Tensor, Size2)"/> with the int64 index (h·W + w) of every maximum.</summary>
    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool2dWithIndices(Tensor input, Size2 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMax("adaptive_max_pool2d", input, 2, outputSize.ToArray());
    }

    /// <summary>Adaptive max pooling with PyTorch's <c>None</c> entries: a null size keeps the input's.</summary>
    public static Tensor AdaptiveMaxPool2d(Tensor input, int? outputH, int? outputW)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMaxPool2dWithIndices(input, outputH, outputW).Output;
    }

    /// <summary><see cref="AdaptiveMaxPool2d(Tensor, int?, int?)"/> with the int64 index of every maximum.</summary>
    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool2dWithIndices(Tensor input, int? outputH, int? outputW)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMax("adaptive_max_pool2d", input, 2, Resolve(input, [outputH, outputW]));
    }

    /// <summary>Adaptive average pooling with PyTorch's <c>None</c> entries: a null size keeps the input's.</summary>
    public static Tensor AdaptiveAvgPool3d(Tensor input, int? outputD, int? outputH, int? outputW)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveAvg("adaptive_avg_pool3d", input, 3, Resolve(input, [outputD, outputH, outputW]));
    }

    /// <summary>Adaptive max pooling with PyTorch's <c>None</c> entries: a null size keeps the input's.</summary>
    public static Tensor AdaptiveMaxPool3d(Tensor input, int? outputD, int? outputH, int? outputW)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMaxPool3dWithIndices(input, outputD, outputH, outputW).Output;
    }

    /// <summary><see cref="AdaptiveMaxPool3d(Tensor, int?, int?, int?)"/> with the int64 index of every maximum.</summary>
    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool3dWithIndices(Tensor input, int? outputD, int? outputH, int? outputW)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMax("adaptive_max_pool3d", input, 3, Resolve(input, [outputD, outputH, outputW]));
    }

    /// <summary>Adaptive max pooling of [N, C, D, H, W] (or [C, D, H, W]), like <c>torch.nn.functional.adaptive_max_pool3d</c>.</summary>
    public static Tensor AdaptiveMaxPool3d(Tensor input, Size3 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMaxPool3dWithIndices(input, outputSize).Output;
    }

    /// <summary><see cref="AdaptiveMaxPool3d(Tensor, Size3)"/> with the int64 index (d·H·W + h·W + w) of every maximum.</summary>
    public static (Tensor Output, Tensor Indices) AdaptiveMaxPool3dWithIndices(Tensor input, Size3 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AdaptiveMax("adaptive_max_pool3d", input, 3, outputSize.ToArray());
    }

    private static int[] Resolve(Tensor input, int?[] sizes) =>
        sizes.Select((s, i) => s ?? (input.Dim >= sizes.Length ? input.ShapeRef[input.Dim - sizes.Length + i] : 1)).ToArray();

    private static Pool.Windows AdaptiveWindows(Tensor input, int rank, int[] output)
    {
        int[] Pad3(int[] v) => [.. Enumerable.Repeat(1, 3 - rank), .. v];
        var inSize = Pad3(input.ShapeRef[^rank..]);
        var outSize = Pad3(output);
        return new(PoolAxis.Adaptive(inSize[0], outSize[0]), PoolAxis.Adaptive(inSize[1], outSize[1]), PoolAxis.Adaptive(inSize[2], outSize[2]));
    }

    private static Tensor AdaptiveAvg(string op, Tensor input, int rank, int[] output)
    {
        // PyTorch answers an output of ones with a mean over the spatial dimensions before its checks, so an
        // empty plane gives NaN there rather than the "non-zero size" error of any other output size.
        if (output.All(o => o == 1) && input.Numel == 0 && (input.Dim == rank + 1 || input.Dim == rank + 2) && input.DType.IsFloatingPoint())
            return input.Mean([.. Enumerable.Range(input.Dim - rank, rank)], keepdim: true);
        Shape.CheckAdaptivePool(op, rank, input.ShapeRef, output);
        return AvgPoolBackward.Apply(input, rank, AdaptiveWindows(input, rank, output), null, sequential: true, $"AdaptiveAvgPool{rank}DBackward0");
    }

    private static (Tensor, Tensor) AdaptiveMax(string op, Tensor input, int rank, int[] output)
    {
        Shape.CheckAdaptivePool(op, rank, input.ShapeRef, output);
        return MaxPoolBackward.Apply(input, rank, AdaptiveWindows(input, rank, output), $"AdaptiveMaxPool{rank}DBackward0");
    }

    // ---- max unpooling ------------------------------------------------------------------------

    /// <summary>
    /// The partial inverse of <see cref="MaxPool1dWithIndices"/>, like <c>torch.nn.functional.max_unpool1d</c>:
    /// each value placed at its index in a zero tensor of length (L − 1)·stride − 2·padding + kernelSize
    /// (or <paramref name="outputSize"/>).
    /// </summary>
    public static Tensor MaxUnpool1d(Tensor input, Tensor indices, int kernelSize, int? stride = null, int padding = 0, int[]? outputSize = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(indices);
        return MaxUnpool("max_unpool1d", input, indices, 1, [kernelSize], [stride ?? kernelSize], [padding], outputSize);
    }

    /// <summary>
    /// The partial inverse of <see cref="MaxPool2dWithIndices"/>, like <c>torch.nn.functional.max_unpool2d</c>:
    /// values placed at their indices (h·W + w) in zeros of size (H − 1)·stride − 2·padding + kernelSize
    /// per dimension, or <paramref name="outputSize"/> (2 sizes, or 4 with N and C), which may be up to
    /// stride − 1 larger or smaller.
    /// </summary>
    /// <remarks>The gradient gathers g at the indices (grad_fn <c>MaxUnpool2DBackward0</c>).</remarks>
    public static Tensor MaxUnpool2d(Tensor input, Tensor indices, Size2 kernelSize, Size2? stride = null, Size2? padding = null, int[]? outputSize = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(indices);
        return MaxUnpool("max_unpool2d", input, indices, 2, kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), outputSize);
    }

    /// <summary>The partial inverse of <see cref="MaxPool3dWithIndices"/>, like <c>torch.nn.functional.max_unpool3d</c>.</summary>
    public static Tensor MaxUnpool3d(Tensor input, Tensor indices, Size3 kernelSize, Size3? stride = null, Size3? padding = null, int[]? outputSize = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(indices);
        return MaxUnpool("max_unpool3d", input, indices, 3, kernelSize.ToArray(), (stride ?? kernelSize).ToArray(), (padding ?? 0).ToArray(), outputSize);
    }

    private static Tensor MaxUnpool(string op, Tensor input, Tensor indices, int rank, int[] kernel, int[] stride, int[] padding, int[]? outputSize)
    {
        if (input.Dim != rank + 1 && input.Dim != rank + 2)
            throw new ArgumentException($"{op}: Expected {rank + 1}D or {rank + 2}D (batch mode) tensor for input, but got: {Shape.Format(input.ShapeRef)}");
        var size = Shape.UnpoolOutputSize(input.ShapeRef[^rank..], kernel, stride, padding, outputSize);
        return MaxUnpoolBackward.Apply(input, indices, rank, size, $"MaxUnpool{rank}DBackward0");
    }
}
