using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MiniTorch.Nn;
using MiniTorch.Tests.Generators;

namespace MiniTorch.Tests.Nn;

/// <summary>Properties of softmax, gather/scatter-add and max pooling on random shapes and layouts (fixed seed, see FixedSeed.cs).</summary>
public class EverydayPropertyTests
{
    private static Gen<(TensorCase X, int Dim)> TensorAndDim =>
        TensorGen.Shape(maxRank: 4, maxSize: 4, maxNumel: 48, minRank: 1)
            .SelectMany(s => Gen.Zip(TensorGen.Tensor(s, TensorGen.Value(0.1, 6)), Gen.Choose(-s.Length, s.Length - 1)));

    [Property(MaxTest = 100)]
    public Property Softmax_AnyDimAnyLayout_MatchesTheNaiveFormula() =>
        TensorGen.ForAll(TensorAndDim, p =>
        {
            var x = p.X.Value();
            int d = (p.Dim + x.Dim) % x.Dim;
            var y = F.Softmax(x, p.Dim).ToDoubleArray();
            var logy = F.LogSoftmax(x, p.Dim).ToDoubleArray();
            var v = x.Contiguous().ToDoubleArray();
            var (outer, size, inner) = Shape.Around(x.ShapeRef, d);
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int k = 0; k < size; k++) max = Math.Max(max, v[(o * size + k) * inner + i]);
                    for (int k = 0; k < size; k++) sum += Math.Exp(v[(o * size + k) * inner + i] - max);
                    for (int k = 0; k < size; k++)
                    {
                        int at = (o * size + k) * inner + i;
                        double expected = Math.Exp(v[at] - max) / sum;
                        Assert.True(Math.Abs(y[at] - expected) <= 1e-14, $"softmax at {at}: {y[at]:R} vs {expected:R}");
                        Assert.True(Math.Abs(logy[at] - (v[at] - max - Math.Log(sum))) <= 1e-13, $"log_softmax at {at}");
                    }
                }
        });

    private static Gen<(TensorCase X, int Dim, long[] Index, int[] IndexShape)> GatherCases =>
        TensorGen.Shape(maxRank: 3, maxSize: 4, maxNumel: 36, minRank: 1).SelectMany(s =>
            Gen.Choose(0, s.Length - 1).SelectMany(d =>
                Gen.ArrayOf(Gen.Choose(1, 4), s.Length).Select(raw => raw.Select((r, i) => i == d ? r : Math.Min(r, s[i])).ToArray())
                   .SelectMany(ishape => Gen.ArrayOf(Gen.Choose(0, s[d] - 1), Shape.Numel(ishape))
                       .SelectMany(idx => TensorGen.Tensor(s).Select(x => (x, d, idx.Select(i => (long)i).ToArray(), ishape))))));

    /// <summary>⟨gather(x, d, i), y⟩ = ⟨x, scatter_add(0, d, i, y)⟩: the two are each other's adjoint, as the backward relies on.</summary>
    [Property(MaxTest = 100)]
    public Property GatherAndScatterAdd_AreAdjoint() =>
        TensorGen.ForAll(GatherCases, p =>
        {
            var x = p.X.Value();
            var index = Torch.FromArray(p.Index, p.IndexShape);
            var y = Torch.Randn(p.IndexShape, new Generator(p.Index.Length), DType.Float64);
            double left = (x.Gather(p.Dim, index) * y).Sum().Item();
            double right = (x * Torch.ZerosLike(x).ScatterAdd(p.Dim, index, y)).Sum().Item();
            Assert.True(Math.Abs(left - right) <= 1e-12 * (1 + Math.Abs(left)), $"{left:R} vs {right:R}");
        });

    private static Gen<(int[] Shape, int K, int S, int P, int D, bool Ceil)> PoolCases =>
        from h in Gen.Choose(1, 7)
        from w in Gen.Choose(1, 7)
        from k in Gen.Choose(1, 3)
        from s in Gen.Choose(1, 3)
        from d in Gen.Choose(1, 2)
        from p in Gen.Choose(0, k / 2)
        from ceil in Gen.Elements(true, false)
        where Shape.PoolOutputSize(h, k, s, p, d, ceil) >= 1 && Shape.PoolOutputSize(w, k, s, p, d, ceil) >= 1
        select (new[] { 2, 2, h, w }, k, s, p, d, ceil);

    /// <summary>Max pooling equals a direct loop over PyTorch's window definition (first maximum wins).</summary>
    [Property(MaxTest = 100)]
    public Property MaxPool2d_MatchesDirectLoop() =>
        TensorGen.ForAll(PoolCases, c =>
        {
            var x = Torch.Randn(c.Shape, new Generator(c.Shape[2] * 31 + c.Shape[3]), DType.Float64);
            var (y, idx) = F.MaxPool2dWithIndices(x, c.K, c.S, c.P, c.D, c.Ceil);
            int oh = Shape.PoolOutputSize(c.Shape[2], c.K, c.S, c.P, c.D, c.Ceil), ow = Shape.PoolOutputSize(c.Shape[3], c.K, c.S, c.P, c.D, c.Ceil);
            Assert.Equal([2, 2, oh, ow], y.Shape);
            var v = x.ToDoubleArray();
            var yv = y.ToDoubleArray();
            var iv = idx.ToInt64Array();
            int H = c.Shape[2], W = c.Shape[3];
            for (int plane = 0; plane < 4; plane++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        // PyTorch's loop: the index starts at the first tap at or after 0 in each dimension (even when
                        // a ceil-mode window holds no input at all, which gives −∞ there), and moves on a strictly larger value.
                        int r0 = i * c.S - c.P, q0 = j * c.S - c.P;
                        while (r0 < 0) r0 += c.D;
                        while (q0 < 0) q0 += c.D;
                        double best = double.NegativeInfinity; long at = r0 * W + q0;
                        for (int a = 0; a < c.K; a++)
                            for (int b = 0; b < c.K; b++)
                            {
                                int r = i * c.S - c.P + a * c.D, q = j * c.S - c.P + b * c.D;
                                if (r < 0 || r >= H || q < 0 || q >= W) continue;
                                double val = v[plane * H * W + r * W + q];
                                if (val > best) { best = val; at = r * W + q; }
                            }
                        int o = (plane * oh + i) * ow + j;
                        Assert.Equal(best, yv[o]);
                        Assert.Equal(at, iv[o]);
                    }
        });
}
