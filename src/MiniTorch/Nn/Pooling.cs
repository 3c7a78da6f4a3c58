using static MiniTorch.Nn.Py;

namespace MiniTorch.Nn;

/// <summary>How PyTorch prints a pooling size: an int when all sizes agree, else a tuple.</summary>
internal static class PoolRepr
{
    public static string Of(Size2 s) => s.H == s.W ? $"{s.H}" : s.ToString();
    public static string Of(Size3 s) => s.D == s.H && s.H == s.W ? $"{s.D}" : s.ToString();
}

/// <summary>Max pooling of [N, C, L] as a layer, like <c>torch.nn.MaxPool1d</c>; <see cref="ForwardWithIndices"/> also returns the indices.</summary>
public sealed class MaxPool1d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool returnIndices = false, bool ceilMode = false) : Module
{
    /// <summary>The window size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>The implicit −∞ padding on both sides.</summary>
    public int Padding { get; } = padding;
    /// <summary>The spacing of taps within a window.</summary>
    public int Dilation { get; } = dilation;
    /// <summary>Whether the indices are wanted (use <see cref="ForwardWithIndices"/> to get them).</summary>
    public bool ReturnIndices { get; } = returnIndices;
    /// <summary>Whether a last partial window is kept.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>The pooled output (PyTorch returns (output, indices) with return_indices; see <see cref="ForwardWithIndices"/>).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ForwardWithIndices(input).Output;
    }
    /// <summary>The pooled output and the int64 index of every maximum.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.MaxPool1dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);
    }
    /// <inheritdoc />
    public override string ToString() => $"MaxPool1d(kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={Str(CeilMode)})";
}

/// <summary>Max pooling of [N, C, H, W] as a layer, like <c>torch.nn.MaxPool2d</c>; <see cref="ForwardWithIndices"/> also returns the indices.</summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool returnIndices = false, bool ceilMode = false) : Module
{
    /// <summary>The window size.</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>The implicit −∞ padding on both sides.</summary>
    public Size2 Padding { get; } = padding ?? 0;
    /// <summary>The spacing of taps within a window.</summary>
    public Size2 Dilation { get; } = dilation ?? 1;
    /// <summary>Whether the indices are wanted (use <see cref="ForwardWithIndices"/> to get them).</summary>
    public bool ReturnIndices { get; } = returnIndices;
    /// <summary>Whether a last partial window is kept.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>The pooled output (PyTorch returns (output, indices) with return_indices; see <see cref="ForwardWithIndices"/>).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ForwardWithIndices(input).Output;
    }
    /// <summary>The pooled output and the int64 index (h·W + w) of every maximum.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.MaxPool2dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);
    }
    /// <inheritdoc />
    public override string ToString() =>
        $"MaxPool2d(kernel_size={PoolRepr.Of(KernelSize)}, stride={PoolRepr.Of(Stride)}, padding={PoolRepr.Of(Padding)}, dilation={PoolRepr.Of(Dilation)}, ceil_mode={Str(CeilMode)})";
}

/// <summary>Max pooling of [N, C, D, H, W] as a layer, like <c>torch.nn.MaxPool3d</c>; <see cref="ForwardWithIndices"/> also returns the indices.</summary>
public sealed class MaxPool3d(Size3 kernelSize, Size3? stride = null, Size3? padding = null, Size3? dilation = null, bool returnIndices = false, bool ceilMode = false) : Module
{
    /// <summary>The window size.</summary>
    public Size3 KernelSize { get; } = kernelSize;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public Size3 Stride { get; } = stride ?? kernelSize;
    /// <summary>The implicit −∞ padding on both sides.</summary>
    public Size3 Padding { get; } = padding ?? 0;
    /// <summary>The spacing of taps within a window.</summary>
    public Size3 Dilation { get; } = dilation ?? 1;
    /// <summary>Whether the indices are wanted (use <see cref="ForwardWithIndices"/> to get them).</summary>
    public bool ReturnIndices { get; } = returnIndices;
    /// <summary>Whether a last partial window is kept.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>The pooled output (see <see cref="ForwardWithIndices"/> for the indices).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ForwardWithIndices(input).Output;
    }
    /// <summary>The pooled output and the int64 index of every maximum.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.MaxPool3dWithIndices(input, KernelSize, Stride, Padding, Dilation, CeilMode);
    }
    /// <inheritdoc />
    public override string ToString() =>
        $"MaxPool3d(kernel_size={PoolRepr.Of(KernelSize)}, stride={PoolRepr.Of(Stride)}, padding={PoolRepr.Of(Padding)}, dilation={PoolRepr.Of(Dilation)}, ceil_mode={Str(CeilMode)})";
}

/// <summary>Average pooling of [N, C, L] as a layer, like <c>torch.nn.AvgPool1d</c>.</summary>
public sealed class AvgPool1d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true) : Module
{
    /// <summary>The window size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>The implicit zero padding on both sides.</summary>
    public int Padding { get; } = padding;
    /// <summary>Whether a last partial window is kept.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>Whether the zero padding counts in the divisor.</summary>
    public bool CountIncludePad { get; } = countIncludePad;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AvgPool1d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad);
    }
    /// <inheritdoc />
    public override string ToString() => $"AvgPool1d(kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},))";
}

/// <summary>Average pooling of [N, C, H, W] as a layer, like <c>torch.nn.AvgPool2d</c>.</summary>
public sealed class AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null) : Module
{
    /// <summary>The window size.</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>The implicit zero padding on both sides.</summary>
    public Size2 Padding { get; } = padding ?? 0;
    /// <summary>Whether a last partial window is kept.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>Whether the zero padding counts in the divisor.</summary>
    public bool CountIncludePad { get; } = countIncludePad;
    /// <summary>A fixed divisor instead of the window size, or null.</summary>
    public int? DivisorOverride { get; } = divisorOverride;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);
    }
    /// <inheritdoc />
    public override string ToString() => $"AvgPool2d(kernel_size={PoolRepr.Of(KernelSize)}, stride={PoolRepr.Of(Stride)}, padding={PoolRepr.Of(Padding)})";
}

/// <summary>Average pooling of [N, C, D, H, W] as a layer, like <c>torch.nn.AvgPool3d</c>.</summary>
public sealed class AvgPool3d(Size3 kernelSize, Size3? stride = null, Size3? padding = null, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null) : Module
{
    /// <summary>The window size.</summary>
    public Size3 KernelSize { get; } = kernelSize;
    /// <summary>The step between windows (the kernel size by default).</summary>
    public Size3 Stride { get; } = stride ?? kernelSize;
    /// <summary>The implicit zero padding on both sides.</summary>
    public Size3 Padding { get; } = padding ?? 0;
    /// <summary>Whether a last partial window is kept.</summary>
    public bool CeilMode { get; } = ceilMode;
    /// <summary>Whether the zero padding counts in the divisor.</summary>
    public bool CountIncludePad { get; } = countIncludePad;
    /// <summary>A fixed divisor instead of the window size, or null.</summary>
    public int? DivisorOverride { get; } = divisorOverride;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AvgPool3d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);
    }
    /// <inheritdoc />
    public override string ToString() => $"AvgPool3d(kernel_size={PoolRepr.Of(KernelSize)}, stride={PoolRepr.Of(Stride)}, padding={PoolRepr.Of(Padding)})";
}

/// <summary>Adaptive average pooling to a fixed length, like <c>torch.nn.AdaptiveAvgPool1d</c>.</summary>
public sealed class AdaptiveAvgPool1d(int outputSize) : Module
{
    /// <summary>The output length.</summary>
    public int OutputSize { get; } = outputSize;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveAvgPool1d(input, OutputSize);
    }
    /// <inheritdoc />
    public override string ToString() => $"AdaptiveAvgPool1d(output_size={OutputSize})";
}

/// <summary>Adaptive average pooling to a fixed size, like <c>torch.nn.AdaptiveAvgPool2d</c> (a null size keeps the input's, PyTorch's None).</summary>
public sealed class AdaptiveAvgPool2d : Module
{
    private readonly int? _h, _w;
    /// <summary>Creates the layer for an output of <paramref name="outputSize"/>.</summary>
    public AdaptiveAvgPool2d(Size2 outputSize) => (_h, _w) = (outputSize.H, outputSize.W);
    /// <summary>Creates the layer; a null size keeps the input's.</summary>
    public AdaptiveAvgPool2d(int? outputH, int? outputW) => (_h, _w) = (outputH, outputW);
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveAvgPool2d(input, _h, _w);
    }
    /// <inheritdoc />
    public override string ToString() => $"AdaptiveAvgPool2d(output_size=({Str(_h)}, {Str(_w)}))";
}

/// <summary>Adaptive average pooling to a fixed size, like <c>torch.nn.AdaptiveAvgPool3d</c> (a null size keeps the input's, PyTorch's None).</summary>
public sealed class AdaptiveAvgPool3d : Module
{
    private readonly int? _d, _h, _w;
    /// <summary>Creates the layer for an output of <paramref name="outputSize"/>.</summary>
    public AdaptiveAvgPool3d(Size3 outputSize) => (_d, _h, _w) = (outputSize.D, outputSize.H, outputSize.W);
    /// <summary>Creates the layer; a null size keeps the input's.</summary>
    public AdaptiveAvgPool3d(int? outputD, int? outputH, int? outputW) => (_d, _h, _w) = (outputD, outputH, outputW);
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveAvgPool3d(input, _d, _h, _w);
    }
    /// <inheritdoc />
    public override string ToString() => _d == _h && _h == _w && _d is { } v ? $"AdaptiveAvgPool3d(output_size={v})" : $"AdaptiveAvgPool3d(output_size=({Str(_d)}, {Str(_h)}, {Str(_w)}))";
}

/// <summary>Adaptive max pooling to a fixed length, like <c>torch.nn.AdaptiveMaxPool1d</c>.</summary>
public sealed class AdaptiveMaxPool1d(int outputSize, bool returnIndices = false) : Module
{
    /// <summary>The output length.</summary>
    public int OutputSize { get; } = outputSize;
    /// <summary>Whether the indices are wanted (use <see cref="ForwardWithIndices"/>).</summary>
    public bool ReturnIndices { get; } = returnIndices;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveMaxPool1d(input, OutputSize);
    }
    /// <summary>The pooled output and the int64 index of every maximum.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveMaxPool1dWithIndices(input, OutputSize);
    }
    /// <inheritdoc />
    public override string ToString() => $"AdaptiveMaxPool1d(output_size={OutputSize})";
}

/// <summary>Adaptive max pooling to a fixed size, like <c>torch.nn.AdaptiveMaxPool2d</c> (a null size keeps the input's, PyTorch's None).</summary>
public sealed class AdaptiveMaxPool2d : Module
{
    private readonly int? _h, _w;
    /// <summary>Creates the layer for an output of <paramref name="outputSize"/>.</summary>
    public AdaptiveMaxPool2d(Size2 outputSize, bool returnIndices = false) => (_h, _w, ReturnIndices) = (outputSize.H, outputSize.W, returnIndices);
    /// <summary>Creates the layer; a null size keeps the input's.</summary>
    public AdaptiveMaxPool2d(int? outputH, int? outputW, bool returnIndices = false) => (_h, _w, ReturnIndices) = (outputH, outputW, returnIndices);
    /// <summary>Whether the indices are wanted (use <see cref="ForwardWithIndices"/>).</summary>
    public bool ReturnIndices { get; }
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveMaxPool2d(input, _h, _w);
    }
    /// <summary>The pooled output and the int64 index (h·W + w) of every maximum.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveMaxPool2dWithIndices(input, _h, _w);
    }
    /// <inheritdoc />
    public override string ToString() => _h == _w && _h is { } v ? $"AdaptiveMaxPool2d(output_size={v})" : $"AdaptiveMaxPool2d(output_size=({Str(_h)}, {Str(_w)}))";
}

/// <summary>Adaptive max pooling to a fixed size, like <c>torch.nn.AdaptiveMaxPool3d</c> (a null size keeps the input's, PyTorch's None).</summary>
public sealed class AdaptiveMaxPool3d : Module
{
    private readonly int? _d, _h, _w;
    /// <summary>Creates the layer for an output of <paramref name="outputSize"/>.</summary>
    public AdaptiveMaxPool3d(Size3 outputSize, bool returnIndices = false) => (_d, _h, _w, ReturnIndices) = (outputSize.D, outputSize.H, outputSize.W, returnIndices);
    /// <summary>Creates the layer; a null size keeps the input's.</summary>
    public AdaptiveMaxPool3d(int? outputD, int? outputH, int? outputW, bool returnIndices = false) => (_d, _h, _w, ReturnIndices) = (outputD, outputH, outputW, returnIndices);
    /// <summary>Whether the indices are wanted (use <see cref="ForwardWithIndices"/>).</summary>
    public bool ReturnIndices { get; }
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveMaxPool3d(input, _d, _h, _w);
    }
    /// <summary>The pooled output and the int64 index (d·H·W + h·W + w) of every maximum.</summary>
    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.AdaptiveMaxPool3dWithIndices(input, _d, _h, _w);
    }
    /// <inheritdoc />
    public override string ToString() => _d == _h && _h == _w && _d is { } v ? $"AdaptiveMaxPool3d(output_size={v})" : $"AdaptiveMaxPool3d(output_size=({Str(_d)}, {Str(_h)}, {Str(_w)}))";
}

/// <summary>
/// What the max-unpooling layers share, like PyTorch's <c>_MaxUnpoolNd</c>: they take the pooled input
/// and its indices (<see cref="Forward(Tensor, Tensor, int[])"/>), never the input alone.
/// </summary>
public abstract class MaxUnpoolModule : Module
{
    private protected MaxUnpoolModule() { }

    /// <summary>Places each value at its index in a zero tensor of the default size or <paramref name="outputSize"/>.</summary>
    public Tensor Forward(Tensor input, Tensor indices, int[]? outputSize = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(indices);
        return Unpool(input, indices, outputSize);
    }

    /// <summary>Not supported: unpooling needs the indices.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        throw new NotSupportedException($"{GetType().Name} takes the pooled input and its indices: call Forward(input, indices)");
    }

    private protected abstract Tensor Unpool(Tensor input, Tensor indices, int[]? outputSize);
}

/// <summary>The partial inverse of <see cref="MaxPool1d"/>, like <c>torch.nn.MaxUnpool1d</c>: call <see cref="MaxUnpoolModule.Forward(Tensor, Tensor, int[])"/> with the indices.</summary>
public sealed class MaxUnpool1d(int kernelSize, int? stride = null, int padding = 0) : MaxUnpoolModule
{
    /// <summary>The pooling's window size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>The pooling's stride (the kernel size by default).</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>The pooling's padding.</summary>
    public int Padding { get; } = padding;
    private protected override Tensor Unpool(Tensor input, Tensor indices, int[]? outputSize) => F.MaxUnpool1d(input, indices, KernelSize, Stride, Padding, outputSize);
    /// <inheritdoc />
    public override string ToString() => $"MaxUnpool1d(kernel_size=({KernelSize},), stride=({Stride},), padding=({Padding},))";
}

/// <summary>The partial inverse of <see cref="MaxPool3d"/>, like <c>torch.nn.MaxUnpool3d</c>: call <see cref="MaxUnpoolModule.Forward(Tensor, Tensor, int[])"/> with the indices.</summary>
public sealed class MaxUnpool3d(Size3 kernelSize, Size3? stride = null, Size3? padding = null) : MaxUnpoolModule
{
    /// <summary>The pooling's window size.</summary>
    public Size3 KernelSize { get; } = kernelSize;
    /// <summary>The pooling's stride (the kernel size by default).</summary>
    public Size3 Stride { get; } = stride ?? kernelSize;
    /// <summary>The pooling's padding.</summary>
    public Size3 Padding { get; } = padding ?? 0;
    private protected override Tensor Unpool(Tensor input, Tensor indices, int[]? outputSize) => F.MaxUnpool3d(input, indices, KernelSize, Stride, Padding, outputSize);
    /// <inheritdoc />
    public override string ToString() => $"MaxUnpool3d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}

/// <summary>The partial inverse of <see cref="MaxPool2d"/>, like <c>torch.nn.MaxUnpool2d</c>: call <see cref="MaxUnpoolModule.Forward(Tensor, Tensor, int[])"/> with the indices.</summary>
public sealed class MaxUnpool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null) : MaxUnpoolModule
{
    /// <summary>The pooling's window size.</summary>
    public Size2 KernelSize { get; } = kernelSize;
    /// <summary>The pooling's stride (the kernel size by default).</summary>
    public Size2 Stride { get; } = stride ?? kernelSize;
    /// <summary>The pooling's padding.</summary>
    public Size2 Padding { get; } = padding ?? 0;
    private protected override Tensor Unpool(Tensor input, Tensor indices, int[]? outputSize) => F.MaxUnpool2d(input, indices, KernelSize, Stride, Padding, outputSize);
    /// <inheritdoc />
    public override string ToString() => $"MaxUnpool2d(kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}
