using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Functions;

/// <summary>Gradients and second derivatives of MatMul in all its shapes.</summary>
public class MatMulGradTests
{
    private static readonly Gen<int> Size = Gen.Choose(1, 3);

    private static Gen<(TensorCase A, TensorCase B)> Operands(Gen<(int[] A, int[] B)> shapes) =>
        shapes.SelectMany(s => Gen.Zip(TensorGen.Tensor(s.A), TensorGen.Tensor(s.B)));

    [Property(MaxTest = 25)]
    public Property MatMul2D_PassesGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Operands(Gen.Zip(Size, Gen.Zip(Size, Size)).Select(p => (new[] { p.Item1, p.Item2.Item1 }, new[] { p.Item2.Item1, p.Item2.Item2 }))),
            p => GradAssert.Both(x => x[0].MatMul(x[1]), p.A, p.B));

    [Property(MaxTest = 25)]
    public Property MatMulBatchedAndBroadcastBatch_PassesGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Operands(
            Gen.Zip(Gen.Choose(1, 2), Gen.Zip(Gen.Elements(0, 1, 2, 3), Gen.Zip(Size, Gen.Zip(Size, Size)))).Select(p =>
            {
                var (batch, (mode, (m, (k, n)))) = p;
                // mode 0: equal batches; 1: A's batch is 1; 2: B has no batch dims; 3: A has an extra leading dim.
                int[] a = mode switch { 1 => [1, m, k], 3 => [2, batch, m, k], _ => [batch, m, k] };
                int[] b = mode == 2 ? [k, n] : [batch, k, n];
                return (a, b);
            })),
            p => GradAssert.Both(x => x[0].MatMul(x[1]), p.A, p.B));

    [Property(MaxTest = 20)]
    public Property MatMulWithVectors_PassesGradCheckAndGradGradCheck() =>
        TensorGen.ForAll(Operands(
            Gen.Zip(Gen.Elements(0, 1, 2), Gen.Zip(Size, Size)).Select(p =>
            {
                var (mode, (m, k)) = p;
                // vector·matrix, matrix·vector, vector·vector
                return mode switch { 0 => (new[] { k }, new[] { k, m }), 1 => ([m, k], [k]), _ => ([k], [k]) };
            })),
            p => GradAssert.Both(x => x[0].MatMul(x[1]), p.A, p.B));

    [Fact]
    public void MatMulVectors_ShapesLikePyTorch()
    {
        var v = Torch.Ones(3);
        Assert.Equal([], v.MatMul(v).Shape);
        Assert.Equal(3.0, v.MatMul(v).Item());
        Assert.Equal([2], v.MatMul(Torch.Ones(3, 2)).Shape);
        Assert.Equal([2], Torch.Ones(2, 3).MatMul(v).Shape);
        Assert.Equal([4, 2], Torch.Ones(4, 2, 3).MatMul(v).Shape);
    }
}
