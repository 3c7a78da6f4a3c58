using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Tests.Functions;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Tensors;

/// <summary>Sum, Mean and Max against naive loops over multi-indices, on any layout.</summary>
public class ReductionLoopTests
{
    /// <summary>Naive reduction: every input element goes to the output slot with the reduced indices zeroed.</summary>
    private static (double[] Sum, double[] Max, int[] ArgMax, int Count) Naive(double[] x, int[] shape, bool[] reduced)
    {
        var outShape = shape.Select((s, i) => reduced[i] ? 1 : s).ToArray();
        int outN = MiniTorch.Shape.Numel(outShape);
        var sum = new double[outN];
        var max = Enumerable.Repeat(double.NegativeInfinity, outN).ToArray();
        var arg = new int[outN];
        var strides = MiniTorch.Shape.ContiguousStrides(shape);
        var outStrides = MiniTorch.Shape.ContiguousStrides(outShape);
        int count = shape.Where((s, i) => reduced[i]).Aggregate(1, (a, b) => a * b);
        for (int flat = 0; flat < x.Length; flat++)
        {
            int o = 0, along = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                int idx = flat / strides[d] % shape[d];
                if (reduced[d]) along = idx; else o += idx * outStrides[d];
            }
            sum[o] += x[flat];
            if (x[flat] > max[o]) { max[o] = x[flat]; arg[o] = along; }
        }
        return (sum, max, arg, count);
    }

    private static void Close(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]:R}, loop {expected[i]:R}");
    }

    [Property(MaxTest = 100)]
    public Property SumMeanOverDims_MatchNaiveLoop() =>
        TensorGen.ForAll(TensorGen.Shape(minRank: 1, maxNumel: 36, maxSize: 4).SelectMany(s =>
            TensorGen.Zip3(TensorGen.Tensor(s), ReductionGradTests.DimsOf(s.Length), Gen.Elements(true, false))), p =>
        {
            var (a, dims, keepDim) = p;
            var x = a.Value();
            var reduced = new bool[x.Dim];
            foreach (var d in dims) reduced[(d + x.Dim) % x.Dim] = true;
            var (sum, _, _, count) = Naive(x.ToDoubleArray(), x.Shape, reduced);
            var expectedShape = x.Shape.Select((s, i) => reduced[i] ? (keepDim ? 1 : -1) : s).Where(s => s >= 0).ToArray();

            var s = x.Sum(dims, keepDim);
            Assert.Equal(expectedShape, s.Shape);
            Close(sum, s.ToDoubleArray(), "sum");
            var m = x.Mean(dims, keepDim);
            Assert.Equal(expectedShape, m.Shape);
            Close(sum.Select(v => v / count).ToArray(), m.ToDoubleArray(), "mean");
            // float32 goes through the other kernel instantiation.
            var s32 = x.To(DType.Float32).Sum(dims, keepDim).ToDoubleArray();
            for (int i = 0; i < sum.Length; i++) Assert.True(Math.Abs(s32[i] - sum[i]) <= 1e-5 * (1 + Math.Abs(sum[i])), $"float32 sum[{i}]");
        });

    [Property(MaxTest = 100, Arbitrary = [typeof(TensorArbitraries.UpTo36)])]
    public void SumMeanMaxAll_MatchNaiveLoop(TensorCase a)
    {
        var v = a.Value().ToDoubleArray();
        var x = a.Value();
        Assert.Equal([], x.Sum().Shape);
        Close([v.Sum()], [x.Sum().Item()], "sum");
        Close([v.Average()], [x.Mean().Item()], "mean");
        Assert.Equal(v.Max(), x.Max().Item());
    }

    [Property(MaxTest = 100)]
    public Property MaxDim_ValuesAndFirstIndex_MatchNaiveLoop() =>
        TensorGen.ForAll(TensorGen.Shape(minRank: 1, maxNumel: 36, maxSize: 4).SelectMany(s =>
            TensorGen.Zip3(TensorGen.Tensor(s, TensorGen.Value().Select(v => Math.Round(v * 2) / 2)), Gen.Choose(0, s.Length - 1), Gen.Elements(true, false))), p =>
        {
            // Values on a half-integer grid make ties common: the index must be the first maximum.
            var (a, dim, keepDim) = p;
            var x = a.Value();
            var reduced = new bool[x.Dim];
            reduced[dim] = true;
            var (_, max, arg, _) = Naive(x.ToDoubleArray(), x.Shape, reduced);
            var (values, indices) = x.Max(dim, keepDim);
            Assert.Equal(max, values.ToDoubleArray());
            Assert.Equal(arg, indices);
            Assert.Equal(keepDim ? x.Dim : x.Dim - 1, values.Dim);
        });
}
