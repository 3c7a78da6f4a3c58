using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Functions;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>One random geometry of any spatial rank, and how its operands are laid out in memory.</summary>
public sealed record RouteCase(int Rank, int N, int Groups, int BigCg, int SmallCg, int[] Size, int[] Kernel, int[] Stride,
                               int[] Padding, int[] Dilation, int Layout, int Seed)
{
    internal ConvGeometry Geometry =>
        Shape.Conv([N, Groups * BigCg, .. Size], [Groups * SmallCg, BigCg, .. Kernel], null, Stride,
                   new ConvPadding(ConvPaddingKind.Explicit, Padding), Dilation, Groups);

    public override string ToString() =>
        $"rank {Rank}, N {N}, groups {Groups}, Cg {BigCg}→{SmallCg}, size [{string.Join(", ", Size)}], kernel [{string.Join(", ", Kernel)}], " +
        $"stride [{string.Join(", ", Stride)}], padding [{string.Join(", ", Padding)}], dilation [{string.Join(", ", Dilation)}], layout {(RouteLayout)Layout}, seed {Seed}";
}

/// <summary>How an operand is presented: a view with the right values but non-contiguous (or offset) memory.</summary>
public enum RouteLayout { Contiguous, Permuted, Strided, Offset }

/// <summary>Geometries of rank 1–3 with the shapes that switch routes on: 1×1, kernels covering the image, one-pixel inputs, wide channel groups.</summary>
public static class RouteArbitraries
{
    public static Arbitrary<RouteCase> Cases() =>
        (from rank in Gen.Choose(1, 3)
         from shape in Gen.Choose(0, 5)    // 0: 1×1; 1: kernel = whole image; 2: many channels (channels-last); else general
         from n in Gen.Choose(1, 2)
         from groups in Gen.Choose(1, 2)
         from bigCg in shape == 2 ? Gen.Choose(16, 18) : Gen.Choose(1, 4)
         from smallCg in Gen.Choose(1, 10)
         from kernel in Gen.ArrayOf(Gen.Choose(1, rank == 3 ? 3 : 4), rank)
         from stride in Gen.ArrayOf(Gen.Choose(1, 3), rank)
         from dilation in Gen.ArrayOf(Gen.Choose(1, 2), rank)
         from extra in Gen.ArrayOf(Gen.Choose(0, rank == 3 ? 3 : 9), rank)
         from padFrac in Gen.ArrayOf(Gen.Choose(0, 2), rank)
         from layout in Gen.Choose(0, 3)
         from seed in Gen.Choose(0, int.MaxValue - 1)
         select Make(rank, shape, n, groups, bigCg, smallCg, kernel, stride, dilation, extra, padFrac, layout, seed)).ToArbitrary();

    private static RouteCase Make(int rank, int shape, int n, int groups, int bigCg, int smallCg, int[] kernel, int[] stride, int[] dilation,
                                  int[] extra, int[] padFrac, int layout, int seed)
    {
        if (shape == 0) { kernel = [.. kernel.Select(_ => 1)]; stride = [.. stride.Select(_ => 1)]; }
        var keff = kernel.Select((k, d) => dilation[d] * (k - 1) + 1).ToArray();
        var pad = shape <= 1 ? new int[rank] : keff.Select((k, d) => Math.Min(padFrac[d], (k - 1) / 2)).ToArray();
        var size = shape == 1 ? keff : keff.Select((k, d) => Math.Max(1, k - 2 * pad[d]) + extra[d]).ToArray();
        return new RouteCase(rank, n, groups, bigCg, smallCg, size, kernel, stride, pad, dilation, layout, seed);
    }
}

/// <summary>
/// Routes as data, tested: every route that the planner says applies to a geometry computes the same
/// values as the scalar <see cref="ConvRoute.Reference"/> route, for every pass and rank, on operands
/// given as non-contiguous views.
/// </summary>
public class ConvRouteTests
{
    /// <summary>The operand of <paramref name="shape"/> with the values of a seeded Randn, laid out as <paramref name="layout"/>.</summary>
    private static Tensor Operand(int[] shape, RouteLayout layout, Generator gen)
    {
        var values = Torch.Randn(shape, gen, DType.Float64);
        int rank = shape.Length;
        switch (layout)
        {
            case RouteLayout.Permuted:
                // Stored with the dimensions reversed, viewed back in order.
                var perm = Enumerable.Range(0, rank).Reverse().ToArray();
                return values.Permute(perm).Contiguous().Permute(perm);
            case RouteLayout.Strided:
            {
                // Every other element of a leaf twice as long in the last dimension.
                int[] leafShape = [.. shape[..^1], 2 * shape[^1]];
                var leaf = Torch.Zeros(leafShape, DType.Float64);
                leaf.Slice(rank - 1, 0, null, 2).CopyFrom(values);
                return leaf.Slice(rank - 1, 0, null, 2);
            }
            case RouteLayout.Offset:
            {
                // A window starting one element into a larger leaf.
                int[] leafShape = [shape[0] + 1, .. shape[1..]];
                var leaf = Torch.Zeros(leafShape, DType.Float64);
                leaf.Narrow(0, 1, shape[0]).CopyFrom(values);
                return leaf.Narrow(0, 1, shape[0]);
            }
            default:
                return values;
        }
    }

    /// <summary>Runs one pass with one route on the given operands into a fresh output.</summary>
    private static Tensor Run(ConvPass pass, ConvRoute route, in ConvGeometry g, Tensor a, Tensor b, Tensor? bias)
    {
        var output = Torch.Zeros(pass switch { ConvPass.Forward => g.SmallShape, ConvPass.InputGrad => g.BigShape, _ => g.WeightShape }, DType.Float64);
        ConvCall.Run(pass, g, a, b, bias, output, route);
        return output;
    }

    [Property(MaxTest = 60, Arbitrary = [typeof(RouteArbitraries)])]
    public bool EveryApplicableRoute_MatchesReference_EveryPassAndRank_OnNonContiguousViews(RouteCase c)
    {
        var g = c.Geometry;
        var gen = new Generator(c.Seed);
        var layout = (RouteLayout)c.Layout;
        var big = Operand(g.BigShape, layout, gen);
        var small = Operand(g.SmallShape, layout, gen);
        var weight = Operand(g.WeightShape, layout, gen);
        var smallBias = Operand([g.SmallC], layout == RouteLayout.Offset ? layout : RouteLayout.Contiguous, gen);
        var bigBias = Operand([g.BigC], layout == RouteLayout.Offset ? layout : RouteLayout.Contiguous, gen);
        // Σ|terms| per element: the Reference route on absolute values (no cancellation).
        var (absBig, absSmall, absWeight) = (big.Abs(), small.Abs(), weight.Abs());
        int terms = Math.Max(g.BigCg, g.SmallCg) * g.Taps + g.N * g.SmallPlane + 2;
        double gamma = terms * Math.Pow(2, -53) / (1 - terms * Math.Pow(2, -53));
        foreach (var pass in Enum.GetValues<ConvPass>())
        {
            var (a, b, bias, absA, absB, absBias) = pass switch
            {
                ConvPass.Forward => (big, weight, smallBias, absBig, absWeight, smallBias.Abs()),
                ConvPass.InputGrad => (small, weight, bigBias, absSmall, absWeight, bigBias.Abs()),
                _ => (big, small, (Tensor?)null, absBig, absSmall, (Tensor?)null),
            };
            var expected = Run(pass, ConvRoute.Reference, g, a, b, bias).ToDoubleArray();
            var magnitude = Run(pass, ConvRoute.Reference, g, absA, absB, absBias).ToDoubleArray();
            var routes = ConvPlanner.Applicable(g, pass, ConvPlanner.Isa).ToList();
            Assert.Contains(ConvPlanner.Choose(g, pass, ConvPlanner.Isa), routes);
            foreach (var route in routes.Where(r => r != ConvRoute.Reference))
            {
                var actual = Run(pass, route, g, a, b, bias).ToDoubleArray();
                for (int i = 0; i < expected.Length; i++)
                    if (!(Math.Abs(actual[i] - expected[i]) <= 2 * gamma * magnitude[i]))
                        throw new Exception($"{pass} by {route} on {c}: element {i}: Reference {expected[i]:R}, route {actual[i]:R}, bound {2 * gamma * magnitude[i]:R}");
            }
        }
        return true;
    }
}
