using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

public class PreluInPlaceTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, 3)]
    [InlineData(new[] { 2, 3, 4, 5 }, 1)]
    [InlineData(new[] { 1, 56, 40, 300 }, 56)] // above the parallel threshold: split among threads
    [InlineData(new[] { 1, 7, 129, 131 }, 7)]  // chunks that end inside planes
    [InlineData(new[] { 3, 2 }, 2)]
    public void Prelu_InPlace_EqualsOutOfPlace(int[] shape, int parameters)
    {
        var g = new Generator(3);
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var x = Torch.Randn(shape, g, dtype);
            var w = Torch.Randn([parameters], g, dtype);
            var expected = F.Prelu(x, w).ToDoubleArray();
            var target = x.Clone();
            var y = F.Prelu_(target, w);
            Assert.Same(target, y);
            Assert.Equal(expected, y.ToDoubleArray());
        }
    }

    [Fact]
    public void Prelu_LargeInput_ThreadedKernelEqualsTheSerialLoop()
    {
        // 56 planes of 1500 elements: more than one chunk per thread, chunk ends inside planes.
        var g = new Generator(4);
        var x = Torch.Randn([1, 56, 30, 50], g).ToArray();
        var slope = Torch.Randn([56], g).ToArray();
        var serial = new float[x.Length];
        MiniTorch.Kernels.Prelu.Forward<float>(x, slope, 1500, serial);
        var threaded = new float[x.Length + 7];
        MiniTorch.Kernels.Prelu.Forward(x, 0, slope, 1500, x.Length, threaded, 7);
        Assert.Equal(serial, threaded[7..]);
        var inPlace = (float[])x.Clone();
        MiniTorch.Kernels.Prelu.Forward(inPlace, 0, slope, 1500, x.Length, inPlace, 0);
        Assert.Equal(serial, inPlace);
    }

    [Fact]
    public void Prelu_InPlace_RefusesWhatAutogradWouldNeed()
    {
        var x = Torch.Randn([2, 3, 4]);
        var w = Torch.Full([3], 0.25).RequiresGrad_();
        var e = Assert.Throws<InvalidOperationException>(() => F.Prelu_(x, w));
        Assert.Contains("requires grad", e.Message);
        var before = x.ToArray();
        Assert.Throws<InvalidOperationException>(() => F.Prelu_(x.Clone().RequiresGrad_(), Torch.Full([3], 0.25)));
        Assert.Equal(before, x.ToArray()); // nothing written
        using (Torch.NoGrad()) F.Prelu_(x, w); // fine without grad mode
        Assert.Contains("contiguous", Assert.Throws<ArgumentException>(() => F.Prelu_(Torch.Randn([3, 4, 2]).Transpose(0, 1), Torch.Full([3], 0.1))).Message);
        Assert.Contains("Mismatch of parameter numbers", Assert.Throws<ArgumentException>(() => F.Prelu_(Torch.Randn([2, 3, 4]), Torch.Full([2], 0.1))).Message);
    }
}
