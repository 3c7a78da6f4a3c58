using System.Numerics;
using System.Numerics.Tensors;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The fused batch-norm kernels against the call chains they replaced (one TensorPrimitives call per row and step,
/// written out here as the reference), bit for bit on ragged shapes: inner 1…300, n 1…5, c 1…9, 1–3 threads, float
/// and double, without an activation, with ReLU and with leaky ReLU, values with −0, ±∞, NaN, subnormals.
/// </summary>
public class BatchNormFusedTests
{
    private static RowActivation<T> ActivationFor<T>(int kind) where T : unmanaged, IFloatingPointIeee754<T> =>
        kind switch { 1 => RowActivation<T>.Relu, 2 => RowActivation<T>.LeakyRelu(T.CreateChecked(0.2)), _ => default };

    private static T Slope<T>(int kind) where T : unmanaged, IFloatingPointIeee754<T> => kind == 2 ? T.CreateChecked(0.2) : T.Zero;

    private static void ReferenceStats<T>(T[] x, int n, int c, int inner, double[] mean, double[] sq) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tmp = new T[inner];
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += double.CreateChecked(TensorPrimitives.Sum<T>(x.AsSpan((b * c + ch) * inner, inner)));
            mean[ch] = sum / ((double)n * inner);
            var m = T.CreateChecked(mean[ch]);
            double s = 0;
            for (int b = 0; b < n; b++)
            {
                TensorPrimitives.Subtract<T>(x.AsSpan((b * c + ch) * inner, inner), m, tmp);
                s += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(tmp));
            }
            sq[ch] = s;
        }
    }

    private static void ReferenceBackwardSums<T>(T[] x, T[] g, T[] z, int kind, int n, int c, int inner, double[] mean, double[] sumG, double[] dot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (tmp, rowGrad) = (new T[inner], new T[inner]);
        for (int ch = 0; ch < c; ch++)
        {
            double s = 0, d = 0;
            var m = T.CreateChecked(mean[ch]);
            for (int b = 0; b < n; b++)
            {
                int at = (b * c + ch) * inner;
                if (kind == 0) g.AsSpan(at, inner).CopyTo(rowGrad);
                else Activation.LeakyReluBackward<T>(z.AsSpan(at, inner), g.AsSpan(at, inner), Slope<T>(kind), rowGrad);
                s += double.CreateChecked(TensorPrimitives.Sum<T>(rowGrad));
                TensorPrimitives.Subtract<T>(x.AsSpan(at, inner), m, tmp);
                d += double.CreateChecked(TensorPrimitives.Dot<T>(tmp, rowGrad));
            }
            (sumG[ch], dot[ch]) = (s, d);
        }
    }

    // The forward's affine map and activation as the chain of calls: Multiply, Add, then the activation's own call.
    private static T[] ReferenceAffine<T>(T[] x, int kind, int n, int c, int inner, T[] alpha, T[] beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = new T[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                var src = x.AsSpan((b * c + ch) * inner, inner);
                var dst = y.AsSpan((b * c + ch) * inner, inner);
                TensorPrimitives.Multiply(src, alpha[ch], dst);
                TensorPrimitives.Add<T>(dst, beta[ch], dst);
                if (kind == 1) TensorPrimitives.Max<T>(dst, T.Zero, dst);
                else if (kind == 2) Activation.LeakyRelu<T>(dst, Slope<T>(kind), dst);
            }
        return y;
    }

    // The input gradient as the chain: the activation's backward into a row buffer, then the batch norm's formula.
    private static T[] ReferenceInputGrad<T>(T[] x, T[] g, T[] z, int kind, bool batchStats, int n, int c, int inner, T[] m, T[] k, T[] gm, T[] a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (dx, rowGrad) = (new T[x.Length], new T[inner]);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                int at = (b * c + ch) * inner;
                if (kind == 0) g.AsSpan(at, inner).CopyTo(rowGrad);
                else Activation.LeakyReluBackward<T>(z.AsSpan(at, inner), g.AsSpan(at, inner), Slope<T>(kind), rowGrad);
                if (batchStats)
                {
                    var t = new T[inner];
                    TensorPrimitives.Subtract<T>(x.AsSpan(at, inner), m[ch], t);
                    TensorPrimitives.Multiply<T>(t, k[ch], t);
                    TensorPrimitives.Subtract<T>(rowGrad, t, t);
                    TensorPrimitives.Subtract<T>(t, gm[ch], t);
                    TensorPrimitives.Multiply<T>(t, a[ch], dx.AsSpan(at, inner));
                }
                else TensorPrimitives.Multiply<T>(rowGrad, a[ch], dx.AsSpan(at, inner));
            }
        return dx;
    }

    private static void AssertBitwise<T>(T[] expected, T[] actual, string what) where T : unmanaged
    {
        for (int i = 0; i < expected.Length; i++) Assert.True(RowSumsTests.SameBits(expected[i], actual[i]), $"{what}, element {i}: {expected[i]} vs {actual[i]}");
    }

    private static void RaggedShapes<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int saved = Torch.GetNumThreads();
        try
        {
            for (int inner = 1; inner <= 300; inner++)
            {
                int n = 1 + inner % 5, c = 1 + (inner * 7) % 9, kind = inner % 3, len = n * c * inner;
                Torch.SetNumThreads(1 + inner % 3);
                var x = RowSumsTests.Values<T>(len, inner, inner % 4 == 0 ? 50 : 0);
                var g = RowSumsTests.Values<T>(len, 1000 + inner, inner % 4 == 1 ? 50 : 0);
                var z = RowSumsTests.Values<T>(len, 2000 + inner, inner % 4 == 2 ? 20 : 0);
                string at = $"{typeof(T).Name} n {n} c {c} inner {inner} activation {kind} threads {Torch.GetNumThreads()}";

                // Per-channel scalars with a −0, a NaN and a huge value among them.
                T[] Scalars(int seed) => [.. RowSumsTests.Values<T>(c, seed, 0).Select((v, i) => (i + seed) % 11 == 0 ? T.NaN : (i + seed) % 7 == 0 ? T.NegativeZero : (i + seed) % 5 == 0 ? T.CreateChecked(1e30) : v)];
                double[] D(T[] v) => [.. v.Select(double.CreateChecked)];
                double eps = inner % 2 == 0 ? 1e-5 : 0.1;
                double[]? weight = inner % 4 == 3 ? null : D(Scalars(inner + 6)), bias = inner % 4 == 1 ? null : D(Scalars(inner + 7));

                // The training forward against Stats, the Function's scalars and the chain of calls.
                var (mean, sq, invstd, refMean, refSq) = (new double[c], new double[c], new double[c], new double[c], new double[c]);
                var y = new T[len];
                BatchNormKernels.Forward<T>(x, n, c, inner, eps, weight, bias, mean, sq, invstd, y, ActivationFor<T>(kind));
                ReferenceStats(x, n, c, inner, refMean, refSq);
                AssertBitwise(refMean, mean, "Forward mean, " + at);
                AssertBitwise(refSq, sq, "Forward squares, " + at);
                double count = (double)n * inner;
                var refInvstd = refSq.Select(v => 1 / Math.Sqrt(v / count + eps)).ToArray();
                AssertBitwise(refInvstd, invstd, "Forward invstd, " + at);
                var refAlpha = refInvstd.Select((v, i) => v * (weight?[i] ?? 1)).ToArray();
                var refBeta = refAlpha.Select((v, i) => (bias?[i] ?? 0) - refMean[i] * v).ToArray();
                T[] ToT(double[] v) => [.. v.Select(T.CreateChecked)];
                AssertBitwise(ReferenceAffine(x, kind, n, c, inner, ToT(refAlpha), ToT(refBeta)), y, "Forward output, " + at);

                // The forward with given statistics (evaluation), with special scalars.
                var (alpha, beta) = (Scalars(inner), Scalars(inner + 1));
                BatchNormKernels.Affine<T>(x, n, c, inner, alpha, beta, y, ActivationFor<T>(kind));
                AssertBitwise(ReferenceAffine(x, kind, n, c, inner, alpha, beta), y, "Affine, " + at);

                // The backward against BackwardSums, the Function's scalars and the chain of calls, with the forward's
                // statistics and with special ones.
                foreach (var (m, inv) in new[] { (mean, invstd), (D(Scalars(inner + 2)), D(Scalars(inner + 3))) })
                    foreach (bool batchStats in new[] { true, false })
                    {
                        var (sumG, dot, refSumG, refDot) = (new double[c], new double[c], new double[c], new double[c]);
                        var dx = new T[len];
                        BatchNormKernels.Backward<T>(x, g, n, c, inner, batchStats, m, inv, weight, sumG, dot, dx, ActivationFor<T>(kind), kind == 0 ? default : z);
                        ReferenceBackwardSums(x, g, z, kind, n, c, inner, m, refSumG, refDot);
                        string where = $"(batch statistics {batchStats}), " + at;
                        AssertBitwise(refSumG, sumG, "Backward Σg " + where);
                        AssertBitwise(refDot, dot, "Backward Σ(x − m)g " + where);
                        var a = ToT(inv.Select((v, i) => v * (weight?[i] ?? 1)).ToArray());
                        var gm = ToT(refSumG.Select(v => v / count).ToArray());
                        var k = ToT(refDot.Select((v, i) => v * inv[i] * inv[i] / count).ToArray());
                        AssertBitwise(ReferenceInputGrad(x, g, z, kind, batchStats, n, c, inner, ToT(m), k, gm, a), dx, "Backward dx " + where);
                    }
            }
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void FusedKernels_Float_BitwiseEqualToTheCallChains_RaggedShapes() => RaggedShapes<float>();

    [Fact]
    public void FusedKernels_Double_BitwiseEqualToTheCallChains_RaggedShapes() => RaggedShapes<double>();
}
