using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

public class ConvIntoTests
{
    private static Tensor Dirty(int[] shape, DType dtype) => Torch.Full(shape, double.NaN, dtype);

    [Theory]
    [InlineData(1, 1, 56, 5, 2, 9, 20)]   // FSRCNN's first layer, row padding 0 as the row stream calls it
    [InlineData(2, 12, 12, 3, 1, 7, 33)]
    [InlineData(1, 56, 12, 1, 0, 4, 40)]  // 1×1: the kernel reads the input as the column matrix
    [InlineData(3, 6, 4, 3, 0, 8, 8)]
    public void Conv2dInto_EqualsConv2d_WhateverTheOutputHeld(int n, int cin, int cout, int k, int padW, int h, int w)
    {
        var g = new Generator(7);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Torch.Randn([n, cin, h, w], g, dtype);
            var weight = Torch.Randn([cout, cin, k, k], g, dtype);
            var bias = Torch.Randn([cout], g, dtype);
            var expected = F.Conv2d(x, weight, bias, padding: (0, padW));
            var output = Dirty(expected.Shape, dtype);
            Assert.Same(output, F.Conv2dInto(x, weight, bias, output, padding: (0, padW)));
            Assert.Equal(expected.ToDoubleArray(), output.ToDoubleArray());
            F.Conv2dInto(x, weight, null, output, padding: (0, padW)); // reused, no bias
            Assert.Equal(F.Conv2d(x, weight, null, padding: (0, padW)).ToDoubleArray(), output.ToDoubleArray());
        }
    }

    [Theory]
    [InlineData(56, 1, 9, 2, 8, 4, 1, 12, 30)]  // FSRCNN ×2's last layer with the row stream's row crop of 8
    [InlineData(56, 1, 9, 3, 10, 4, 2, 9, 10)]  // ×3
    [InlineData(8, 4, 4, 2, 1, 1, 0, 5, 6)]     // a DCGAN-like layer (GEMM path)
    public void ConvTranspose2dInto_EqualsConvTranspose2d_WhateverTheOutputHeld(int cin, int cout, int k, int s, int padH, int padW, int outPad, int h, int w)
    {
        var g = new Generator(8);
        var z = Torch.Randn([1, cin, h, w], g);
        var weight = Torch.Randn([cin, cout, k, k], g);
        var bias = Torch.Randn([cout], g);
        var expected = F.ConvTranspose2d(z, weight, bias, stride: s, padding: (padH, padW), outputPadding: outPad);
        var output = Dirty(expected.Shape, DType.Float32);
        Assert.Same(output, F.ConvTranspose2dInto(z, weight, bias, output, stride: s, padding: (padH, padW), outputPadding: outPad));
        Assert.Equal(expected.ToArray(), output.ToArray());
    }

    // Routes that skip zeroing out (ConvKernels.WritesEveryOutput) must still overwrite every element: every
    // applicable route, forced, writes into an output full of NaN exactly what the op computes by that route.
    [Theory]
    [InlineData(false, 1, 12, 56, 1, 1, 0, 0, 6, 37)]   // FSRCNN's expanding 1×1
    [InlineData(false, 2, 12, 12, 3, 1, 0, 1, 7, 33)]   // FSRCNN's 3×3 as the row stream calls it
    [InlineData(false, 2, 3, 5, 4, 2, 1, 1, 9, 10)]     // strided
    [InlineData(true, 1, 56, 1, 9, 2, 8, 4, 12, 30)]    // FSRCNN ×2's last layer (one-channel routes)
    [InlineData(true, 2, 6, 1, 4, 2, 1, 1, 5, 6)]       // one channel, batched
    [InlineData(true, 2, 8, 4, 4, 2, 1, 1, 5, 6)]
    // The GEMM routes that skip the clear: small images batched (Im2colImages, both its packed 2-d form and the
    // column-buffer one), a kernel covering the whole image (WholeImageGemm), one input pixel (OnePixelGemm),
    // groups of one output channel (the dot-product path) and a ragged last 14-row panel.
    [InlineData(false, 5, 4, 6, 4, 2, 1, 1, 8, 8)]
    [InlineData(false, 3, 5, 7, 4, 1, 0, 0, 4, 4)]
    [InlineData(false, 4, 3, 1, 3, 2, 1, 0, 7, 6)]
    [InlineData(false, 3, 6, 15, 3, 2, 1, 1, 9, 9)]
    [InlineData(true, 3, 8, 6, 4, 1, 0, 0, 1, 1)]
    public void Into_EveryRoute_OverwritesTheWholeOutput(bool transposed, int n, int cin, int cout, int k, int s, int padH, int padW, int h, int w)
    {
        var g = new Generator(9);
        var x = Torch.Randn([n, cin, h, w], g);
        var weight = transposed ? Torch.Randn([cin, cout, k, k], g) : Torch.Randn([cout, cin, k, k], g);
        var bias = Torch.Randn([cout], g);
        var geometry = transposed
            ? Shape.ConvTranspose(x.ShapeRef, weight.ShapeRef, bias.ShapeRef, [s, s], ((Padding2d)(padH, padW)).ToConv(), [s - 1, s - 1], 1, [1, 1])
            : Shape.Conv(x.ShapeRef, weight.ShapeRef, bias.ShapeRef, [s, s], ((Padding2d)(padH, padW)).ToConv(), [1, 1], 1);
        var pass = transposed ? MiniTorch.Kernels.ConvPass.InputGrad : MiniTorch.Kernels.ConvPass.Forward;
        var routes = MiniTorch.Kernels.ConvPlanner.Applicable(geometry, pass, MiniTorch.Kernels.ConvPlanner.Isa).ToList();
        Assert.True(routes.Count > 1, $"only {string.Join(", ", routes)} apply to {geometry}");
        foreach (var route in routes)
            using (MiniTorch.Kernels.ConvPlanner.Force(route))
            {
                var expected = transposed
                    ? F.ConvTranspose2d(x, weight, bias, stride: s, padding: (padH, padW), outputPadding: s - 1)
                    : F.Conv2d(x, weight, bias, stride: s, padding: (padH, padW));
                var output = Dirty(expected.Shape, DType.Float32);
                if (transposed) F.ConvTranspose2dInto(x, weight, bias, output, stride: s, padding: (padH, padW), outputPadding: s - 1);
                else F.Conv2dInto(x, weight, bias, output, stride: s, padding: (padH, padW));
                Assert.True(expected.ToArray().AsSpan().SequenceEqual(output.ToArray()), $"route {route} on {geometry}");
            }
    }

    // Conv2dInto into a view with contiguous rows but channels and images further apart (rows [2, 2 + H) of a taller
    // tensor, or channels of a wider one): every applicable route, forced, gives bitwise the contiguous run by that
    // route (DirectRows stores into the view, the others copy in from a temporary) and leaves the rest untouched.
    [Theory]
    [InlineData(1, 12, 12, 3, 1, 0, 1, 7, 32)]   // FSRCNN's 3×3 as the row stream calls it (whole vectors)
    [InlineData(2, 12, 12, 3, 1, 0, 1, 7, 33)]   // batched, a partial last vector
    [InlineData(1, 56, 12, 1, 1, 0, 0, 6, 48)]   // FSRCNN's shrinking 1×1 (read in place)
    [InlineData(2, 3, 5, 4, 2, 1, 1, 9, 10)]     // strided
    public void Conv2dInto_RowViewOut_EveryRoute_BitwiseTheContiguousRun(int n, int cin, int cout, int k, int s, int padH, int padW, int h, int w)
    {
        var g = new Generator(10);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Torch.Randn([n, cin, h, w], g, dtype);
            var weight = Torch.Randn([cout, cin, k, k], g, dtype);
            var bias = Torch.Randn([cout], g, dtype);
            var geometry = Shape.Conv(x.ShapeRef, weight.ShapeRef, bias.ShapeRef, [s, s], ((Padding2d)(padH, padW)).ToConv(), [1, 1], 1);
            var routes = MiniTorch.Kernels.ConvPlanner.Applicable(geometry, MiniTorch.Kernels.ConvPass.Forward, MiniTorch.Kernels.ConvPlanner.Isa).ToList();
            Assert.True(routes.Count > 1, $"only {string.Join(", ", routes)} apply to {geometry}");
            if (MiniTorch.Kernels.ConvPlanner.Isa == MiniTorch.Kernels.ConvIsa.Vector512) Assert.Contains(MiniTorch.Kernels.ConvRoute.DirectRows, routes);
            foreach (var route in routes)
                using (MiniTorch.Kernels.ConvPlanner.Force(route))
                {
                    var expected = Dirty(geometry.SmallShape, dtype);
                    F.Conv2dInto(x, weight, bias, expected, stride: s, padding: (padH, padW));
                    var (oh, ow) = (geometry.SmallShape[2], geometry.SmallShape[3]);
                    var taller = Dirty([n, cout, oh + 5, ow], dtype);
                    var wider = Dirty([n, cout + 3, oh, ow], dtype);
                    foreach (var (whole, view) in new[] { (taller, taller.Narrow(2, 2, oh)), (wider, wider.Narrow(1, 1, cout)) })
                    {
                        Assert.True(!view.IsContiguous || ReferenceEquals(whole, wider) && n == 1);
                        Assert.Same(view, F.Conv2dInto(x, weight, bias, view, stride: s, padding: (padH, padW)));
                        Assert.True(expected.ToDoubleArray().AsSpan().SequenceEqual(view.ToDoubleArray()), $"route {route} on {geometry}, {dtype}, view strides [{string.Join(", ", view.Strides)}]");
                        var all = whole.ToDoubleArray();
                        Assert.Equal(all.Length - view.Numel, all.Count(double.IsNaN));
                    }
                }
        }
    }

    [Fact]
    public void Conv2dInto_RejectsAnOutWhoseRowsAreNotContiguous_ConvTranspose2dIntoStillWantsContiguous()
    {
        var x = Torch.Randn([1, 2, 5, 5]);
        var w = Torch.Randn([3, 2, 3, 3]);
        var columns = Torch.Zeros(1, 3, 3, 6).Narrow(3, 1, 3);
        Assert.Contains("out must have contiguous rows", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, columns)).Message);
        Assert.Contains("out must have contiguous rows", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros(1, 3, 3, 3).Transpose(2, 3))).Message);
        var overlapping = Torch.Zeros(1, 1, 3, 3).Expand(1, 3, 3, 3); // channels 0 apart
        Assert.Contains("out must have contiguous rows", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, overlapping)).Message);
        var wt = Torch.Randn([2, 3, 3, 3]);
        Assert.Contains("out must be contiguous",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose2dInto(x, wt, null, Torch.Zeros(1, 3, 9, 7).Narrow(2, 1, 7))).Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(1)]
    public void Prelu_OnARowView_EqualsPreluOfItsValues_AndTouchesNothingElse(int slopes)
    {
        var g = new Generator(11);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var whole = Torch.Randn([2, 12, 9, 37], g, dtype);
            var before = whole.ToDoubleArray();
            var view = whole.Narrow(2, 3, 4);
            var weight = Torch.Randn([slopes], g, dtype);
            var expected = F.Prelu(view.Contiguous(), weight).ToDoubleArray();
            using (Torch.NoGrad()) Assert.Same(view, F.Prelu_(view, weight));
            Assert.Equal(expected, view.ToDoubleArray());
            var mask = Torch.Zeros([2, 12, 9, 37], dtype);
            mask.Narrow(2, 3, 4).Fill_(1);
            var inView = mask.ToDoubleArray();
            var after = whole.ToDoubleArray();
            for (int i = 0; i < after.Length; i++)
                if (inView[i] == 0) Assert.Equal(before[i], after[i]);
        }
    }

    [Fact]
    public void Into_RejectsABadOutput_AndWhatAutogradWouldNeed()
    {
        var x = Torch.Randn([1, 2, 5, 5]);
        var w = Torch.Randn([3, 2, 3, 3]);
        Assert.Contains("expected out to have shape [1, 3, 3, 3], got [1, 3, 5, 5]",
            Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros(1, 3, 5, 5))).Message);
        Assert.Contains("dtype", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros([1, 3, 3, 3], DType.Float64))).Message);
        Assert.Contains("contiguous rows", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros(1, 3, 3, 3).Transpose(2, 3))).Message);
        var same = Torch.Randn([1, 2, 5, 5]);
        Assert.Contains("shares memory", Assert.Throws<ArgumentException>(() => F.Conv2dInto(same, Torch.Randn([2, 2, 1, 1]), null, same)).Message);
        Assert.Contains("batched", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x[0], w, null, Torch.Zeros(3, 3, 3))).Message);
        Assert.Contains("requires grad", Assert.Throws<InvalidOperationException>(() => F.Conv2dInto(x, w.Clone().RequiresGrad_(), null, Torch.Zeros(1, 3, 3, 3))).Message);
        using (Torch.NoGrad()) F.Conv2dInto(x, w.Clone().RequiresGrad_(), null, Torch.Zeros(1, 3, 3, 3));
        var wt = Torch.Randn([2, 3, 3, 3]);
        Assert.Contains("expected out to have shape [1, 3, 7, 7]",
            Assert.Throws<ArgumentException>(() => F.ConvTranspose2dInto(x, wt, null, Torch.Zeros(1, 3, 5, 5))).Message);
    }
}
