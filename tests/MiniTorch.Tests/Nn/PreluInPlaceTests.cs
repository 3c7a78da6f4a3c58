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
    public void Prelu_InPlace_FollowsTheInPlaceRules()
    {
        // A leaf that requires grad is refused with grad mode on, and left as it was.
        var leaf = Torch.Randn([2, 3, 4]).RequiresGrad_();
        var before = leaf.ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => F.Prelu_(leaf, Torch.Full([3], 0.25)));
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", e.Message);
        Assert.Equal(before, leaf.ToArray());

        // A weight that requires grad: the write is recorded, and the gradients are F.Prelu's.
        var x = Torch.Randn([2, 3, 4], new Generator(5), DType.Float64);
        var w = Torch.Full([3], 0.25, DType.Float64).RequiresGrad_();
        var y = F.Prelu_(x.Clone(), w);
        Assert.Equal("PreluBackward0", y.GradFn!.Name);
        var gw = Torch.Grad(y.Sum(), w);
        Assert.Equal(Torch.Grad(F.Prelu(x, w).Sum(), w).ToDoubleArray(), gw.ToDoubleArray());

        // Under no-grad nothing is recorded; the version counts the write.
        var target = x.Clone();
        using (Torch.NoGrad()) F.Prelu_(target, w);
        Assert.Null(target.GradFn);
        Assert.Equal(1, target.Version);

        // A non-contiguous input is written through its strides.
        var t = Torch.Randn([3, 4, 2], new Generator(6)).Transpose(0, 1);
        var expected = F.Prelu(t, Torch.Full([3], 0.1)).ToArray();
        Assert.Equal(expected, F.Prelu_(t, Torch.Full([3], 0.1)).ToArray());
        Assert.Contains("Mismatch of parameter numbers", Assert.Throws<ArgumentException>(() => F.Prelu_(Torch.Randn([2, 3, 4]), Torch.Full([2], 0.1))).Message);
    }
}
