using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>Runs one route of one pass on contiguous memory: the only place that maps a <see cref="ConvRoute"/> to its code.</summary>
internal static class ConvKernels
{
    /// <summary>
    /// Whether <paramref name="route"/> stores every element of <paramref name="pass"/>'s output on <paramref name="g"/>
    /// without reading it first, so that the output need not be zeroed (<c>F.Conv2dInto</c>, <c>F.ConvTranspose2dInto</c>,
    /// and the outputs ConvOp and ConvTransposeOp allocate): the direct forward (each output vector is one register
    /// block's store), the one-channel transposed routes (each phase tile is stored whole), the GEMM routes whose GEMM
    /// (β = 0: the first k-slice overwrites) or tile copy covers every output element of every image, group and pixel —
    /// the forward im2col routes, the whole-image GEMM and the one-pixel transposed GEMM — and the phase routes
    /// (PhaseGemm, DirectPhases, DirectPhasePlanes) when every output phase has taps (<see cref="EveryPhaseHasTaps"/>:
    /// each phase's tile is then stored whole; a phase without taps keeps its zeros, so those geometries are cleared).
    /// <c>ConvIntoTests</c> checks every route on outputs full of NaN.
    /// </summary>
    public static bool WritesEveryOutput(ConvRoute route, ConvPass pass, in ConvGeometry g) => (route, pass) switch
    {
        (ConvRoute.DirectRows, ConvPass.Forward) => true,
        (ConvRoute.Im2colImages or ConvRoute.Im2colTiles or ConvRoute.PointwiseGemm or ConvRoute.WholeImageGemm, ConvPass.Forward) => true,
        (ConvRoute.OneChannelFused or ConvRoute.OneChannelGeneral or ConvRoute.OnePixelGemm, ConvPass.InputGrad) => true,
        (ConvRoute.PhaseGemm or ConvRoute.DirectPhases or ConvRoute.DirectPhasePlanes, ConvPass.InputGrad) => EveryPhaseHasTaps(g),
        _ => false,
    };

    /// <summary>
    /// Whether every output phase of the transposed convolution (small → big) on <paramref name="g"/> receives at
    /// least one tap along every axis, and there are input channels to sum over: then the phase routes store every
    /// big-side element (a stride-2 layer with an even kernel, e.g. DCGAN's 4×4 s2; not a 1×1 kernel with stride 2).
    /// </summary>
    internal static bool EveryPhaseHasTaps(in ConvGeometry g)
    {
        if (g.SmallCg <= 0) return false;
        return Covers(g.BigD, g.SD, g.PD, g.DD, g.KD) && Covers(g.BigH, g.SH, g.PH, g.DH, g.KH) && Covers(g.BigW, g.SW, g.PW, g.DW, g.KW);

        static bool Covers(int big, int stride, int pad, int dilation, int kernel)
        {
            for (int s0 = 0; s0 < Math.Min(stride, big); s0++)
                if (ConvTranspose.Taps(s0, pad, stride, dilation, kernel).Taps.Length == 0) return false;
            return true;
        }
    }

    /// <summary>
    /// Computes <paramref name="pass"/> with <paramref name="route"/> into the zeroed, contiguous
    /// <paramref name="output"/>. Forward: a = big side (x), b = weight, output = small side (+ bias).
    /// InputGrad: a = small side (z), b = weight, output = big side (+ bias). WeightGrad: a = big side,
    /// b = small side (the output gradient), output = weight gradient (no bias).
    /// </summary>
    public static void Run<T>(ConvPass pass, ConvRoute route, in ConvGeometry g, ReadOnlyMemory<T> a, ReadOnlyMemory<T> b,
                              ReadOnlyMemory<T> bias, Memory<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!ConvPlanner.Applies(route, g, pass, ConvPlanner.Isa) && route != ConvRoute.Reference)
            throw new InvalidOperationException($"route {route} does not compute {pass} on {g}");
        switch (pass)
        {
            case ConvPass.Forward:
                switch (route)
                {
                    case ConvRoute.DirectRows: ConvDirect.Conv2dForward(g, a, b, bias, output); break;
                    case ConvRoute.DirectPlanes: ConvDirect.ConvPlanes(g, a, b, bias, output); break;
                    case ConvRoute.WholeImageGemm: Conv.WholeImageGemm(g, a, b, bias, output); break;
                    case ConvRoute.PointwiseGemm: Conv.Im2colGemm(g, a, b, bias, output, images: false, pointwise: true); break;
                    case ConvRoute.Im2colTiles: Conv.Im2colGemm(g, a, b, bias, output, images: false, pointwise: false); break;
                    case ConvRoute.Im2colImages: Conv.Im2colGemm(g, a, b, bias, output, images: true, pointwise: false); break;
                    default: Reference.Forward(g, a.Span, b.Span, bias.Span, output.Span); break;
                }
                break;
            case ConvPass.InputGrad:
                switch (route)
                {
                    case ConvRoute.DirectPhases: ConvDirect.ConvTransposeForward(g, a, b, output); break;
                    case ConvRoute.DirectPhasePlanes: ConvDirect.ConvTransposePlanes(g, a, b, output); break;
                    case ConvRoute.PointwiseTransposedGemm: ConvTranspose.PointwiseGemm(g, a, b, output); break;
                    case ConvRoute.OnePixelGemm: ConvTranspose.OnePixelGemm(g, a, b, output); break;
                    case ConvRoute.OneChannelFused: ConvTransposeOneChannel.Fused(g, a, b, output); break;
                    case ConvRoute.OneChannelGeneral: ConvTransposeOneChannel.General(g, a, b, output); break;
                    case ConvRoute.PhaseGemm: ConvTranspose.PhaseGemm(g, a, b, output); break;
                    case ConvRoute.Col2volGemm: Col2vol.Forward(g, a, b, output); break;
                    default: Reference.InputGrad(g, a.Span, b.Span, output.Span); break;
                }
                ConvTranspose.AddBias(g, bias, output);
                break;
            default:
                switch (route)
                {
                    case ConvRoute.WeightGradChannelsLast: ConvWeightGradChannelsLast.Compute(g, a, b, output); break;
                    case ConvRoute.WeightGradIm2col: ConvWeightGrad.Compute(g, a, b, output, pointwise: false); break;
                    case ConvRoute.WeightGradPointwise: ConvWeightGrad.Compute(g, a, b, output, pointwise: true); break;
                    default: Reference.WeightGrad(g, a.Span, b.Span, output.Span); break;
                }
                break;
        }
    }
}
