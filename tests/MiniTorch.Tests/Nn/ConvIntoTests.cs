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

    [Fact]
    public void Into_RejectsABadOutput_AndWhatAutogradWouldNeed()
    {
        var x = Torch.Randn([1, 2, 5, 5]);
        var w = Torch.Randn([3, 2, 3, 3]);
        Assert.Contains("expected out to have shape [1, 3, 3, 3], got [1, 3, 5, 5]",
            Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros(1, 3, 5, 5))).Message);
        Assert.Contains("dtype", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros([1, 3, 3, 3], DType.Float64))).Message);
        Assert.Contains("contiguous", Assert.Throws<ArgumentException>(() => F.Conv2dInto(x, w, null, Torch.Zeros(1, 3, 3, 3).Transpose(2, 3))).Message);
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
