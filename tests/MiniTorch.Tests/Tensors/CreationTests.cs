namespace MiniTorch.Tests.Tensors;

/// <summary>Creation functions, random sampling with generators, and reading data back.</summary>
public class CreationTests
{
    [Fact]
    public void ZerosOnesFull_HaveShapeDTypeAndValues()
    {
        var z = Torch.Zeros(2, 3);
        Assert.Equal([2, 3], z.Shape);
        Assert.Equal(DType.Float32, z.DType);
        Assert.All(z.ToArray(), v => Assert.Equal(0f, v));
        var o = Torch.Ones([4], DType.Float64);
        Assert.Equal(DType.Float64, o.DType);
        Assert.All(o.ToDoubleArray(), v => Assert.Equal(1.0, v));
        var f = Torch.Full([2, 2], -2.5);
        Assert.All(f.ToArray(), v => Assert.Equal(-2.5f, v));
        Assert.Equal(0, Torch.Zeros(0, 3).Numel);
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(2, -1));
        Assert.Contains("negative dimension -1", e.Message);
    }

    [Fact]
    public void Arange_ValuesAndErrors()
    {
        Assert.Equal(new[] { 0f, 1, 2, 3, 4 }, Torch.Arange(5).ToArray());
        Assert.Equal(new[] { 1.0, 1.5, 2.0 }, Torch.Arange(1, 2.5, 0.5, DType.Float64).ToDoubleArray());
        Assert.Equal(new[] { 3.0, 2.0, 1.0 }, Torch.Arange(3, 0, -1, DType.Float64).ToDoubleArray());
        Assert.Equal(0, Torch.Arange(0).Numel);
        Assert.Throws<ArgumentException>(() => Torch.Arange(0, 1, 0));
        var e = Assert.Throws<ArgumentException>(() => Torch.Arange(0, 5, -1));
        Assert.Contains("inconsistent with step sign", e.Message);
    }

    [Fact]
    public void Linspace_EndpointsAndDegenerateCounts()
    {
        var t = Torch.Linspace(-1, 1, 5, DType.Float64).ToDoubleArray();
        Assert.Equal(new[] { -1.0, -0.5, 0, 0.5, 1 }, t);
        var l = Torch.Linspace(0.1, 4.8, 48).ToArray();
        Assert.Equal(0.1f, l[0]);
        Assert.Equal(4.8f, l[^1]);
        Assert.Equal(new[] { 3f }, Torch.Linspace(3, 7, 1).ToArray());
        Assert.Equal(0, Torch.Linspace(3, 7, 0).Numel);
        Assert.Throws<ArgumentException>(() => Torch.Linspace(0, 1, -1));
    }

    [Fact]
    public void RandomSampling_SameSeedSameValues_DifferentSeedDifferentValues()
    {
        int[] shape = [3, 4];
        foreach (var sample in new Func<Generator, Tensor>[]
                 {
                     g => Torch.Rand(shape, g), g => Torch.Randn(shape, g),
                     g => Torch.Normal(shape, 2, 3, g), g => Torch.Uniform(shape, -1, 5, g),
                 })
        {
            var a = sample(new Generator(42)).ToArray();
            Assert.Equal(a, sample(new Generator(42)).ToArray());
            Assert.NotEqual(a, sample(new Generator(43)).ToArray());
        }
    }

    [Fact]
    public void ManualSeed_ResetsTheDefaultGenerator()
    {
        Torch.ManualSeed(7);
        var a = Torch.Randn([5]).ToArray();
        var b = Torch.Rand([5]).ToArray();
        Torch.ManualSeed(7);
        Assert.Equal(a, Torch.Randn([5]).ToArray());
        Assert.Equal(b, Torch.Rand([5]).ToArray());
    }

    [Fact]
    public void Generator_StateRoundTrips()
    {
        var g = new Generator(5);
        g.NextDouble();
        var state = g.GetState();
        var first = Torch.Rand([4], g).ToArray();
        g.SetState(state);
        Assert.Equal(first, Torch.Rand([4], g).ToArray());
        Assert.Throws<ArgumentException>(() => g.SetState([0UL, 0, 0, 0]));
    }

    [Fact]
    public void Distributions_HaveTheirRangeAndMoments()
    {
        var g = new Generator(11);
        var u = Torch.Uniform([20000], -2, 3, g, DType.Float64).ToDoubleArray();
        Assert.All(u, v => Assert.InRange(v, -2, 3 - 1e-12));
        Assert.InRange(u.Average(), 0.45, 0.55);
        var r = Torch.Rand([1000], g).ToArray();
        Assert.All(r, v => Assert.InRange(v, 0f, 1f));
        var n = Torch.Normal([20000], 2, 3, g, DType.Float64).ToDoubleArray();
        double mean = n.Average(), std = Math.Sqrt(n.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 1.9, 2.1);
        Assert.InRange(std, 2.9, 3.1);
        Assert.All(Torch.Normal([3], 4, 0, g).ToArray(), v => Assert.Equal(4f, v));
        Assert.Contains("std >= 0.0", Assert.Throws<ArgumentException>(() => Torch.Normal([3], 0, -1, g)).Message);
        Assert.Contains("[from, to) range, but found from=2 > to=1", Assert.Throws<ArgumentException>(() => Torch.Uniform([3], 2, 1, g)).Message);
    }

    [Fact]
    public void ReadingData_CopiesInRowMajorOrder()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var x = Torch.FromArray(data, 2, 3);
        data[0] = 100;
        Assert.Equal(1f, x.ToArray()[0]);
        var copy = x.ToArray();
        copy[1] = 100;
        Assert.Equal(2f, x.ToArray()[1]);
        Assert.Equal(new[] { 1f, 4, 2, 5, 3, 6 }, x.T.ToArray());
        Assert.Equal(new[] { 1.0, 4, 2, 5, 3, 6 }, x.T.ToDoubleArray());
        Assert.Equal(2, x.Dim);
        Assert.Equal(6, x.Numel);
        Assert.Equal(3, x.Size(-1));
        var shape = x.Shape;
        shape[0] = 9;
        Assert.Equal([2, 3], x.Shape);
        Assert.Equal(5.0, x[1][1].Item());
        Assert.Equal(3.5, Torch.FromArray([3.5], 1).Item());
        Assert.Equal([], Torch.Scalar(2).Shape);
    }

    [Fact]
    public void To_ConvertsValuesBothWays()
    {
        var x = Torch.FromArray([0.1, 1e-50, 3.0], 3);
        var f = x.To(DType.Float32);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(new[] { 0.1f, 0f, 3f }, f.ToArray());
        Assert.Equal((double)0.1f, f.To(DType.Float64).ToDoubleArray()[0]);
        Assert.Same(f, f.To(DType.Float32));
    }

    [Fact]
    public void FromArray_WrongElementCount_NamesShapeAndCount()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.FromArray(new float[5], 2, 3));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("5", e.Message);
    }
}
