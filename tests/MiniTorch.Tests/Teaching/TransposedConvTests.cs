using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Nn;
using MiniTorch.Teaching;

namespace MiniTorch.Tests.Teaching;

/// <summary>Every teaching view of transposed convolution agrees with F.ConvTranspose2d (float64, 1e-12).</summary>
public class TransposedConvTests
{
    [Property(MaxTest = 150)]
    public void Scatter_RandomConfigurations_MatchesConvTranspose2d(TransposedCase c)
    {
        var (x, w) = c.Operands();
        var r = TransposedConv.Scatter(x, w, c.Stride, c.Padding, c.OutputPadding, c.Dilation, c.Groups);
        TransposedCase.AssertClose(c.Reference(x, w), r.Output, $"{c} output");
        Assert.Equal(new Size2(c.PH, c.PW), r.Crop);
        // The uncropped canvas is the transposed convolution without padding (outputPadding kept).
        var full = F.ConvTranspose2d(x, w, null, c.Stride, 0, c.OutputPadding, c.Groups, c.Dilation);
        TransposedCase.AssertClose(full, r.Full, $"{c} full");
        if (x.Numel <= 64)
        {
            Assert.Equal(x.Numel, r.Copies.Count);
            var sum = r.Copies.GroupBy(k => k.Batch).OrderBy(b => b.Key)
                .Select(b => b.Select(k => k.Canvas).Aggregate((a, b2) => a + b2).Unsqueeze(0)).ToArray();
            TransposedCase.AssertClose(r.Full, Torch.Cat(sum), $"{c} sum of copies");
        }
    }

    [Fact]
    public void Scatter_CopiesAreScaledKernelsAtStrideOffsets()
    {
        var x = Torch.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3);
        var w = Torch.Linspace(0.1, 4.8, 48, DType.Float64).View(1, 3, 4, 4);
        var r = TransposedConv.Scatter(x, w, stride: 2);
        Assert.Equal(6, r.Copies.Count);
        var fifth = r.Copies[4];
        Assert.Equal((0, 0, 1, 1, 5.0, 2, 2), (fifth.Batch, fifth.Channel, fifth.Row, fifth.Col, fifth.Value, fifth.Top, fifth.Left));
        // The copy is 5·w placed at rows 2..5, columns 2..5, zero elsewhere.
        var expected = Torch.Zeros([3, 6, 8], DType.Float64);
        expected.Narrow(1, 2, 4).Narrow(2, 2, 4).CopyFrom(w[0] * 5.0);
        TransposedCase.AssertClose(expected, fifth.Canvas, "copy of x[1,1]");
        Assert.Empty(TransposedConv.Scatter(x, w, maxCopies: 5).Copies);
    }

    [Fact]
    public void Cases_IncludeNegativeEffectivePadding()
    {
        // The zero-insertion view crops when p > d(k−1); the property above must see such cases.
        var cases = TransposedCase.Cases().Sample(150, new Rnd(16438, 11400714819323198485), 50);
        Assert.Contains(cases, c => c.PH > c.DH * (c.KH - 1) || c.PW > c.DW * (c.KW - 1));
    }

    [Property(MaxTest = 150)]
    public void ZeroInsertion_RandomConfigurations_MatchesConvTranspose2dAndConv2d(TransposedCase c)
    {
        var (x, w) = c.Operands();
        var r = TransposedConv.ZeroInsertion(x, w, c.Stride, c.Padding, c.OutputPadding, c.Dilation, c.Groups);
        TransposedCase.AssertClose(c.Reference(x, w), r.Output, $"{c} output");
        Assert.Equal(new SidePadding(c.DH * (c.KH - 1) - c.PH, c.DH * (c.KH - 1) - c.PH + c.OPH), r.PadH);
        Assert.Equal(new SidePadding(c.DW * (c.KW - 1) - c.PW, c.DW * (c.KW - 1) - c.PW + c.OPW), r.PadW);
        Assert.Equal(new[] { c.N, c.Cin, (c.H - 1) * c.SH + 1, (c.W - 1) * c.SW + 1 }, r.Stretched.Shape);
        // The stretched input holds x at multiples of the stride and zeros elsewhere.
        TransposedCase.AssertClose(x, r.Stretched.Slice(2, step: c.SH).Slice(3, step: c.SW), $"{c} stretched");
        Assert.Equal(x.ToDoubleArray().Sum(v => v * v), r.Stretched.ToDoubleArray().Sum(v => v * v), 12);
        // The last step really is an ordinary convolution, as the fast op computes it.
        TransposedCase.AssertClose(F.Conv2d(r.Padded, r.FlippedKernel, null, 1, 0, c.Dilation, c.Groups), r.Output, $"{c} conv");
    }

    [Fact]
    public void ZeroInsertion_NegativeEffectivePadding_CropsTheStretchedInput()
    {
        // k = 2, p = 2: d(k−1) − p = −1, so one row/column is cropped from each side.
        var x = Torch.Arange(1, 17, 1, DType.Float64).View(1, 1, 4, 4);
        var w = Torch.FromArray(new double[] { 0, 1, 2, 3 }, 1, 1, 2, 2);
        var r = TransposedConv.ZeroInsertion(x, w, stride: 1, padding: 2);
        Assert.Equal(new SidePadding(-1, -1), r.PadH);
        TransposedCase.AssertClose(x.Narrow(2, 1, 2).Narrow(3, 1, 2), r.Padded, "cropped");
        TransposedCase.AssertClose(Torch.FromArray(new double[] { 3, 2, 1, 0 }, 1, 1, 2, 2), r.FlippedKernel, "flipped");
        TransposedCase.AssertClose(F.ConvTranspose2d(x, w, padding: 2), r.Output, "output");
    }

    [Fact]
    public void ZeroInsertion_GroupedKernel_IsFlippedAndChannelSwappedPerGroup()
    {
        // weight [C_in = 4, C_out/g = 3, 2, 2] with 2 groups → flipped [C_out = 6, C_in/g = 2, 2, 2].
        var w = Torch.Arange(0, 48, 1, DType.Float64).View(4, 3, 2, 2);
        var r = TransposedConv.ZeroInsertion(Torch.Ones([1, 4, 2, 2], DType.Float64), w, groups: 2);
        Assert.Equal(new[] { 6, 2, 2, 2 }, r.FlippedKernel.Shape);
        // Output channel 4 is group 1's second output; its input channel 1 is global input channel 3.
        TransposedCase.AssertClose(w[3][1].Flip(0, 1), r.FlippedKernel[4][1], "group 1");
        TransposedCase.AssertClose(w[0][2].Flip(0, 1), r.FlippedKernel[2][0], "group 0");
    }

    [Property(MaxTest = 100)]
    public void AsMatrix_RandomConfigurations_TransposeIsConvTranspose2dAndConvInputGradient(TransposedCase c)
    {
        var (x, w) = c.Operands();
        var m = TransposedConv.AsMatrixFor(x, w, c.Stride, c.Padding, c.OutputPadding, c.Dilation, c.Groups);
        Assert.Equal((c.Cout * c.OH * c.OW, c.Cin * c.H * c.W), (m.C.ColumnCount, m.C.RowCount));
        TransposedCase.AssertClose(c.Reference(x, w), m.ApplyTransposed(x), $"{c} C^T x");
        // C itself is Conv2d on inputs of the transposed output's size ...
        var z = Torch.Randn([c.N, c.Cout, c.OH, c.OW], new Generator(c.Seed + 1L), DType.Float64).RequiresGrad_();
        // (Narrowed: with outputPadding ≥ stride, Conv2d has positions the transposed op never reads.)
        var conv = F.Conv2d(z, w, null, c.Stride, c.Padding, c.Dilation, c.Groups).Narrow(2, 0, c.H).Narrow(3, 0, c.W);
        TransposedCase.AssertClose(conv, m.Apply(z), $"{c} C z");
        // ... and backprop through Conv2d multiplies the upstream gradient by Cᵀ: the same product.
        var upstream = Torch.Randn(conv.Shape, new Generator(c.Seed + 2L), DType.Float64);
        var grad = Torch.Grad(conv, z, upstream);
        TransposedCase.AssertClose(m.ApplyTransposed(upstream), grad, $"{c} input gradient");
    }

    [Fact]
    public void AsMatrix_ThreeByThreeKernelOnFourByFour_HasKernelRowsAtStrideOffsets()
    {
        var w = Torch.Arange(1, 10, 1, DType.Float64).View(1, 1, 3, 3);
        var m = TransposedConv.AsMatrix(w, (4, 4));
        Assert.Equal((4, 16), (m.C.RowCount, m.C.ColumnCount));
        // Row for output (0, 1): kernel rows start at input columns 1, 5, 9.
        double[] expected = [0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0];
        Assert.Equal(expected, m.C.Row(1).ToArray());
        Assert.Equal(new[] { 4, 16 }, m.ToTensor().Shape);
    }

    [Property(MaxTest = 100)]
    public void Overlap_RandomConfigurations_EqualsConvTranspose2dOfOnes(TransposedCase c)
    {
        var map = TransposedConv.Overlap((c.KH, c.KW), c.Stride, (c.H, c.W), c.Padding, c.Dilation, c.OutputPadding);
        var ones = F.ConvTranspose2d(Torch.Ones([1, 1, c.H, c.W], DType.Float64), Torch.Ones([1, 1, c.KH, c.KW], DType.Float64),
                                     null, c.Stride, c.Padding, c.OutputPadding, 1, c.Dilation);
        TransposedCase.AssertClose(ones[0][0], map.ToTensor(DType.Float64), $"{c} 2-D");
        int[] rows = TransposedConv.Overlap(c.KH, c.SH, c.H, c.PH, c.DH, c.OPH), cols = TransposedConv.Overlap(c.KW, c.SW, c.W, c.PW, c.DW, c.OPW);
        for (int r = 0; r < map.Height; r++)
            for (int q = 0; q < map.Width; q++)
                Assert.Equal(rows[r] * cols[q], map.Counts[r, q]);
    }

    [Theory]
    [InlineData(3, 2, new[] { 1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1 })]          // uneven: checkerboard
    [InlineData(4, 2, new[] { 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1 })]       // k divisible by s: even interior
    [InlineData(9, 2, new[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 4, 5, 4, 4, 3, 3, 2, 2, 1, 1 })] // FSRCNN: 5/4 alternate
    public void Overlap_OneDimension_InteriorRepeatsWithPeriodStride(int kernel, int stride, int[] expected)
    {
        int length = (expected.Length - kernel) / stride + 1;
        Assert.Equal(expected, TransposedConv.Overlap(kernel, stride, length));
    }

    [Fact]
    public void Views_BadArguments_ThrowPyTorchMessages()
    {
        var w = Torch.Ones([2, 1, 3, 3], DType.Float64);
        var e = Assert.Throws<ArgumentException>(() => TransposedConv.Scatter(Torch.Ones([2, 3, 3], DType.Float64), w));
        Assert.Equal("TransposedConv.Scatter expects an input of shape [N, C_in, H, W], got [2, 3, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => TransposedConv.ZeroInsertion(Torch.Ones([1, 3, 3, 3], DType.Float64), w));
        Assert.Equal("Given transposed=1, weight of size [2, 1, 3, 3], expected input[1, 3, 3, 3] to have 2 channels, but got 3 channels instead", e.Message);
        e = Assert.Throws<ArgumentException>(() => TransposedConv.Scatter(Torch.Ones([1, 2, 3, 3], DType.Float64), w, stride: 2, outputPadding: 2));
        Assert.StartsWith("output padding must be smaller than either stride or dilation", e.Message);
        Assert.Throws<ArgumentException>(() => TransposedConv.Overlap(0, 2, 4));
        Assert.Throws<ArgumentException>(() => TransposedConv.Overlap(3, 1, 1, padding: 2));
        e = Assert.Throws<ArgumentException>(() => TransposedConv.AsMatrix(Torch.Ones([3, 3], DType.Float64), (4, 4)));
        Assert.Equal("expected a Conv2d weight of shape [K, C/groups, kH, kW], got [3, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => TransposedConv.AsMatrix(w, (4, 4)).Apply(Torch.Ones([1, 2, 5, 4], DType.Float64)));
        Assert.Equal("expected the matrix's input of shape [N, 1, 4, 4], got [1, 2, 5, 4]", e.Message);
    }
}
