using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// ConvTranspose2d's outputPadding and outputSize: they choose which of the output sizes that
/// Conv2d maps back to the input size is produced; they never pad with zeros. Also the
/// outputPadding rule and Keras' 'same'/'valid' transposed sizes.
/// </summary>
public class ConvOutputPaddingTests
{
    private static Tensor Rand(int[] shape, int seed) => Torch.Randn(shape, new Generator(seed), DType.Float64);

    private static void AssertEqualTensors(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(expected.ToDoubleArray(), actual.ToDoubleArray());
    }

    /// <summary>The un-cropped transposed convolution (p = 0, a = 0): every kernel copy, summed.</summary>
    private static Tensor Full(Tensor x, Tensor w, Tensor? b, int s, int d) =>
        F.ConvTranspose2d(x, w, b, stride: s, padding: 0, dilation: d);

    [Fact]
    public void OutputPadding_EverySizeItSelects_ConvMapsBackToTheInputSize()
    {
        // o' = (i' − 1)s − 2p + d(k − 1) + a + 1; for a ∈ [0, s − 1] Conv2d maps o' back to i'.
        for (int iPrime = 1; iPrime <= 4; iPrime++)
            for (int k = 1; k <= 4; k++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                        for (int p = 0; p <= d * (k - 1); p++)
                            for (int a = 0; a < s; a++)
                            {
                                int o = Shape.ConvTransposeOutputSize(iPrime, k, s, p, a, d);
                                if (o < 1) continue;
                                var y = F.ConvTranspose2d(Torch.Ones([1, 1, iPrime, iPrime], DType.Float64),
                                    Torch.Ones([1, 1, k, k], DType.Float64), stride: s, padding: p, outputPadding: a, dilation: d);
                                Assert.Equal(new[] { 1, 1, o, o }, y.Shape);
                                Assert.Equal(iPrime, Shape.ConvOutputSize(o, k, s, p, d));
                                Assert.Equal(a, Shape.ConvAdjointOutputPadding(o, k, s, p, d));
                            }
    }

    [Fact]
    public void OutputPadding_ExtraRowAndColumn_AreComputedNotZeroFilled()
    {
        // i' = 3, k = 3, s = 2, p = 1: the full output has (3 − 1)·2 + 3 = 7 rows; cropping p = 1
        // from each side leaves 5 (a = 0); a = 1 keeps row/column 6 of the full output, which
        // the kernel reaches, so it holds real sums, not zeros.
        var x = Rand([2, 2, 3, 3], 1);
        var w = Rand([2, 3, 3, 3], 2);
        var b = Rand([3], 3);
        var y0 = F.ConvTranspose2d(x, w, b, stride: 2, padding: 1, outputPadding: 0);
        var y1 = F.ConvTranspose2d(x, w, b, stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal(new[] { 2, 3, 5, 5 }, y0.Shape);
        Assert.Equal(new[] { 2, 3, 6, 6 }, y1.Shape);

        // The a = 0 output is the top-left of the a = 1 output, unchanged.
        AssertClose(y0, y1.Narrow(2, 0, 5).Narrow(3, 0, 5), 1e-14);
        // Both are crops of the full output starting at p.
        var full = Full(x, w, b, 2, 1);
        Assert.Equal(new[] { 2, 3, 7, 7 }, full.Shape);
        AssertClose(full.Narrow(2, 1, 6).Narrow(3, 1, 6), y1, 1e-12);
        // And the extra row is not bias-only (what zero-filling would give): the kernel reaches it.
        var lastRow = y1.Narrow(2, 5, 1).ToDoubleArray();
        var bias = b.ToDoubleArray();
        int nonBias = 0;
        for (int j = 0; j < lastRow.Length; j++)
            if (Math.Abs(lastRow[j] - bias[j / 6 % 3]) > 1e-6) nonBias++;
        Assert.True(nonBias > lastRow.Length / 2, $"only {nonBias} of {lastRow.Length} extra-row values differ from the bias");
    }

    [Fact]
    public void OutputPadding_BeyondTheKernelsReach_IsExactlyTheBias()
    {
        // With p = 0 the extra row lies past the full output: no kernel copy reaches it, so its value
        // is exactly the bias: the same "computed" rule, no special zero-fill.
        var x = Rand([1, 2, 3, 3], 4);
        var w = Rand([2, 3, 3, 3], 5);
        var b = Rand([3], 6);
        var y = F.ConvTranspose2d(x, w, b, stride: 2, padding: 0, outputPadding: 1);
        Assert.Equal(new[] { 1, 3, 8, 8 }, y.Shape);
        var full = Full(x, w, b, 2, 1);
        AssertClose(full, y.Narrow(2, 0, 7).Narrow(3, 0, 7), 1e-14);
        var bias = b.ToDoubleArray();
        var v = y.ToDoubleArray();
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 8; r++)
            {
                Assert.Equal(bias[c], v[(c * 8 + 7) * 8 + r]); // last row
                Assert.Equal(bias[c], v[(c * 8 + r) * 8 + 7]); // last column
            }
    }

    [Fact]
    public void OutputPadding_SmallerThanDilationButNotStride_IsAllowed()
    {
        // PyTorch's rule is per dimension: outputPadding < stride || outputPadding < dilation.
        var y = F.ConvTranspose2d(Torch.Ones([1, 1, 3, 3], DType.Float64), Torch.Ones([1, 1, 3, 3], DType.Float64),
            stride: 1, outputPadding: 1, dilation: 2);
        Assert.Equal(new[] { 1, 1, 8, 8 }, y.Shape); // (3 − 1)·1 + 2·2 + 1 + 1
        Assert.Equal(8, Shape.ConvTransposeOutputSize(3, 3, 1, 0, 1, 2));
    }

    [Theory]
    [InlineData(2, 2, 2, 2, 1, 1)] // op = stride, dilation 1
    [InlineData(1, 2, 2, 2, 1, 1)] // only the width violates
    [InlineData(2, 2, 1, 1, 2, 2)] // op = dilation > stride
    [InlineData(1, 1, 2, 1, 1, 1)] // stride (2, 1): the width's 1 is not < 1
    public void OutputPadding_NotSmallerThanStrideOrDilation_ThrowsPyTorchMessage(int opH, int opW, int sH, int sW, int dH, int dW)
    {
        var e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(Torch.Ones([1, 1, 3, 3]), Torch.Ones([1, 1, 3, 3]),
            stride: (sH, sW), outputPadding: (opH, opW), dilation: (dH, dW)));
        // Exactly torch 1.13's message for these four calls of F.conv_transpose2d.
        Assert.Equal($"output padding must be smaller than either stride or dilation, but got output_padding_height: {opH} " +
                     $"output_padding_width: {opW} stride_height: {sH} stride_width: {sW} dilation_height: {dH} dilation_width: {dW}",
                     e.Message);
    }

    [Fact]
    public void Forward_OutputSize_AcceptsMinToMinPlusStrideMinusOne()
    {
        // Module ConvTranspose2d(2, 3, 3, stride (3, 2), padding 1) on 3×4: min = (3−1)·3 − 2 + 2 + 1 = 7
        // rows and (4−1)·2 − 2 + 2 + 1 = 7 columns; accepted up to 7 + 3 − 1 = 9 and 7 + 2 − 1 = 8.
        Torch.ManualSeed(7);
        var m = new ConvTranspose2d(2, 3, 3, stride: (3, 2), padding: 1);
        var x = Torch.Randn([1, 2, 3, 4], new Generator(8));
        for (int h = 7; h <= 9; h++)
            for (int w = 7; w <= 8; w++)
            {
                var y = m.Forward(x, [h, w]);
                Assert.Equal(new[] { 1, 3, h, w }, y.Shape);
                var expected = F.ConvTranspose2d(x, m.Weight, m.Bias, stride: (3, 2), padding: 1, outputPadding: (h - 7, w - 7));
                AssertEqualTensors(expected, y);
                // The full [N, C, H, W] form is accepted too.
                AssertEqualTensors(expected, m.Forward(x, [1, 3, h, w]));
                // And each of these sizes goes back to 3×4 through the conv.
                Assert.Equal(3, Shape.ConvOutputSize(h, 3, 3, 1, 1));
                Assert.Equal(4, Shape.ConvOutputSize(w, 3, 2, 1, 1));
            }
    }

    [Theory]
    [InlineData(6, 7)]
    [InlineData(10, 7)]
    [InlineData(7, 6)]
    [InlineData(7, 9)]
    public void Forward_OutputSizeOutsideRange_Throws(int h, int w)
    {
        var m = new ConvTranspose2d(2, 3, 3, stride: (3, 2), padding: 1);
        var x = Torch.Randn([1, 2, 3, 4], new Generator(8));
        var e = Assert.Throws<ArgumentException>(() => m.Forward(x, [h, w]));
        // torch 1.13: "requested an output size of [6, 7], but valid sizes range from [7, 7] to [9, 8]
        // (for an input of torch.Size([3, 4]))"; MiniTorch prints the input size as [3, 4].
        Assert.StartsWith($"requested an output size of [{h}, {w}], but valid sizes range from [7, 7] to [9, 8]", e.Message);
        Assert.Contains("[3, 4]", e.Message);
    }

    // ---------- Keras 'same' / 'valid' for ConvTranspose2d ----------

    [Fact]
    public void KerasSame_OutputIsInputTimesStride_CropFollowsKeras()
    {
        // Keras Conv2DTranspose(padding='same') is the gradient of a 'same' conv on an i·s input:
        // TensorFlow pads that conv by max(k_eff − s, 0) in total, ⌊total/2⌋ before, the rest after.
        // So the result is the full output (length (i − 1)s + k_eff) with ⌊(k_eff − s)/2⌋ cropped at
        // the start and the rest at the end; if k_eff < s nothing is cropped and the tail up to i·s
        // lies beyond every kernel copy (bias only).
        for (int i = 1; i <= 3; i++)
            for (int k = 1; k <= 4; k++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                    {
                        int seed = ((i * 5 + k) * 5 + s) * 3 + d;
                        var x = Rand([1, 2, i, i + 1], seed);
                        var w = Rand([2, 1, k, k], seed + 1);
                        var b = Rand([1], seed + 2);
                        var y = F.ConvTranspose2d(x, w, b, stride: s, padding: Padding2d.Same, dilation: d);
                        Assert.Equal(new[] { 1, 1, i * s, (i + 1) * s }, y.Shape);

                        int kEff = d * (k - 1) + 1, total = kEff - s;
                        var full = Full(x, w, b, s, d);
                        if (total >= 0)
                        {
                            int before = total / 2; // floor: the larger half goes to the end
                            AssertClose(full.Narrow(2, before, i * s).Narrow(3, before, (i + 1) * s), y, 1e-14);
                        }
                        else
                        {
                            AssertClose(full, y.Narrow(2, 0, full.Size(2)).Narrow(3, 0, full.Size(3)), 1e-14);
                            AssertTailIsBias(y, full.Size(2), full.Size(3), b.Item());
                        }
                    }
    }

    [Fact]
    public void KerasSame_EvenKernelStrideOne_CropsOneMoreAtTheEnd()
    {
        // k = 4, s = 1: crop 3 = 1 before + 2 after (Keras/TF put the odd one at the end; a
        // symmetric-first rule would crop 2 before).
        var x = Rand([1, 1, 3, 3], 11);
        var w = Rand([1, 1, 4, 4], 12);
        var y = F.ConvTranspose2d(x, w, stride: 1, padding: Padding2d.Same);
        Assert.Equal(new[] { 1, 1, 3, 3 }, y.Shape);
        AssertClose(Full(x, w, null, 1, 1).Narrow(2, 1, 3).Narrow(3, 1, 3), y, 1e-14);
        Assert.Equal((1, 2), Shape.KerasTransposeSameCrop(4, 1, 1));
    }

    [Fact]
    public void KerasValid_OutputIsInputMinusOneTimesStridePlusMaxOfKernelAndStride()
    {
        // 'valid': (i − 1)s + max(k_eff, s). When k_eff ≥ s that is the full output; otherwise the
        // last s − k_eff rows/columns are beyond every kernel copy (bias only).
        for (int i = 1; i <= 3; i++)
            for (int k = 1; k <= 4; k++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                    {
                        int seed = ((i * 5 + k) * 5 + s) * 3 + d + 1000;
                        var x = Rand([1, 1, i, i], seed);
                        var w = Rand([1, 2, k, k], seed + 1);
                        var b = Rand([2], seed + 2);
                        int kEff = d * (k - 1) + 1, o = (i - 1) * s + Math.Max(kEff, s);
                        var y = F.ConvTranspose2d(x, w, b, stride: s, padding: Padding2d.Valid, dilation: d);
                        Assert.Equal(new[] { 1, 2, o, o }, y.Shape);
                        var full = Full(x, w, b, s, d);
                        AssertClose(full, y.Narrow(2, 0, full.Size(2)).Narrow(3, 0, full.Size(3)), 1e-14);
                        if (kEff < s)
                        {
                            var yb = b.ToDoubleArray();
                            AssertTailIsBias(y.Narrow(1, 0, 1), full.Size(2), full.Size(3), yb[0]);
                            AssertTailIsBias(y.Narrow(1, 1, 1), full.Size(2), full.Size(3), yb[1]);
                        }
                    }
    }

    private static void AssertTailIsBias(Tensor y, int rows, int cols, double bias)
    {
        int h = y.Size(2), w = y.Size(3);
        var v = y.Contiguous().ToDoubleArray();
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
                if (r >= rows || c >= cols)
                    Assert.Equal(bias, v[r * w + c]);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double rel)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToDoubleArray();
        var g = actual.ToDoubleArray();
        double scale = e.Max(Math.Abs) + 1e-300;
        for (int j = 0; j < e.Length; j++)
            Assert.True(Math.Abs(e[j] - g[j]) <= rel * scale, $"[{j}]: expected {e[j]:R}, got {g[j]:R}");
    }
}
