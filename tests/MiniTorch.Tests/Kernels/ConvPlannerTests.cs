using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The planner's table: the route every DCGAN and FSRCNN layer takes in each pass (the layer's forward,
/// input gradient and weight gradient) on an AVX-512 machine and on one with only Vector256, as
/// docs/performance.md lists it. A change of a threshold that moves a main-job layer shows up here.
/// </summary>
public class ConvPlannerTests
{
    private const ConvRoute Direct = ConvRoute.DirectRows, Phases = ConvRoute.DirectPhases;

    /// <summary>Per layer: (forward, input gradient, weight gradient) with Vector512, then with Vector256.</summary>
    private static readonly Dictionary<string, (ConvRoute[] V512, ConvRoute[] V256)> Expected = new()
    {
        ["DCGAN G convT 100→256 4×4 (1×1 → 4×4)"] = ([ConvRoute.OnePixelGemm, Direct, ConvRoute.WeightGradChannelsLast],
                                                     [ConvRoute.OnePixelGemm, ConvRoute.WholeImageGemm, ConvRoute.WeightGradChannelsLast]),
        ["DCGAN G convT 256→128 4×4 s2 (4×4 → 8×8)"] = ([ConvRoute.PhaseGemm, ConvRoute.Im2colImages, ConvRoute.WeightGradChannelsLast],
                                                        [ConvRoute.PhaseGemm, ConvRoute.Im2colImages, ConvRoute.WeightGradChannelsLast]),
        ["DCGAN G convT 128→64 4×4 s2 (8×8 → 16×16)"] = ([ConvRoute.DirectPhasePlanes, ConvRoute.Im2colImages, ConvRoute.WeightGradChannelsLast],
                                                         [ConvRoute.PhaseGemm, ConvRoute.Im2colImages, ConvRoute.WeightGradChannelsLast]),
        ["DCGAN G convT 64→3 4×4 s2 (16×16 → 32×32)"] = ([Phases, Direct, ConvRoute.WeightGradIm2col],
                                                         [ConvRoute.PhaseGemm, ConvRoute.Im2colImages, ConvRoute.WeightGradIm2col]),
        ["DCGAN D conv 3→64 4×4 s2 (32×32 → 16×16)"] = ([Direct, Phases, ConvRoute.WeightGradIm2col],
                                                        [ConvRoute.Im2colImages, ConvRoute.PhaseGemm, ConvRoute.WeightGradIm2col]),
        ["DCGAN D conv 64→128 4×4 s2 (16×16 → 8×8)"] = ([ConvRoute.Im2colImages, ConvRoute.DirectPhasePlanes, ConvRoute.WeightGradChannelsLast],
                                                        [ConvRoute.Im2colImages, ConvRoute.PhaseGemm, ConvRoute.WeightGradChannelsLast]),
        ["DCGAN D conv 128→256 4×4 s2 (8×8 → 4×4)"] = ([ConvRoute.Im2colImages, ConvRoute.PhaseGemm, ConvRoute.WeightGradChannelsLast],
                                                       [ConvRoute.Im2colImages, ConvRoute.PhaseGemm, ConvRoute.WeightGradChannelsLast]),
        ["DCGAN D conv 256→1 4×4 (4×4 → 1×1)"] = ([ConvRoute.WholeImageGemm, ConvRoute.OnePixelGemm, ConvRoute.WeightGradChannelsLast],
                                                  [ConvRoute.WholeImageGemm, ConvRoute.OnePixelGemm, ConvRoute.WeightGradChannelsLast]),
        ["FSRCNN conv 1→56 5×5 p2"] = ([Direct, ConvRoute.OneChannelGeneral, ConvRoute.WeightGradIm2col],
                                      [ConvRoute.Im2colTiles, ConvRoute.OneChannelGeneral, ConvRoute.WeightGradIm2col]),
        ["FSRCNN conv 56→12 1×1"] = ([Direct, Phases, ConvRoute.WeightGradPointwise],
                                    [ConvRoute.PointwiseGemm, ConvRoute.PointwiseTransposedGemm, ConvRoute.WeightGradPointwise]),
        ["FSRCNN conv 12→12 3×3 p1 (×4)"] = ([Direct, Phases, ConvRoute.WeightGradIm2col],
                                            [ConvRoute.Im2colTiles, ConvRoute.PhaseGemm, ConvRoute.WeightGradIm2col]),
        ["FSRCNN conv 12→56 1×1"] = ([Direct, Phases, ConvRoute.WeightGradPointwise],
                                    [ConvRoute.PointwiseGemm, ConvRoute.PointwiseTransposedGemm, ConvRoute.WeightGradPointwise]),
        ["FSRCNN convT 56→1 9×9 s2 p4 op1"] = ([ConvRoute.OneChannelFused, Direct, ConvRoute.WeightGradIm2col],
                                              [ConvRoute.OneChannelFused, ConvRoute.Im2colTiles, ConvRoute.WeightGradIm2col]),
    };

    public static TheoryData<string> Layers() => new(ConvLayerTable.Dcgan.Concat(ConvLayerTable.Fsrcnn).Select(l => l.Name));

    [Theory]
    [MemberData(nameof(Layers))]
    public void MainJobLayer_TakesItsRoute_InEveryPass(string name)
    {
        var layer = ConvLayerTable.Dcgan.Concat(ConvLayerTable.Fsrcnn).Single(l => l.Name == name);
        var (v512, v256) = Expected[name];
        var passes = ConvLayerTable.Passes(layer);
        for (int i = 0; i < passes.Length; i++)
        {
            Assert.Equal(v512[i], ConvPlanner.Choose(layer.Geometry, passes[i], ConvIsa.Vector512));
            Assert.Equal(v256[i], ConvPlanner.Choose(layer.Geometry, passes[i], ConvIsa.Vector256));
            // Whatever it picks, the planner's route applies to the geometry.
            Assert.True(ConvPlanner.Applies(v512[i], layer.Geometry, passes[i], ConvIsa.Vector512));
        }
    }

    [Fact]
    public void Describe_NamesThePassGeometryAndRoute()
    {
        var g = ConvLayerTable.Fsrcnn[4].Geometry;
        string text = ConvPlanner.Describe(g, ConvPass.InputGrad);
        Assert.StartsWith("InputGrad on big [1, 1, 2160, 3840], small [1, 56, 1080, 1920], kernel [9, 9], stride [2, 2], padding [4, 4]", text);
        Assert.Contains(ConvPlanner.Resolve(g, ConvPass.InputGrad).ToString(), text);
    }

    [Fact]
    public void Force_RunsTheForcedRoute_WhereItApplies_AndThePlannersElsewhere()
    {
        var g = ConvLayerTable.Dcgan[5].Geometry;
        using (ConvPlanner.Force(ConvRoute.Im2colTiles))
        {
            Assert.Equal(ConvRoute.Im2colTiles, ConvPlanner.Resolve(g, ConvPass.Forward));
            Assert.Contains("forced", ConvPlanner.Describe(g, ConvPass.Forward));
            // A forward route does not compute the weight gradient: the planner's choice runs there.
            Assert.Equal(ConvPlanner.Choose(g, ConvPass.WeightGrad, ConvPlanner.Isa), ConvPlanner.Resolve(g, ConvPass.WeightGrad));
        }
        Assert.Equal(ConvPlanner.Choose(g, ConvPass.Forward, ConvPlanner.Isa), ConvPlanner.Resolve(g, ConvPass.Forward));
    }

    [Fact]
    public void RankOneAndThree_TakePlanarAndVolumeRoutes()
    {
        // 1-d is 2-d with H = 1: the direct kernel on AVX-512.
        var conv1d = Shape.Conv([16, 64, 4096], [64, 64, 9], null, [1], new ConvPadding(ConvPaddingKind.Explicit, [4]), [1], 1);
        Assert.True(conv1d.IsPlanar);
        Assert.Equal(Direct, ConvPlanner.Choose(conv1d, ConvPass.Forward, ConvIsa.Vector512));
        Assert.Equal(Phases, ConvPlanner.Choose(conv1d, ConvPass.InputGrad, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(conv1d, ConvPass.WeightGrad, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.Im2colTiles, ConvPlanner.Choose(conv1d, ConvPass.Forward, ConvIsa.Vector256));
        Assert.Equal(ConvRoute.PhaseGemm, ConvPlanner.Choose(conv1d, ConvPass.InputGrad, ConvIsa.Vector256));
        // 3-d with depth: the direct kernel with depth taps on AVX-512, vol2col × GEMM without it, and the volume routes.
        var conv3d = Shape.Conv([4, 32, 32, 32, 32], [32, 32, 3, 3, 3], null, [1, 1, 1], new ConvPadding(ConvPaddingKind.Explicit, [1, 1, 1]), [1, 1, 1], 1);
        Assert.False(conv3d.IsPlanar);
        Assert.Equal(Direct, ConvPlanner.Choose(conv3d, ConvPass.Forward, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.Im2colTiles, ConvPlanner.Choose(conv3d, ConvPass.Forward, ConvIsa.Vector256));
        Assert.Equal(ConvRoute.DirectPhasePlanes, ConvPlanner.Choose(conv3d, ConvPass.InputGrad, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.Col2volGemm, ConvPlanner.Choose(conv3d, ConvPass.InputGrad, ConvIsa.Vector256));
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(conv3d, ConvPass.WeightGrad, ConvIsa.Vector512));
        // A stride-2 volume layer with 8-wide rows: both directions fold rows into vectors.
        var convT3d = Shape.ConvTranspose([4, 64, 8, 8, 8], [64, 32, 4, 4, 4], null, [2, 2, 2], new ConvPadding(ConvPaddingKind.Explicit, [1, 1, 1]), [0, 0, 0], 1, [1, 1, 1]);
        Assert.Equal(ConvRoute.DirectPhasePlanes, ConvPlanner.Choose(convT3d, ConvPass.InputGrad, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.Col2volGemm, ConvPlanner.Choose(convT3d, ConvPass.InputGrad, ConvIsa.Vector256));
        Assert.Equal(ConvRoute.DirectPlanes, ConvPlanner.Choose(convT3d, ConvPass.Forward, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.Im2colTiles, ConvPlanner.Choose(convT3d, ConvPass.Forward, ConvIsa.Vector256));
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(convT3d, ConvPass.WeightGrad, ConvIsa.Vector512));
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(convT3d, ConvPass.WeightGrad, ConvIsa.Vector256));
        // The 3-d rows of the issue keep 32-wide rows on DirectRows: they fill vectors row by row.
        Assert.False(ConvPlanner.FoldingFills(32, 32));
        Assert.True(ConvPlanner.FoldingFills(8, 8));
    }
}
