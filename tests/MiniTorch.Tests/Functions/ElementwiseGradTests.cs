using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Functions;

/// <summary>Gradients and second derivatives of element-wise ops, with broadcasting and non-contiguous operands.</summary>
public class ElementwiseGradTests
{
    private static readonly Gen<(TensorCase A, TensorCase B)> Pairs =
        TensorGen.BroadcastablePair().SelectMany(p => Gen.Zip(TensorGen.Tensor(p.A), TensorGen.Tensor(p.B)));

    // Denominators and bases of logarithms stay away from zero.
    private static readonly Gen<(TensorCase A, TensorCase B)> PositiveRightPairs =
        TensorGen.BroadcastablePair().SelectMany(p => Gen.Zip(TensorGen.Tensor(p.A), TensorGen.Tensor(p.B, TensorGen.Value(0.5, 2.0, positive: true))));

    private static readonly Gen<(TensorCase A, TensorCase B)> PowPairs =
        TensorGen.BroadcastablePair().SelectMany(p => Gen.Zip(TensorGen.Tensor(p.A, TensorGen.Value(0.5, 2.0, positive: true)), TensorGen.Tensor(p.B, TensorGen.Value(0.1, 2.0))));

    private static Gen<TensorCase> Any(Gen<double>? values = null) => TensorGen.AnyTensor(values: values);

    [Property(MaxTest = 25)]
    public Property AddSubMul_BroadcastTensors_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Pairs, p =>
        {
            GradAssert.Both(x => x[0] + x[1], p.A, p.B);
            GradAssert.Both(x => x[0] - x[1], p.A, p.B);
            GradAssert.Both(x => x[0] * x[1], p.A, p.B);
        });

    [Property(MaxTest = 25)]
    public Property Div_BroadcastTensors_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(PositiveRightPairs, p => GradAssert.Both(x => x[0] / x[1], p.A, p.B));

    [Property(MaxTest = 25)]
    public Property PowTensorExponent_Broadcast_PassesGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(PowPairs, p => GradAssert.Both(x => x[0].Pow(x[1]), p.A, p.B));

    [Property(MaxTest = 20)]
    public Property ScalarOperands_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Gen.Zip(Any(TensorGen.Value(0.5, 2.0)), TensorGen.Value(0.5, 3.0)), p =>
        {
            var (a, s) = p;
            GradAssert.Both(x => x[0] + s, a);
            GradAssert.Both(x => s + x[0], a);
            GradAssert.Both(x => x[0] - s, a);
            GradAssert.Both(x => s - x[0], a);
            GradAssert.Both(x => x[0] * s, a);
            GradAssert.Both(x => s * x[0], a);
            GradAssert.Both(x => x[0] / s, a);
            GradAssert.Both(x => s / x[0], a);
            GradAssert.Both(x => -x[0], a);
        });

    [Property(MaxTest = 25)]
    public Property PowScalarExponent_PassesGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Gen.Zip(Any(TensorGen.Value(0.5, 2.0, positive: true)), Gen.Elements(2.0, 3.0, 0.5, -1.5, 1.0)),
            p => GradAssert.Both(x => x[0].Pow(p.Item2), p.Item1));

    [Property(MaxTest = 25)]
    public Property SmoothUnary_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Any(TensorGen.Value(0.1, 2.0)), a =>
        {
            GradAssert.Both(x => x[0].Exp(), a);
            GradAssert.Both(x => x[0].Tanh(), a);
            GradAssert.Both(x => x[0].Sigmoid(), a);
        });

    [Property(MaxTest = 25)]
    public Property LogSqrt_PositiveInputs_PassGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Any(TensorGen.Value(0.2, 3.0, positive: true)), a =>
        {
            GradAssert.Both(x => x[0].Log(), a);
            GradAssert.Both(x => x[0].Sqrt(), a);
        });

    [Property(MaxTest = 25)]
    public Property AbsReluClamp_AwayFromKinks_PassGradCheckAndGradGradCheck() =>
        // |x| ≥ 0.1 keeps Abs and Relu away from 0; values within 0.05 of the clamp bounds ±0.55
        // are moved away (×1.5), so no central difference straddles a kink.
        TensorGen.ForAll(Any(TensorGen.Value(0.1, 2.0).Select(v => Math.Abs(Math.Abs(v) - 0.55) < 0.05 ? v * 1.5 : v)), a =>
        {
            GradAssert.Both(x => x[0].Abs(), a);
            GradAssert.Both(x => x[0].Relu(), a);
            GradAssert.Both(x => x[0].Clamp(-0.55, 0.55), a);
            GradAssert.Both(x => x[0].Clamp(min: -0.55), a);
            GradAssert.Both(x => x[0].Clamp(max: 0.55), a);
        });

    [Property(MaxTest = 15)]
    public Property Composite_SecondOrderThroughChain_PassesGradGradCheck() =>
        TensorGen.ForAll(Pairs, p => GradAssert.Both(x => (x[0] * x[1]).Tanh() * x[0] + x[1].Sigmoid(), p.A, p.B));
}
