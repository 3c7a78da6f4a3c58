using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Functions;

/// <summary>Gradients and second derivatives of Sum, Mean and Max.</summary>
public class ReductionGradTests
{
    /// <summary>A tensor of rank ≥ 1 with a non-empty, duplicate-free subset of its dims (some given negatively) and keepDim.</summary>
    private static readonly Gen<(TensorCase X, int[] Dims, bool KeepDim)> WithDims =
        TensorGen.Shape(minRank: 1).SelectMany(shape =>
            Gen.Zip(TensorGen.Tensor(shape), Gen.Zip(DimsOf(shape.Length), Gen.Elements(true, false)))
               .Select(p => (p.Item1, p.Item2.Item1, p.Item2.Item2)));

    internal static Gen<int[]> DimsOf(int rank) =>
        Gen.SubListOf(Enumerable.Range(0, rank)).Where(l => l.Count > 0)
           .SelectMany(l => Gen.ArrayOf(Gen.Elements(true, false), l.Count).Select(neg => l.Select((d, i) => neg[i] ? d - rank : d).ToArray()));

    [Property(MaxTest = 25)]
    public void SumMeanAll_PassGradCheckAndGradGradCheck(TensorCase a)
    {
        GradAssert.Both(x => x[0].Sum(), a);
        GradAssert.Both(x => x[0].Mean(), a);
    }

    [Property(MaxTest = 30)]
    public Property SumMeanDims_KeepDimOrNot_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(WithDims, p =>
        {
            GradAssert.Both(x => x[0].Sum(p.Dims, p.KeepDim), p.X);
            GradAssert.Both(x => x[0].Mean(p.Dims, p.KeepDim), p.X);
        });

    [Property(MaxTest = 30)]
    public Property MaxAllAndDim_DistinctValues_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(TensorGen.Shape(minRank: 1).SelectMany(s => Gen.Zip(TensorGen.DistinctTensor(s), Gen.Zip(Gen.Choose(0, s.Length - 1), Gen.Elements(true, false)))), p =>
        {
            var (a, (dim, keepDim)) = p;
            // Squaring after max makes the second derivative non-trivial.
            GradAssert.Both(x => x[0].Max() * x[0].Max(), a);
            GradAssert.Both(x => x[0].Max(dim, keepDim).Values.Pow(2.0), a);
        });

    [Fact]
    public void MaxOfScalar_PassesGradCheck() =>
        GradAssert.Both(x => x[0].Max() * 3, new TensorCase([], Layout.Contiguous, [], [0.7], t => t));
}
