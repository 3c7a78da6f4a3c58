using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Tensors;

/// <summary>Broadcasting follows NumPy's rules, and incompatible shapes are named in the error.</summary>
public class BroadcastTests
{
    /// <summary>The rule spelled out: align right, sizes equal or one of them 1.</summary>
    private static int[]? NaiveBroadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1) return null;
            r[i] = Math.Max(da, db);
        }
        return r;
    }

    private static double At(double[] data, int[] shape, int[] outIndex)
    {
        int flat = 0, lead = outIndex.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++) flat = flat * shape[d] + (shape[d] == 1 ? 0 : outIndex[lead + d]);
        return data[flat];
    }

    [Property(MaxTest = 100)]
    public Property BinaryOps_BroadcastShapesAndValues_MatchTheRule() =>
        TensorGen.ForAll(TensorGen.BroadcastablePair(maxRank: 4, maxNumel: 24).SelectMany(p => Gen.Zip(TensorGen.Tensor(p.A), TensorGen.Tensor(p.B))), p =>
        {
            var (a, b) = (p.Item1.Value(), p.Item2.Value());
            var expected = NaiveBroadcast(a.Shape, b.Shape)!;
            Assert.Equal(expected, MiniTorch.Shape.Broadcast(a.Shape, b.Shape));
            var sum = a + b;
            var prod = a * b;
            Assert.Equal(expected, sum.Shape);
            var (ad, bd, sd, pd) = (a.ToDoubleArray(), b.ToDoubleArray(), sum.ToDoubleArray(), prod.ToDoubleArray());
            var strides = MiniTorch.Shape.ContiguousStrides(expected);
            for (int flat = 0; flat < sd.Length; flat++)
            {
                var idx = expected.Select((s, d) => flat / strides[d] % s).ToArray();
                Assert.Equal(At(ad, a.Shape, idx) + At(bd, b.Shape, idx), sd[flat]);
                Assert.Equal(At(ad, a.Shape, idx) * At(bd, b.Shape, idx), pd[flat]);
            }
        });

    [Property(MaxTest = 50)]
    public Property IncompatibleShapes_ErrorNamesBothShapes() =>
        TensorGen.ForAll(TensorGen.Shape(minRank: 1, maxSize: 3).SelectMany(s => TensorGen.Zip3(Gen.Constant(s), Gen.Choose(0, s.Length - 1), Gen.Choose(0, 2))), p =>
        {
            var (a, dim, lead) = p;
            var b = (int[])a.Clone();
            b[dim] = a[dim] == 1 ? 2 : a[dim] + 1;
            if (a[dim] == 1) a[dim] = 3;
            b = [.. Enumerable.Repeat(1, lead), .. b];
            Assert.Null(NaiveBroadcast(a, b));
            var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(a) + Torch.Zeros(b));
            Assert.Contains(MiniTorch.Shape.Format(a), e.Message);
            Assert.Contains(MiniTorch.Shape.Format(b), e.Message);
        });

    [Fact]
    public void MixedDTypes_PromoteToFloat64()
    {
        var y = Torch.Ones(2) + Torch.Ones([2], DType.Float64);
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal(new[] { 2.0, 2.0 }, y.ToDoubleArray());
    }
}
