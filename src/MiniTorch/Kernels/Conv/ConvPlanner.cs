using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

/// <summary>
/// Which route computes a pass: one function, <see cref="Choose"/>, from the geometry, the pass and
/// the instruction set, with every threshold a named constant that cites the measurement that set
/// it; <see cref="Applies"/> says which routes can compute a geometry at all (the property test runs
/// every one of them against <see cref="ConvRoute.Reference"/>), <see cref="Describe"/> prints the
/// choice, and the environment variable <see cref="RouteVariable"/> (or <see cref="Force"/> in tests
/// and benchmarks) forces a route wherever it applies.
/// </summary>
/// <remarks>
/// 1-d geometries are 2-d ones with H = 1 and take the same routes; 3-d geometries (depth) take the
/// routes written for any rank: <see cref="ConvRoute.DirectRows"/>, <see cref="ConvRoute.DirectPlanes"/> and
/// <see cref="ConvRoute.DirectPhasePlanes"/> on AVX-512, <see cref="ConvRoute.Im2colTiles"/>/<see cref="ConvRoute.Im2colImages"/>
/// (vol2col), <see cref="ConvRoute.Col2volGemm"/>, <see cref="ConvRoute.WeightGradChannelsLast"/> and
/// <see cref="ConvRoute.WeightGradIm2col"/>, and the 1×1 and one-pixel GEMMs. Figures cited below are GFLOP per CPU-second on one thread from
/// <c>quick-conv layers</c> (tests/MiniTorch.Benchmarks/QuickConvLayers.cs) and BenchmarkDotNet rows of
/// docs/performance.md.
/// </remarks>
internal static class ConvPlanner
{
    /// <summary>The environment variable that forces a route by name (e.g. <c>Im2colTiles</c>) wherever it applies.</summary>
    public const string RouteVariable = "MINITORCH_CONV_ROUTE";

    /// <summary>
    /// The direct routes need at least this many channels per group on the side they compute (the
    /// 8-channel register block otherwise runs mostly empty). With 1 channel: DCGAN D's last layer
    /// and FSRCNN's upscaling layer take the GEMM / one-channel routes instead.
    /// </summary>
    public const int DirectMinChannels = 2;

    /// <summary>
    /// Strided convolutions with outputs narrower than this leave most of a 16-lane vector empty:
    /// DCGAN's 8×8 → 4×4 layer ran 31 GFLOP/s direct vs 45 by GEMM (<c>quick-conv layers-dcgan</c>).
    /// Unit-stride ones still win direct at 4 wide (33 vs 28).
    /// </summary>
    public const int DirectMinStridedWidth = 8;

    /// <summary>
    /// Strided layers with outputs at most this wide whose images the batched GEMM route can put side
    /// by side go there instead of the direct kernel: DCGAN's 16×16 → 8×8 layer, 11.5 → 8.2 ms
    /// (<c>quick-dcgan</c>); the transposed twin (small side under this width) 1.7× faster by phase GEMM.
    /// </summary>
    public const int BatchedMaxStridedWidth = 8;

    /// <summary>
    /// The channels-last weight gradient pays from this many big-side channels per group: it halved
    /// the Conv2d 3×3 64→64 weight gradient (<c>Conv3x3Benchmarks.WeightGrad</c>, docs/performance.md).
    /// </summary>
    public const int ChannelsLastMinChannels = 16;

    private static readonly AsyncLocal<ConvRoute?> Forced = new();
    private static readonly Lazy<ConvRoute?> FromEnvironment = new(ParseEnvironment);

    /// <summary>The machine's instruction set as the planner sees it.</summary>
    public static ConvIsa Isa =>
        Vector512.IsHardwareAccelerated ? ConvIsa.Vector512 : Vector256.IsHardwareAccelerated ? ConvIsa.Vector256 : ConvIsa.Scalar;

    /// <summary>The route the planner picks for <paramref name="pass"/> on <paramref name="g"/> with <paramref name="isa"/>.</summary>
    public static ConvRoute Choose(in ConvGeometry g, ConvPass pass, ConvIsa isa) => pass switch
    {
        ConvPass.Forward => ChooseForward(g, isa),
        ConvPass.InputGrad => ChooseInputGrad(g, isa),
        _ => ChooseWeightGrad(g),
    };

    private static ConvRoute ChooseForward(in ConvGeometry g, ConvIsa isa)
    {
        int rows = g.BigCg * g.Taps;
        bool batchable = g.N > 1 && Conv.ImagesFitTile(g.SmallPlane, rows);
        // Volumes whose output rows fold into fewer vectors than they fill row by row: ConvTranspose3d
        // 4×4×4 s2's input gradient (a stride-2 Conv3d onto 8×8 planes) went from 26–33 % of a core's FMA
        // rate by DirectRows to 58–70 % (quick-conv nd-tconv3d:input, per CPU-second). 2-d layers keep
        // their measured routes; Conv3d onto 32×32 planes stays on DirectRows (82 %).
        if (isa == ConvIsa.Vector512 && !g.IsPlanar && g.SmallCg >= DirectMinChannels && FoldingFills(g.SmallH, g.SmallW))
            return ConvRoute.DirectPlanes;
        if (isa == ConvIsa.Vector512 && g.SmallCg >= DirectMinChannels
            && (g.SW == 1 || g.SmallW >= DirectMinStridedWidth)
            && !(g.SW > 1 && g.SmallW <= BatchedMaxStridedWidth && batchable))
            return ConvRoute.DirectRows;
        if (IsWholeImage(g)) return ConvRoute.WholeImageGemm;
        if (g.IsPointwise) return ConvRoute.PointwiseGemm;
        return batchable ? ConvRoute.Im2colImages : ConvRoute.Im2colTiles;
    }

    private static ConvRoute ChooseInputGrad(in ConvGeometry g, ConvIsa isa)
    {
        bool onePixel = ConvTranspose.IsOnePixel(g);
        // Checked before the 1×1 GEMM: the direct kernel runs FSRCNN's 1×1 input gradients 2× faster
        // (104 vs 54 and 59 vs 34 GFLOP/s); one pixel filling the output stays a single GEMM.
        if (isa == ConvIsa.Vector512 && g.IsPlanar && !onePixel && g.BigCg >= DirectMinChannels
            && (g.SW == 1 || g.SmallW >= BatchedMaxStridedWidth))
            return PhaseRowsFold(g) ? ConvRoute.DirectPhasePlanes : ConvRoute.DirectPhases;
        if (g.IsPointwise) return ConvRoute.PointwiseTransposedGemm;
        if (onePixel) return ConvRoute.OnePixelGemm;
        if (!g.IsPlanar)
            return isa == ConvIsa.Vector512 && g.BigCg >= DirectMinChannels ? ConvRoute.DirectPhasePlanes : ConvRoute.Col2volGemm;
        if (g.BigCg == 1)
            return isa != ConvIsa.Scalar && ConvTransposeOneChannel.FusedApplies(g) ? ConvRoute.OneChannelFused : ConvRoute.OneChannelGeneral;
        return ConvRoute.PhaseGemm;
    }

    private static ConvRoute ChooseWeightGrad(in ConvGeometry g)
    {
        if (g.IsPointwise) return ConvRoute.WeightGradPointwise;
        if (g.BigCg >= ChannelsLastMinChannels) return ConvRoute.WeightGradChannelsLast;
        return ConvRoute.WeightGradIm2col;
    }

    /// <summary>Lanes of a float Vector512: the planner counts the direct kernels' vectors in these.</summary>
    public const int FloatLanes = 16;

    /// <summary>
    /// Whether folding the rows of h×w planes into vectors takes fewer vectors than filling them row by
    /// row (rows narrower than a vector, or ragged): the 3-d direct routes then use their folded layouts.
    /// </summary>
    internal static bool FoldingFills(int h, int w) => (h * w + FloatLanes - 1) / FloatLanes < h * ((w + FloatLanes - 1) / FloatLanes);

    /// <summary>
    /// Phase rows narrower than this many floats (and planes that fold into fewer vectors) take
    /// <see cref="ConvRoute.DirectPhasePlanes"/> instead of <see cref="ConvRoute.DirectPhases"/> in 2-d: the same chain of
    /// FMAs per output (bitwise equal), with rows folded into vectors instead of half-empty row vectors.
    /// DCGAN G's 128→64 4×4 s2 on 8×8 (D's 64→128 input gradient): 47 → 69 GFLOP per CPU-second, its
    /// 64→32 twin 45 → 64 (<c>quick-conv routes-g</c>); 16-wide phase rows (the 16×16 → 32×32 layer)
    /// stay on DirectPhases (50 vs 45).
    /// </summary>
    public const int FoldedMaxPhaseWidth = FloatLanes;

    /// <summary>Whether a 2-d transposed geometry's phase planes fold (<see cref="FoldedMaxPhaseWidth"/>).</summary>
    private static bool PhaseRowsFold(in ConvGeometry g)
    {
        int nh = (g.BigH + g.SH - 1) / g.SH, nw = (g.BigW + g.SW - 1) / g.SW;
        return nw < FoldedMaxPhaseWidth && FoldingFills(nh, nw);
    }

    /// <summary>The kernel covers the whole unpadded image: each image is one column.</summary>
    private static bool IsWholeImage(in ConvGeometry g) =>
        g.Groups == 1 && g.SmallPlane == 1 && g.KD == g.BigD && g.KH == g.BigH && g.KW == g.BigW && g.PD == 0 && g.PH == 0 && g.PW == 0;

    /// <summary>Whether <paramref name="route"/> computes <paramref name="pass"/> on <paramref name="g"/> (correctly, whatever its speed).</summary>
    public static bool Applies(ConvRoute route, in ConvGeometry g, ConvPass pass, ConvIsa isa) => (route, pass) switch
    {
        (ConvRoute.Reference, _) => true,
        (ConvRoute.DirectRows, ConvPass.Forward) => isa == ConvIsa.Vector512,
        (ConvRoute.DirectPlanes, ConvPass.Forward) => isa == ConvIsa.Vector512,
        (ConvRoute.WholeImageGemm, ConvPass.Forward) => IsWholeImage(g),
        (ConvRoute.PointwiseGemm, ConvPass.Forward) => g.IsPointwise,
        (ConvRoute.Im2colTiles, ConvPass.Forward) => true,
        (ConvRoute.Im2colImages, ConvPass.Forward) => !g.IsPointwise && g.SmallPlane <= Conv.TileCapacity(g.BigCg * g.Taps),
        (ConvRoute.DirectPhases, ConvPass.InputGrad) => isa == ConvIsa.Vector512 && g.IsPlanar,
        (ConvRoute.DirectPhasePlanes, ConvPass.InputGrad) => isa == ConvIsa.Vector512,
        (ConvRoute.PointwiseTransposedGemm, ConvPass.InputGrad) => g.IsPointwise,
        (ConvRoute.OnePixelGemm, ConvPass.InputGrad) => ConvTranspose.IsOnePixel(g),
        (ConvRoute.OneChannelFused, ConvPass.InputGrad) => isa != ConvIsa.Scalar && g.IsPlanar && g.BigCg == 1 && ConvTransposeOneChannel.FusedApplies(g),
        (ConvRoute.OneChannelGeneral, ConvPass.InputGrad) => g.IsPlanar && g.BigCg == 1,
        (ConvRoute.PhaseGemm, ConvPass.InputGrad) => g.IsPlanar,
        (ConvRoute.Col2volGemm, ConvPass.InputGrad) => true,
        (ConvRoute.WeightGradIm2col, ConvPass.WeightGrad) => true,
        (ConvRoute.WeightGradPointwise, ConvPass.WeightGrad) => g.IsPointwise,
        (ConvRoute.WeightGradChannelsLast, ConvPass.WeightGrad) => true,
        _ => false,
    };

    /// <summary>Every route that computes <paramref name="pass"/> on <paramref name="g"/>, Reference first.</summary>
    public static IEnumerable<ConvRoute> Applicable(ConvGeometry g, ConvPass pass, ConvIsa isa) =>
        Enum.GetValues<ConvRoute>().Where(r => Applies(r, g, pass, isa));

    /// <summary>
    /// The route that runs: a forced one (<see cref="Force"/>, else <see cref="RouteVariable"/>) where it
    /// applies, otherwise the planner's choice for this machine.
    /// </summary>
    public static ConvRoute Resolve(in ConvGeometry g, ConvPass pass)
    {
        var isa = Isa;
        if ((Forced.Value ?? FromEnvironment.Value) is { } forced && Applies(forced, g, pass, isa)) return forced;
        return Choose(g, pass, isa);
    }

    /// <summary>One line: the pass, the geometry and the route that runs, and why.</summary>
    public static string Describe(in ConvGeometry g, ConvPass pass) => $"{pass} on {g}: {RouteAndReason(g, pass)}";

    /// <summary>The route that runs for <paramref name="pass"/> and why, e.g. <c>DirectRows (planner, Vector512)</c>.</summary>
    public static string RouteAndReason(in ConvGeometry g, ConvPass pass)
    {
        var route = Resolve(g, pass);
        string why = route == Choose(g, pass, Isa) ? $"planner, {Isa}" : $"forced by {(Forced.Value is null ? RouteVariable : "ConvPlanner.Force")}";
        return $"{route} ({why})";
    }

    /// <summary>Forces <paramref name="route"/> (wherever it applies) on this async flow until the scope is disposed.</summary>
    public static IDisposable Force(ConvRoute? route)
    {
        var previous = Forced.Value;
        Forced.Value = route;
        return new Restore(() => Forced.Value = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static ConvRoute? ParseEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(RouteVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Enum.TryParse<ConvRoute>(text.Trim(), ignoreCase: true, out var r)
            ? r
            : throw new ArgumentException($"{RouteVariable}='{text}' names no convolution route; expected one of {string.Join(", ", Enum.GetNames<ConvRoute>())}");
    }
}
