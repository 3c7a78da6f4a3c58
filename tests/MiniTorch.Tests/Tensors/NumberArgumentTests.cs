using System.Text.Json;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Tensors;

/// <summary>
/// Bad numbers and sizes: NaN, infinities and ranges too large raise <see cref="ArgumentException"/>
/// with PyTorch's message (Golden/Numbers/numbers.json, from gen_numbers.py) before anything is
/// allocated; shape arithmetic is done in 64 bits, so a size past MiniTorch's 32-bit limit is
/// reported with its true value, never wrapped.
/// </summary>
public class NumberArgumentTests
{
    private static readonly Lazy<JsonElement> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Numbers", "numbers.json"))).RootElement);

    private static string Message(string key) => Golden.Value.GetProperty("errors").GetProperty(key).GetString()!;

    private static void Same(string key, Action act) => Assert.Equal(Message(key), Assert.Throws<ArgumentException>(act).Message);

    // MiniTorch's "not implemented" messages add what is needed after PyTorch's words.
    private static void Starts(string key, Action act) => Assert.StartsWith(Message(key), Assert.Throws<ArgumentException>(act).Message);

    [Fact]
    public void Arange_BadNumbers_RaisePyTorchsMessages()
    {
        Same("arange(0, nan)", () => Torch.Arange(0, double.NaN));
        Same("arange(nan, 5)", () => Torch.Arange(double.NaN, 5));
        Same("arange(0, inf)", () => Torch.Arange(0, double.PositiveInfinity));
        Same("arange(-inf, 0)", () => Torch.Arange(double.NegativeInfinity, 0));
        Same("arange(0, 5, nan)", () => Torch.Arange(0, 5, double.NaN));
        Same("arange(0, 5, 0)", () => Torch.Arange(0, 5, 0));
        Same("arange(0, 5, -1)", () => Torch.Arange(0, 5, -1));
        Same("arange(0, 3, bool)", () => Torch.Arange(0, 3, 1, DType.Bool));
        Same("arange(0, nan)", () => Torch.Arange(0, double.NaN, 1, DType.Int64));
    }

    [Fact]
    public void Arange_MoreElementsThanATensorHolds_RaisesInsteadOfRunningOutOfMemory()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentException>(() => Torch.Arange(0, 1e10));
        Assert.Equal("arange: [0, 1e+10) in steps of 1 has 1e+10 elements, more than the 2147483647 a tensor can hold", e.Message);
        Assert.Throws<ArgumentException>(() => Torch.Arange(-1e300, 1e300, 1e-300, DType.Float64));
        Assert.Throws<ArgumentException>(() => Torch.Arange(0, 3e9, 1, DType.Int64));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusals allocated memory");
    }

    [Fact]
    public void ArangeAndLinspace_Int64_MatchPyTorch()
    {
        foreach (var c in Golden.Value.GetProperty("arange_int64").EnumerateArray())
        {
            var t = Torch.Arange(c.GetProperty("start").GetDouble(), c.GetProperty("end").GetDouble(), c.GetProperty("step").GetDouble(), DType.Int64);
            Assert.Equal(DType.Int64, t.DType);
            Assert.Equal(c.GetProperty("values").EnumerateArray().Select(v => (double)v.GetInt64()), t.ToDoubleArray());
        }
        foreach (var c in Golden.Value.GetProperty("linspace_int64").EnumerateArray())
        {
            var t = Torch.Linspace(c.GetProperty("start").GetDouble(), c.GetProperty("end").GetDouble(), c.GetProperty("steps").GetInt32(), DType.Int64);
            Assert.Equal(c.GetProperty("values").EnumerateArray().Select(v => (double)v.GetInt64()), t.ToDoubleArray());
        }
        Same("linspace(0, 1, 3, bool)", () => Torch.Linspace(0, 1, 3, DType.Bool));
        Same("linspace(0, 1, -1)", () => Torch.Linspace(0, 1, -1));
        Assert.Throws<ArgumentException>(() => Torch.Linspace(0, double.NaN, 3, DType.Int64));
    }

    [Fact]
    public void NormalAndUniform_BadBounds_RaisePyTorchsMessages()
    {
        Same("normal(0, nan)", () => Torch.Normal([3], 0, double.NaN));
        Same("normal(0, -1)", () => Torch.Normal([3], 0, -1));
        Starts("randn(int64)", () => Torch.Randn([3], dtype: DType.Int64));
        Starts("rand(int64)", () => Torch.Rand([3], dtype: DType.Int64));
        Same("uniform(nan, 1) float32", () => Torch.Uniform([3], double.NaN, 1));
        Same("uniform(0, inf) float32", () => Torch.Uniform([3], 0, double.PositiveInfinity));
        Same("uniform(0, 1e39) float32", () => Torch.Uniform([3], 0, 1e39));
        Same("uniform(-3e38, 3e38) float32", () => Torch.Uniform([3], -3e38, 3e38));
        Same("uniform(2, 1) float32", () => Torch.Uniform([3], 2, 1));
        Same("uniform(nan, 1) float64", () => Torch.Uniform([3], double.NaN, 1, dtype: DType.Float64));
        Same("uniform(0, inf) float64", () => Torch.Uniform([3], 0, double.PositiveInfinity, dtype: DType.Float64));
        Same("uniform(-1e308, 1e308) float64", () => Torch.Uniform([3], -1e308, 1e308, dtype: DType.Float64));
        // Init draws through the same checks, and leaves the tensor as it was.
        var w = Torch.Ones(3);
        Same("uniform(nan, 1) float32", () => Init.Uniform(w, double.NaN, 1));
        Same("normal(0, nan)", () => Init.Normal(w, 0, double.NaN));
        Assert.Equal(new[] { 1f, 1, 1 }, w.ToArray());
        Assert.Equal(0, w.Version);
    }

    [Fact]
    public void Pad_WithInt32MaxPads_ReportsTheTrueSize()
    {
        var x = Torch.Zeros(1, 1, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => F.Pad(x, [int.MaxValue, int.MaxValue]));
        Assert.Contains("4294967296", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.Pad(x, [int.MaxValue, 0]));
        Assert.Contains("2147483649", e.Message);
        Assert.DoesNotMatch(@"-\d", e.Message);   // no wrapped, negative size
        // Each dimension fits, the tensor does not: refused before the index maps are built.
        long before = GC.GetAllocatedBytesForCurrentThread();
        e = Assert.Throws<ArgumentException>(() => F.Pad(x, [0, 1 << 30, 0, 1 << 30]));
        Assert.Contains("more than 2147483647 elements", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusal allocated memory");
        // Cropping all of a dimension's 2³¹ positions and padding 2³¹ − 1 leaves one fill value.
        Assert.Equal(new[] { 7f, 7 }, F.Pad(x, [int.MinValue, int.MaxValue], value: 7).ToArray());
        Assert.Equal([1, 1, 2, 1], F.Pad(x, [int.MinValue, int.MaxValue]).Shape);
    }

    [Fact]
    public void ShapesPastTheLimit_AreRefusedWithTheirTrueSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(int.MaxValue, int.MaxValue, int.MaxValue));
        Assert.Equal("a tensor of shape [2147483647, 2147483647, 2147483647] has more than 2147483647 elements", e.Message);
        Assert.Equal(0, Torch.Zeros(int.MaxValue, int.MaxValue, int.MaxValue, 0).Numel);
        Assert.Contains("more than 2147483647 elements", Assert.Throws<ArgumentException>(() => Torch.Ones(1, 1).Expand(int.MaxValue, int.MaxValue)).Message);
        Assert.Contains("is invalid for input of size 4", Assert.Throws<ArgumentException>(() => Torch.Zeros(4).Reshape(int.MaxValue, int.MaxValue, int.MaxValue, 4)).Message);
        Assert.Contains("is invalid for input of size 4", Assert.Throws<ArgumentException>(() => Torch.Zeros(4).Reshape(-1, int.MaxValue, int.MaxValue, int.MaxValue)).Message);
        Assert.Contains("4294967294", Assert.Throws<ArgumentException>(() => Torch.Zeros(2).Repeat(int.MaxValue)).Message);
        var huge = Torch.Zeros(1).Expand(int.MaxValue);
        Assert.Contains("4294967294", Assert.Throws<ArgumentException>(() => Torch.Cat([huge, huge])).Message);
        Assert.Contains("don't multiply up", Assert.Throws<ArgumentException>(() => Torch.Unflatten(Torch.Zeros(4), 0, int.MaxValue, int.MaxValue)).Message);
    }

    [Fact]
    public void NarrowAndSlice_NearInt32Max_DoNotWrap()
    {
        var x = Torch.Arange(5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => x.Narrow(0, 1, int.MaxValue));
        Assert.StartsWith(Message("narrow(0, 1, 2**31 - 1)"), e.Message);
        Assert.Equal(new[] { 0f }, x.Slice(0, 0, null, int.MaxValue).ToArray());
        Assert.Equal(new[] { 3f }, x.Slice(0, 3, int.MaxValue, int.MaxValue).ToArray());
        Assert.Empty(x.Slice(0, int.MinValue, int.MinValue).ToArray());
    }

    [Fact]
    public void Convolutions_WithHugeArguments_ReportTheTrueSizes()
    {
        var x = Torch.Zeros(1, 1, 3, 3);
        var w = Torch.Zeros(1, 1, 2, 2);
        var e = Assert.Throws<ArgumentException>(() => F.Conv2d(x, w, padding: int.MaxValue));
        Assert.Contains("4294967296", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.Conv2d(x, w, dilation: int.MaxValue));
        Assert.Equal("Calculated padded input size per channel: (3 x 3). Kernel size: (2147483648 x 2147483648). Kernel size can't be greater than actual input size", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(x, w, stride: int.MaxValue));
        Assert.Contains("4294967296", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.ConvTranspose2d(x, w, padding: int.MaxValue));
        Assert.Contains("-4294967290", e.Message);   // the true (negative) size PyTorch's message shows
        Assert.Throws<ArgumentException>(() => F.Interpolate(x, scaleFactor: 1e10));
    }

    [Fact]
    public void PoolingAndShuffles_WithHugeArguments_ReportTheTrueSizes()
    {
        var x = Torch.Zeros(1, 4, 2, 2);
        // 65536² wrapped to 0 in 32 bits (a division by zero); it is 4294967296.
        Assert.Contains("4294967296", Assert.Throws<ArgumentException>(() => F.PixelShuffle(x, 65536)).Message);
        var (y, idx) = F.MaxPool2dWithIndices(Torch.Zeros(1, 1, 4, 4), 2);
        var e = Assert.Throws<ArgumentException>(() => F.MaxUnpool2d(y, idx, 2, stride: int.MaxValue));
        Assert.Contains("2147483649", e.Message);
        e = Assert.Throws<ArgumentException>(() => F.MaxPool2d(Torch.Zeros(1, 1, 4, 4), 2, dilation: int.MaxValue));
        Assert.Contains("Output size is too small", e.Message);
    }

    [Fact]
    public void NullElementsOfTensorLists_NameTheList()
    {
        var x = Torch.Ones(2);
        Assert.Equal("tensors", Assert.Throws<ArgumentNullException>(() => Torch.Cat([x, null!])).ParamName);
        Assert.Equal("tensors", Assert.Throws<ArgumentNullException>(() => Torch.Stack([null!, x])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentNullException>(() => Torch.Grad([x.RequiresGrad_().Sum()], [null!])).ParamName);
        Assert.Equal("modules", Assert.Throws<ArgumentNullException>(() => new Sequential(new ReLU(), null!)).ParamName);
    }

    [Fact]
    public void UndefinedEnums_AreOutOfRange_NamingTheParameter()
    {
        // The cases the issue names; the reflection sweep (PublicApiArgumentTests) covers every other.
        Assert.Equal("dtype", Assert.Throws<ArgumentOutOfRangeException>(() => Torch.Ones(2).To((DType)99)).ParamName);
        Assert.Equal("dtype", Assert.Throws<ArgumentOutOfRangeException>(() => Torch.Zeros([2], (DType)99)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => F.Pad(Torch.Ones(1, 1, 2), [1, 1], (PadMode)99)).ParamName);
        Assert.Equal("reduction", Assert.Throws<ArgumentOutOfRangeException>(() => F.MseLoss(Torch.Ones(2), Torch.Ones(2), (Reduction)99)).ParamName);
    }
}
