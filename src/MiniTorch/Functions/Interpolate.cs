using System.Numerics;
using MiniTorch.Autograd;
using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Functions;

/// <summary>
/// A fully resolved 2-D resampling of [N, C, H, W] tensors: mode, sizes, corner alignment and the
/// scale factors PyTorch passes to its kernel (null when it derives them from the sizes). Every
/// mode is linear in its input; <see cref="Forward"/> applies the map and <see cref="Adjoint"/> its transpose.
/// </summary>
internal sealed record ResamplePlan(InterpolationMode Mode, int InH, int InW, int OutH, int OutW,
                                    bool AlignCorners, double? ScaleH, double? ScaleW)
{
    /// <summary>The grad_fn name PyTorch gives the forward op (the adjoint inserts "Backward").</summary>
    public string Name => Mode switch
    {
        InterpolationMode.Nearest => "UpsampleNearest2DBackward1",
        InterpolationMode.NearestExact => "UpsampleNearestExact2DBackward1",
        InterpolationMode.Bilinear => "UpsampleBilinear2DBackward1",
        InterpolationMode.Bicubic => "UpsampleBicubic2DBackward1",
        _ => "AdaptiveAvgPool2DBackward0",
    };

    /// <summary>Resamples x [N, C, InH, InW] to [N, C, OutH, OutW] (no graph recording).</summary>
    public Tensor Forward(Tensor x) => Run(x, InH, InW, OutH, OutW, adjoint: false);

    /// <summary>The transpose: maps g [N, C, OutH, OutW] to [N, C, InH, InW] (no graph recording).</summary>
    public Tensor Adjoint(Tensor g) => Run(g, OutH, OutW, InH, InW, adjoint: true);

    private Tensor Run(Tensor t, int fromH, int fromW, int toH, int toW, bool adjoint)
    {
        var src = t.Detach().Contiguous();
        int n = src.ShapeRef[0], c = src.ShapeRef[1];
        if (src.ShapeRef[2] != fromH || src.ShapeRef[3] != fromW)
            throw new ArgumentException($"{Name}: expected a tensor of shape [N, C, {fromH}, {fromW}], got {Shape.Format(src.ShapeRef)}");
        var dst = Torch.Zeros([n, c, toH, toW], src.DType);
        if (src.DType == DType.Float32) Run<float>(src, dst, n * c, adjoint);
        else Run<double>(src, dst, n * c, adjoint);
        return dst;
    }

    private void Run<T>(Tensor src, Tensor dst, int planes, bool adjoint) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var from = new ReadOnlyMemory<T>(src.Data<T>(), src.Offset, src.Numel);
        var to = new Memory<T>(dst.Data<T>(), dst.Offset, dst.Numel);
        if (Mode == InterpolationMode.Area)
        {
            var hw = Interpolate.AreaWindows(InH, OutH);
            var ww = Interpolate.AreaWindows(InW, OutW);
            if (adjoint) Interpolate.AreaAdjoint(from, planes, InH, InW, hw, ww, to);
            else Interpolate.AreaForward(from, planes, InH, InW, hw, ww, to);
            return;
        }
        var h = Taps<T>(InH, OutH, ScaleH);
        var w = Taps<T>(InW, OutW, ScaleW);
        if (adjoint) Interpolate.SeparableAdjoint(from, planes, h, w, to);
        else Interpolate.Separable(from, planes, h, w, to);
    }

    private AxisTaps<T> Taps<T>(int inSize, int outSize, double? scale) where T : unmanaged, IFloatingPointIeee754<T> => Mode switch
    {
        InterpolationMode.Nearest => Interpolate.NearestTaps<T>(inSize, outSize, scale, exact: false),
        InterpolationMode.NearestExact => Interpolate.NearestTaps<T>(inSize, outSize, scale, exact: true),
        InterpolationMode.Bilinear => Interpolate.LinearTaps<T>(inSize, outSize, AlignCorners, scale),
        _ => Interpolate.CubicTaps<T>(inSize, outSize, AlignCorners, scale),
    };
}

/// <summary>
/// Resampling of [N, C, H, W] by any <see cref="InterpolationMode"/> (<c>upsample_*2d</c> and
/// <c>adaptive_avg_pool2d</c> in PyTorch).
/// </summary>
/// <remarks>
/// y = R·x for a fixed sparse matrix R (nearest: one 1 per row; bilinear/bicubic: products of
/// per-axis weights; area: window means). Effectively computes every output pixel as a weighted
/// sum of input pixels. ∂/∂x = Rᵀ·g, which is <see cref="InterpolateAdjoint"/>; the two ops are each
/// other's backward, as Conv2d and ConvTranspose2d are.
/// </remarks>
internal sealed class InterpolateFunction : Function
{
    private ResamplePlan _plan = null!;
    public override string Name => _plan.Name;

    public static Tensor Apply(Tensor x, ResamplePlan plan) =>
        new InterpolateFunction { _plan = plan }.Record(plan.Forward(x), x);

    protected internal override Tensor?[] Backward(Tensor g) => [InterpolateAdjoint.Apply(g, _plan)];
}
