using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// Dumoulin &amp; Visin, "A guide to convolution arithmetic for deep learning" (arXiv:1603.07285):
/// relationships 1–15, one test each, with the paper's figure cases. Numbering as in the paper:
/// 1–6 convolution, 7 pooling, 8–14 transposed convolution, 15 dilated convolution.
/// Notation: i input size, k kernel, s stride, p padding, o output size; primes are the
/// transposed convolution's, ĩ' its input stretched by s − 1 zeros between units.
/// </summary>
/// <remarks>
/// Each test checks the relationship three ways: the Shape formula, the shape the op actually
/// produces, and (for the transposed ones) that ConvTranspose2d maps the conv's output shape back
/// to its input shape, equals the paper's equivalent direct convolution (stretched input, padding
/// p', flipped kernel, unit stride) and is the adjoint / input-gradient of the conv.
/// </remarks>
public class ConvArithmeticTests
{
    // ---------- helpers ----------

    /// <summary>The output size of Conv2d on an i×i input, via the op itself.</summary>
    private static int ConvOut(int i, int k, int s, int p, int d = 1)
    {
        var y = F.Conv2d(Torch.Ones([1, 1, i, i], DType.Float64), Torch.Ones([1, 1, k, k], DType.Float64),
            stride: s, padding: p, dilation: d);
        Assert.Equal(y.Size(2), y.Size(3));
        return y.Size(2);
    }

    /// <summary>The output size of ConvTranspose2d on an i'×i' input, via the op itself.</summary>
    private static int ConvTOut(int iPrime, int k, int s, int p, int a = 0, int d = 1)
    {
        var y = F.ConvTranspose2d(Torch.Ones([1, 1, iPrime, iPrime], DType.Float64), Torch.Ones([1, 1, k, k], DType.Float64),
            stride: s, padding: p, outputPadding: a, dilation: d);
        Assert.Equal(y.Size(2), y.Size(3));
        return y.Size(2);
    }

    /// <summary>Checks o for a conv relationship: formula, Shape, and the op.</summary>
    private static void AssertConv(int i, int k, int s, int p, int expectedO, int d = 1)
    {
        Assert.Equal(expectedO, Shape.ConvOutputSize(i, k, s, p, d));
        Assert.Equal(expectedO, ConvOut(i, k, s, p, d));
    }

    /// <summary>
    /// The full check of a transposed relationship for the conv (i, k, s, p, d): the conv's output
    /// i' = o, the transposed conv with a = (i + 2p − d(k−1) − 1) mod s gives o' = i (Shape and op),
    /// equals the equivalent direct convolution with padding p' = d(k−1) − p, and is the adjoint
    /// and the input gradient of the conv.
    /// </summary>
    private static void AssertTransposed(int i, int k, int s, int p, int expectedIPrime, int expectedOPrime,
        int expectedPPrime, int expectedA = 0, int d = 1)
    {
        int iPrime = Shape.ConvOutputSize(i, k, s, p, d);
        Assert.Equal(expectedIPrime, iPrime);
        int a = Shape.ConvAdjointOutputPadding(i, k, s, p, d);
        Assert.Equal(expectedA, a);
        Assert.Equal(expectedOPrime, Shape.ConvTransposeOutputSize(iPrime, k, s, p, a, d));
        Assert.Equal(expectedOPrime, ConvTOut(iPrime, k, s, p, a, d));
        Assert.Equal(i, expectedOPrime); // maps back to the conv's input size
        Assert.Equal(expectedPPrime, d * (k - 1) - p);

        var gen = new Generator(1000 * i + 100 * k + 10 * s + p);
        var x = Torch.Randn([2, 2, i, i], gen, DType.Float64);
        var w = Torch.Randn([3, 2, k, k], gen, DType.Float64); // conv [out, in, k, k] = transposed conv [in', out', k, k]
        var y = Torch.Randn([2, 3, iPrime, iPrime], gen, DType.Float64);

        var ty = F.ConvTranspose2d(y, w, stride: s, padding: p, outputPadding: a, dilation: d);
        Assert.Equal(new[] { 2, 2, i, i }, ty.Shape);

        // The paper's equivalent direct convolution: ĩ' = i' + (i'−1)(s−1), padded by p' on each
        // side plus a on the bottom/right, convolved with the flipped kernel at unit stride.
        var direct = F.Conv2d(Stretch(y, s, expectedPPrime, a), w.Transpose(0, 1).Flip(2, 3), dilation: d);
        AssertClose(direct, ty, 1e-12);

        // Adjoint: ⟨Conv2d(x), y⟩ = ⟨x, ConvTranspose2d(y)⟩.
        var cx = F.Conv2d(x, w, stride: s, padding: p, dilation: d);
        Assert.Equal(y.Shape, cx.Shape);
        double lhs = (cx * y).Sum().Item(), rhs = (x * ty).Sum().Item();
        double scale = (cx.Abs() * y.Abs()).Sum().Item();
        Assert.True(Math.Abs(lhs - rhs) <= 1e-12 * scale, $"⟨Cx, y⟩ = {lhs:R}, ⟨x, Cᵀy⟩ = {rhs:R}");

        // Gradient: the conv's input gradient for upstream y is ConvTranspose2d(y), and the
        // transposed conv's input gradient for upstream x is Conv2d(x).
        var xg = x.Detach().RequiresGrad_();
        F.Conv2d(xg, w, stride: s, padding: p, dilation: d).Backward(y);
        AssertClose(ty, xg.Grad!, 1e-12);
        var yg = y.Detach().RequiresGrad_();
        F.ConvTranspose2d(yg, w, stride: s, padding: p, outputPadding: a, dilation: d).Backward(x);
        AssertClose(cx, yg.Grad!, 1e-12);
    }

    /// <summary>Inserts s − 1 zeros between units, pads by <paramref name="pad"/> and adds <paramref name="extra"/> at the bottom/right.</summary>
    private static Tensor Stretch(Tensor y, int s, int pad, int extra)
    {
        int n = y.Size(0), c = y.Size(1), h = y.Size(2), w = y.Size(3);
        int sh = (h - 1) * s + 1 + 2 * pad + extra, sw = (w - 1) * s + 1 + 2 * pad + extra;
        var src = y.ToDoubleArray();
        var dst = new double[n * c * sh * sw];
        for (int b = 0; b < n * c; b++)
            for (int r = 0; r < h; r++)
                for (int q = 0; q < w; q++)
                    dst[(b * sh + pad + r * s) * sw + pad + q * s] = src[(b * h + r) * w + q];
        return Torch.FromArray(dst, n, c, sh, sw);
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

    // ---------- 2.1–2.4: convolution ----------

    /// <summary>Relationship 1: for any i and k, and for s = 1 and p = 0, o = (i − k) + 1.</summary>
    [Fact]
    public void Relationship01_NoPaddingUnitStrides_OutputIsInputMinusKernelPlusOne()
    {
        AssertConv(i: 4, k: 3, s: 1, p: 0, expectedO: 2); // figure 2.1
        for (int i = 1; i <= 8; i++)
            for (int k = 1; k <= i; k++)
                AssertConv(i, k, 1, 0, (i - k) + 1);
    }

    /// <summary>Relationship 2: for any i, k and p, and for s = 1, o = (i − k) + 2p + 1.</summary>
    [Fact]
    public void Relationship02_ZeroPaddingUnitStrides_OutputIsInputMinusKernelPlusTwoPaddingPlusOne()
    {
        AssertConv(i: 5, k: 4, s: 1, p: 2, expectedO: 6); // figure 2.2
        for (int i = 1; i <= 7; i++)
            for (int k = 1; k <= 5; k++)
                for (int p = 0; p <= 3; p++)
                    if (i + 2 * p >= k) AssertConv(i, k, 1, p, (i - k) + 2 * p + 1);
    }

    /// <summary>
    /// Relationship 3 (half / same padding): for any i and for k odd (k = 2n + 1), s = 1 and
    /// p = ⌊k/2⌋ = n, o = i + 2⌊k/2⌋ − (k − 1) = i.
    /// </summary>
    [Fact]
    public void Relationship03_HalfPaddingUnitStrides_OutputEqualsInput()
    {
        AssertConv(i: 5, k: 3, s: 1, p: 1, expectedO: 5); // figure 2.3
        for (int i = 1; i <= 8; i++)
            for (int n = 0; n <= 3; n++)
            {
                int k = 2 * n + 1;
                AssertConv(i, k, 1, k / 2, i);
                // padding='same' is exactly this padding for odd k (same shape, same values).
                var gen = new Generator(10 * i + n);
                var x = Torch.Randn([1, 2, i, i], gen, DType.Float64);
                var w = Torch.Randn([3, 2, k, k], gen, DType.Float64);
                var same = F.Conv2d(x, w, padding: Padding2d.Same);
                Assert.Equal(new[] { 1, 3, i, i }, same.Shape);
                Assert.Equal(F.Conv2d(x, w, padding: k / 2).ToDoubleArray(), same.ToDoubleArray());
            }
    }

    /// <summary>Relationship 4 (full padding): for any i and k, and for p = k − 1 and s = 1, o = i + (k − 1).</summary>
    [Fact]
    public void Relationship04_FullPaddingUnitStrides_OutputIsInputPlusKernelMinusOne()
    {
        AssertConv(i: 5, k: 3, s: 1, p: 2, expectedO: 7); // figure 2.4
        for (int i = 1; i <= 7; i++)
            for (int k = 1; k <= 5; k++)
                AssertConv(i, k, 1, k - 1, i + (k - 1));
    }

    /// <summary>Relationship 5: for any i, k and s, and for p = 0, o = ⌊(i − k)/s⌋ + 1.</summary>
    [Fact]
    public void Relationship05_NoPaddingStrides_OutputIsFloorOfStepsPlusOne()
    {
        AssertConv(i: 5, k: 3, s: 2, p: 0, expectedO: 2); // figure 2.6
        for (int i = 1; i <= 9; i++)
            for (int k = 1; k <= i; k++)
                for (int s = 1; s <= 4; s++)
                    AssertConv(i, k, s, 0, (int)Math.Floor((i - k) / (double)s) + 1);
    }

    /// <summary>
    /// Relationship 6 (the general case): for any i, k, p and s, o = ⌊(i + 2p − k)/s⌋ + 1.
    /// The floor makes inputs i + a, a ∈ {0, …, s − 1}, share one output size when i + 2p − k is a
    /// multiple of s: figures 2.7 (i = 5) and 2.8 (i = 6) both give 3.
    /// </summary>
    [Fact]
    public void Relationship06_PaddingStrides_GeneralCase_FloorSharesOutputSizes()
    {
        AssertConv(i: 5, k: 3, s: 2, p: 1, expectedO: 3); // figure 2.7
        AssertConv(i: 6, k: 3, s: 2, p: 1, expectedO: 3); // figure 2.8: bottom row / right column unused
        for (int i = 1; i <= 8; i++)
            for (int k = 1; k <= 5; k++)
                for (int p = 0; p <= 2; p++)
                    for (int s = 1; s <= 3; s++)
                        if (i + 2 * p >= k)
                        {
                            int o = (int)Math.Floor((i + 2 * p - k) / (double)s) + 1;
                            AssertConv(i, k, s, p, o);
                            if ((i + 2 * p - k) % s == 0)
                                for (int a = 0; a < s; a++) Assert.Equal(o, Shape.ConvOutputSize(i + a, k, s, p, 1));
                        }
    }

    // ---------- 3: pooling ----------

    /// <summary>
    /// Relationship 7 (pooling): for any i, k and s, o = ⌊(i − k)/s⌋ + 1. "This relationship holds
    /// for any type of pooling"; here average pooling, written as a depthwise convolution with a
    /// constant 1/k² kernel (groups = channels), checked for its shape and its window means.
    /// </summary>
    [Fact]
    public void Relationship07_Pooling_OutputIsFloorOfStepsPlusOne()
    {
        static Tensor AvgPool(Tensor x, int k, int s)
        {
            int c = x.Size(1);
            return F.Conv2d(x, Torch.Full([c, 1, k, k], 1.0 / (k * k), DType.Float64), stride: s, groups: c);
        }

        // The paper's pooling figures: 3×3 windows over a 5×5 input, unit strides → 3×3.
        var x = Torch.Arange(0, 50, 1, DType.Float64).View(1, 2, 5, 5);
        var y = AvgPool(x, 3, 1);
        Assert.Equal(new[] { 1, 2, 3, 3 }, y.Shape);
        // Window at (r, q) of channel c averages x[c, r..r+2, q..q+2]; arange makes that the centre.
        var yv = y.ToDoubleArray();
        for (int c = 0; c < 2; c++)
            for (int r = 0; r < 3; r++)
                for (int q = 0; q < 3; q++)
                    Assert.Equal(25 * c + (r + 1) * 5 + (q + 1), yv[(c * 3 + r) * 3 + q], 12);

        for (int i = 1; i <= 9; i++)
            for (int k = 1; k <= i; k++)
                for (int s = 1; s <= 4; s++)
                {
                    int o = (int)Math.Floor((i - k) / (double)s) + 1;
                    Assert.Equal(o, Shape.ConvOutputSize(i, k, s, 0, 1));
                    Assert.Equal(new[] { 1, 2, o, o }, AvgPool(Torch.Ones([1, 2, i, i], DType.Float64), k, s).Shape);
                }
    }

    // ---------- 4: transposed convolution ----------

    /// <summary>
    /// Relationship 8: a convolution described by s = 1, p = 0 and k has an associated transposed
    /// convolution described by k' = k, s' = s and p' = k − 1 and its output size is o' = i' + (k − 1).
    /// </summary>
    [Fact]
    public void Relationship08_Transposed_NoPaddingUnitStrides_IsFullPaddingConv()
    {
        // Figure 4.1: i = 4, k = 3 → i' = 2, p' = 2, o' = 4.
        AssertTransposed(i: 4, k: 3, s: 1, p: 0, expectedIPrime: 2, expectedOPrime: 4, expectedPPrime: 2);
        for (int iPrime = 1; iPrime <= 5; iPrime++)
            for (int k = 1; k <= 4; k++)
            {
                Assert.Equal(iPrime + (k - 1), Shape.ConvTransposeOutputSize(iPrime, k, 1, 0, 0, 1));
                Assert.Equal(iPrime + (k - 1), ConvTOut(iPrime, k, 1, 0));
            }
    }

    /// <summary>
    /// Relationship 9: a convolution described by s = 1, k and p has an associated transposed
    /// convolution described by k' = k, s' = s and p' = k − p − 1 and its output size is
    /// o' = i' + (k − 1) − 2p.
    /// </summary>
    [Fact]
    public void Relationship09_Transposed_ZeroPaddingUnitStrides_PaddingIsKernelMinusPaddingMinusOne()
    {
        // Figure 4.2: i = 5, k = 4, p = 2 → i' = 6, p' = 1, o' = 5.
        AssertTransposed(i: 5, k: 4, s: 1, p: 2, expectedIPrime: 6, expectedOPrime: 5, expectedPPrime: 1);
        for (int iPrime = 1; iPrime <= 5; iPrime++)
            for (int k = 1; k <= 4; k++)
                for (int p = 0; p < k; p++)
                {
                    int o = iPrime + (k - 1) - 2 * p;
                    if (o < 1) continue;
                    Assert.Equal(o, Shape.ConvTransposeOutputSize(iPrime, k, 1, p, 0, 1));
                    Assert.Equal(o, ConvTOut(iPrime, k, 1, p));
                }
    }

    /// <summary>
    /// Relationship 10 (half padding, transposed): a convolution described by k = 2n + 1, s = 1 and
    /// p = ⌊k/2⌋ = n has an associated transposed convolution described by k' = k, s' = s and
    /// p' = p and its output size is o' = i' + (k − 1) − 2p = i'.
    /// </summary>
    [Fact]
    public void Relationship10_Transposed_HalfPadding_OutputEqualsInput()
    {
        // Figure 4.3: i = 5, k = 3, p = 1 → i' = 5, p' = 1, o' = 5.
        AssertTransposed(i: 5, k: 3, s: 1, p: 1, expectedIPrime: 5, expectedOPrime: 5, expectedPPrime: 1);
        for (int iPrime = 1; iPrime <= 6; iPrime++)
            for (int n = 0; n <= 2; n++)
                Assert.Equal(iPrime, ConvTOut(iPrime, 2 * n + 1, 1, n));
    }

    /// <summary>
    /// Relationship 11 (full padding, transposed): a convolution described by s = 1, k and
    /// p = k − 1 has an associated transposed convolution described by k' = k, s' = s and p' = 0
    /// and its output size is o' = i' + (k − 1) − 2p = i' − (k − 1).
    /// </summary>
    [Fact]
    public void Relationship11_Transposed_FullPadding_IsUnpaddedConv()
    {
        // Figure 4.4: i = 5, k = 3, p = 2 → i' = 7, p' = 0, o' = 5.
        AssertTransposed(i: 5, k: 3, s: 1, p: 2, expectedIPrime: 7, expectedOPrime: 5, expectedPPrime: 0);
        for (int iPrime = 1; iPrime <= 7; iPrime++)
            for (int k = 1; k <= iPrime; k++)
                Assert.Equal(iPrime - (k - 1), ConvTOut(iPrime, k, 1, k - 1));
    }

    /// <summary>
    /// Relationship 12: a convolution described by p = 0, k and s and whose input size is such
    /// that i − k is a multiple of s, has an associated transposed convolution described by ĩ',
    /// k' = k, s' = 1 and p' = k − 1, where ĩ' is the size of the stretched input obtained by
    /// adding s − 1 zeros between each input unit, and its output size is o' = s(i' − 1) + k.
    /// </summary>
    [Fact]
    public void Relationship12_Transposed_NoPaddingStrides_StretchedInputFullPadding()
    {
        // Figure 4.5: i = 5, k = 3, s = 2 → i' = 2, ĩ' = 3, p' = 2, o' = 5.
        AssertTransposed(i: 5, k: 3, s: 2, p: 0, expectedIPrime: 2, expectedOPrime: 5, expectedPPrime: 2);
        for (int k = 1; k <= 4; k++)
            for (int s = 1; s <= 3; s++)
                for (int i = k; i <= k + 2 * s; i += s) // i − k a multiple of s
                {
                    int iPrime = Shape.ConvOutputSize(i, k, s, 0, 1);
                    Assert.Equal(s * (iPrime - 1) + k, ConvTOut(iPrime, k, s, 0));
                    Assert.Equal(i, s * (iPrime - 1) + k);
                }
    }

    /// <summary>
    /// Relationship 13: a convolution described by k, s and p and whose input size i is such that
    /// i + 2p − k is a multiple of s has an associated transposed convolution described by ĩ',
    /// k' = k, s' = 1 and p' = k − p − 1, where ĩ' is the size of the stretched input obtained by
    /// adding s − 1 zeros between each input unit, and its output size is o' = s(i' − 1) + k − 2p.
    /// </summary>
    [Fact]
    public void Relationship13_Transposed_PaddingStrides_StretchedInput()
    {
        // Figure 4.6: i = 5, k = 3, s = 2, p = 1 → i' = 3, ĩ' = 5, p' = 1, o' = 5.
        AssertTransposed(i: 5, k: 3, s: 2, p: 1, expectedIPrime: 3, expectedOPrime: 5, expectedPPrime: 1);
        for (int k = 1; k <= 4; k++)
            for (int s = 1; s <= 3; s++)
                for (int p = 0; p < k; p++)
                    for (int i = Math.Max(1, k - 2 * p); i <= 8; i++)
                        if ((i + 2 * p - k) % s == 0)
                        {
                            int iPrime = Shape.ConvOutputSize(i, k, s, p, 1);
                            Assert.Equal(i, s * (iPrime - 1) + k - 2 * p);
                            Assert.Equal(i, ConvTOut(iPrime, k, s, p));
                        }
    }

    /// <summary>
    /// Relationship 14: a convolution described by k, s and p has an associated transposed
    /// convolution described by a, ĩ', k' = k, s' = 1 and p' = k − p − 1, where ĩ' is the size of
    /// the stretched input obtained by adding s − 1 zeros between each input unit, and
    /// a = (i + 2p − k) mod s represents the number of zeros added to the bottom and right edges of
    /// the input, and its output size is o' = s(i' − 1) + a + k − 2p. (PyTorch's outputPadding is a.)
    /// </summary>
    [Fact]
    public void Relationship14_Transposed_PaddingStridesOdd_OutputPaddingIsA()
    {
        // Figure 4.7: i = 6, k = 3, s = 2, p = 1 → i' = 3, ĩ' = 5, a = 1, p' = 1, o' = 6.
        AssertTransposed(i: 6, k: 3, s: 2, p: 1, expectedIPrime: 3, expectedOPrime: 6, expectedPPrime: 1, expectedA: 1);
        // Every i, not only those with i + 2p − k a multiple of s: a recovers the exact input size.
        for (int k = 1; k <= 4; k++)
            for (int s = 1; s <= 3; s++)
                for (int p = 0; p < k; p++)
                    for (int i = Math.Max(1, k - 2 * p); i <= 8; i++)
                    {
                        int iPrime = Shape.ConvOutputSize(i, k, s, p, 1);
                        int a = (i + 2 * p - k) % s;
                        Assert.Equal(a, Shape.ConvAdjointOutputPadding(i, k, s, p, 1));
                        Assert.Equal(i, s * (iPrime - 1) + a + k - 2 * p);
                        Assert.Equal(i, ConvTOut(iPrime, k, s, p, a));
                    }
        // A few full checks (equivalent conv, adjoint, gradient) off the figure.
        AssertTransposed(i: 7, k: 3, s: 3, p: 1, expectedIPrime: 3, expectedOPrime: 7, expectedPPrime: 1, expectedA: 0);
        AssertTransposed(i: 8, k: 3, s: 3, p: 1, expectedIPrime: 3, expectedOPrime: 8, expectedPPrime: 1, expectedA: 1);
        AssertTransposed(i: 9, k: 3, s: 3, p: 1, expectedIPrime: 3, expectedOPrime: 9, expectedPPrime: 1, expectedA: 2);
    }

    // ---------- 5.1: dilated convolution ----------

    /// <summary>
    /// Relationship 15 (dilated convolutions): for any i, k, p and s, and for a dilation rate d,
    /// o = ⌊(i + 2p − k − (k − 1)(d − 1))/s⌋ + 1 (the effective kernel is k̂ = k + (k − 1)(d − 1)).
    /// </summary>
    [Fact]
    public void Relationship15_Dilation_EffectiveKernelSize()
    {
        AssertConv(i: 7, k: 3, s: 1, p: 0, expectedO: 3, d: 2); // figure 5.1
        for (int i = 1; i <= 9; i++)
            for (int k = 1; k <= 3; k++)
                for (int d = 1; d <= 3; d++)
                    for (int s = 1; s <= 3; s++)
                        for (int p = 0; p <= 2; p++)
                        {
                            int kHat = k + (k - 1) * (d - 1);
                            if (i + 2 * p < kHat) continue;
                            AssertConv(i, k, s, p, (int)Math.Floor((i + 2 * p - k - (k - 1) * (d - 1)) / (double)s) + 1, d);
                        }
        // Its transpose: padding p' = d(k − 1) − p around the stretched input, dilated flipped kernel.
        AssertTransposed(i: 7, k: 3, s: 1, p: 0, expectedIPrime: 3, expectedOPrime: 7, expectedPPrime: 4, d: 2);
        AssertTransposed(i: 8, k: 3, s: 2, p: 1, expectedIPrime: 3, expectedOPrime: 8, expectedPPrime: 3, expectedA: 1, d: 2);
    }
}
