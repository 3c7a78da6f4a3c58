using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Nn;
using MiniTorch.Tests.Functions;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Gan;

/// <summary>The GAN toolkit's ops on any layout (contiguous, permuted, strided, expanded): first and second derivatives.</summary>
public class GanPropertyTests
{
    [Property(MaxTest = 25)]
    public Property Softplus_AnyLayout_PassesGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Gen.Zip(TensorGen.AnyTensor(), Gen.Elements(0.5, 1.0, 3.0)), p =>
            GradAssert.Both(x => F.Softplus(x[0], p.Item2), p.Item1));

    [Property(MaxTest = 20)]
    public Property GanLosses_AnyLayout_PassGradCheckAndGradGradCheck() =>
        // Hinge's kinks at ±1 stay out of reach: the scores are 0.1–0.9 in magnitude.
        TensorGen.ForAll(Gen.Zip(TensorGen.AnyTensor(values: TensorGen.Value(0.1, 0.9)), TensorGen.AnyTensor(values: TensorGen.Value(0.1, 0.9))), p =>
        {
            GradAssert.Both(x => F.HingeLossD(x[0], x[1], Reduction.Sum), p.Item1, p.Item2);
            GradAssert.Both(x => F.NonSaturatingLossD(x[0], x[1]), p.Item1, p.Item2);
            GradAssert.Both(x => F.WassersteinLossD(x[0], x[1]), p.Item1, p.Item2);
            GradAssert.Both(x => F.NonSaturatingLossG(x[0], Reduction.None), p.Item1);
        });

    private static readonly Gen<(TensorCase X, int[] ShiftH, int[] ShiftW)> Images =
        from shape in TensorGen.Zip3(Gen.Choose(1, 2), Gen.Choose(1, 2), Gen.Choose(2, 3)).Select(s => new[] { s.Item1, s.Item2, s.Item3, 3 })
        from x in TensorGen.Tensor(shape)
        from sh in Gen.ArrayOf(Gen.Choose(-3, 3), shape[0])
        from sw in Gen.ArrayOf(Gen.Choose(-3, 3), shape[0])
        select (x, sh, sw);

    [Property(MaxTest = 25)]
    public Property TranslateAndCutout_AnyLayout_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Images, p =>
        {
            GradAssert.Both(x => DiffAugment.Translate(x[0], p.ShiftH, p.ShiftW), p.X);
            GradAssert.Both(x => DiffAugment.Cutout(x[0], p.ShiftH.Select(Math.Abs).ToArray(), p.ShiftW.Select(Math.Abs).ToArray(), 2, 1), p.X);
            GradAssert.Both(x => DiffAugment.Contrast(DiffAugment.Saturation(x[0], p.ShiftH.Select(v => 0.2 + v / 10.0).ToArray()), p.ShiftW.Select(v => 0.5 + v / 10.0).ToArray()), p.X);
        });

    [Property(MaxTest = 25)]
    public Property Translate_IsTheAdjointOfTheOppositeShift() =>
        TensorGen.ForAll(Images, p =>
        {
            // ⟨T_s x, y⟩ = ⟨x, T_−s y⟩: the backward really is the transpose.
            var (sh, sw) = (p.ShiftH, p.ShiftW);
            var x = p.X.View(p.X.Leaf());
            var y = Torch.Randn(x.Shape, new Generator(sh.Sum() + 7), DType.Float64);
            double left = (DiffAugment.Translate(x, sh, sw) * y).Sum().Item();
            double right = (x * DiffAugment.Translate(y, sh.Select(v => -v).ToArray(), sw.Select(v => -v).ToArray())).Sum().Item();
            Assert.Equal(left, right, 12);
        });
}
