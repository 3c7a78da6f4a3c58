using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Autograd;

/// <summary>
/// Every <c>*_</c> op: the values are the out-of-place op's, bit for bit, on any layout; recorded
/// writes (into a tensor, or through a view of it) pass float64 gradcheck and gradgradcheck.
/// </summary>
public class InPlaceOpTests
{
    public static TheoryData<string> UnaryOps =>
        ["Neg_", "Abs_", "Exp_", "Log_", "Sqrt_", "Tanh_", "Sigmoid_", "Relu_", "Pow_", "Clamp_", "Zero_", "Fill_"];

    public static TheoryData<string> BinaryOps => ["Add_", "Sub_", "Mul_", "Div_", "Copy_", "AddScalar", "MulScalar", "SubScalar", "DivScalar"];

    private static bool Positive(string op) => op is "Log_" or "Sqrt_";

    private static Tensor Unary(string op, Tensor t) => op switch
    {
        "Neg_" => t.Neg_(), "Abs_" => t.Abs_(), "Exp_" => t.Exp_(), "Log_" => t.Log_(), "Sqrt_" => t.Sqrt_(),
        "Tanh_" => t.Tanh_(), "Sigmoid_" => t.Sigmoid_(), "Relu_" => t.Relu_(), "Pow_" => t.Pow_(3),
        "Clamp_" => t.Clamp_(-0.5, 1.0), "Zero_" => t.Zero_(), "Fill_" => t.Fill_(0.75),
        _ => throw new ArgumentException(op),
    };

    private static Tensor UnaryReference(string op, Tensor t) => op switch
    {
        "Neg_" => -t, "Abs_" => t.Abs(), "Exp_" => t.Exp(), "Log_" => t.Log(), "Sqrt_" => t.Sqrt(),
        "Tanh_" => t.Tanh(), "Sigmoid_" => t.Sigmoid(), "Relu_" => t.Relu(), "Pow_" => t.Pow(3),
        "Clamp_" => t.Clamp(-0.5, 1.0), "Zero_" => Torch.ZerosLike(t), "Fill_" => Torch.Full(t.Shape, 0.75, t.DType),
        _ => throw new ArgumentException(op),
    };

    private static Tensor Binary(string op, Tensor t, Tensor o) => op switch
    {
        "Add_" => t.Add_(o), "Sub_" => t.Sub_(o), "Mul_" => t.Mul_(o), "Div_" => t.Div_(o), "Copy_" => t.Copy_(o),
        "AddScalar" => t.Add_(1.25), "MulScalar" => t.Mul_(-1.5), "SubScalar" => t.Sub_(0.5), "DivScalar" => t.Div_(3),
        _ => throw new ArgumentException(op),
    };

    private static Tensor BinaryReference(string op, Tensor t, Tensor o) => op switch
    {
        "Add_" => t + o, "Sub_" => t - o, "Mul_" => t * o, "Div_" => t / o, "Copy_" => o.Expand(t.Shape).Clone(),
        "AddScalar" => t + 1.25, "MulScalar" => t * -1.5, "SubScalar" => t - 0.5, "DivScalar" => t / 3,
        _ => throw new ArgumentException(op),
    };

    // Values in ±[0.3, 2] (positive where the op needs it): clear of every kink by far more than eps.
    private static Tensor Values(int[] shape, int seed, bool positive, DType dtype = DType.Float64)
    {
        var g = new Generator(seed);
        var data = new double[Shape.Numel(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double m = 0.3 + 1.7 * g.NextDouble();
            data[i] = positive || g.NextDouble() < 0.5 ? m : -m;
        }
        return Torch.FromArray(data, shape).To(dtype);
    }

    /// <summary>The layouts a target comes in: contiguous, transposed, and a strided slice of a larger tensor.</summary>
    private static IEnumerable<(string Name, Func<Tensor, Tensor> Target)> Layouts() =>
    [
        ("contiguous", v => v.Clone()),
        ("transposed", v => v.T.Clone().T),
        ("strided", v => Torch.Stack([v.Clone(), Torch.ZerosLike(v)], 2).Narrow(2, 0, 1).Squeeze(2)),
    ];

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_ValuesAreTheOutOfPlaceOps_OnEveryLayout_AndTheWriteIsCounted(string op)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            foreach (var (name, target) in Layouts())
            {
                var v = Values([2, 3], 1, Positive(op), dtype);
                var t = target(v);
                int version = t.Version;
                var result = Unary(op, t);
                Assert.Same(t, result);
                Assert.True(UnaryReference(op, v).ToDoubleArray().SequenceEqual(t.ToDoubleArray()), $"{op} {dtype} {name}");
                Assert.Equal(version + 1, t.Version);
                Assert.Null(t.GradFn);
            }
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_ValuesAreTheOutOfPlaceOps_WithBroadcastAndMixedDtypes(string op)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            foreach (var (name, target) in Layouts())
            {
                var v = Values([2, 3], 2, false, dtype);
                var o = Values([3], 3, false, dtype);
                var t = target(v);
                Binary(op, t, o);
                Assert.True(BinaryReference(op, v, o).ToDoubleArray().SequenceEqual(t.ToDoubleArray()), $"{op} {dtype} {name}");
            }
        // An operand of the other dtype is converted to the tensor's dtype first; the tensor keeps its dtype.
        var f = Values([2, 3], 4, false, DType.Float32);
        var d = Values([2, 3], 5, false);
        var expected = BinaryReference(op, f, d.To(DType.Float32)).ToArray();
        Assert.Equal(expected, Binary(op, f.Clone(), d).ToArray());
    }

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void Unary_RecordedIntoATensorAndThroughAView_PassGradCheckAndGradGradCheck(string op)
    {
        var x = Values([2, 4], 6, Positive(op)).RequiresGrad_();
        Tensor Whole(Tensor[] ins) { var h = ins[0] * 1.0; Unary(op, h); return h; }
        Tensor ThroughView(Tensor[] ins) { var h = ins[0] * 1.0; Unary(op, h.Slice(1, 1, 3)); return h * ins[0]; }
        Assert.True(GradCheck.Check(Whole, [x]));
        // After zero_/fill_ the gradient is 0 whatever x is, so it has no derivative to check.
        if (op is not ("Zero_" or "Fill_")) Assert.True(GradCheck.GradGradCheck(Whole, [x]));
        Assert.True(GradCheck.Check(ThroughView, [x]));
        Assert.True(GradCheck.GradGradCheck(ThroughView, [x]));
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_RecordedIntoATensorAndThroughAView_PassGradCheckAndGradGradCheck(string op)
    {
        var x = Values([2, 4], 7, false).RequiresGrad_();
        var w = Values([2], 8, false).RequiresGrad_();
        Tensor Whole(Tensor[] ins) { var h = ins[0] * 1.0; Binary(op, h, ins[1].Reshape(2, 1)); return h; }
        Tensor ThroughView(Tensor[] ins) { var h = ins[0] * 1.0; Binary(op, h.T.Slice(0, 1, 3), ins[1]); return h * ins[0]; }
        Assert.True(GradCheck.Check(Whole, [x, w]));
        Assert.True(GradCheck.GradGradCheck(Whole, [x, w]));
        Assert.True(GradCheck.Check(ThroughView, [x, w]));
        Assert.True(GradCheck.GradGradCheck(ThroughView, [x, w]));
    }

    [Fact]
    public void ChainedWrites_ThroughTwoViewsAndTheBase_PassGradCheckAndGradGradCheck()
    {
        var x = Values([3, 4], 9, false).RequiresGrad_();
        var w = Values([4], 10, false).RequiresGrad_();
        Tensor F(Tensor[] ins)
        {
            var h = ins[0] * 2.0;
            h[0].Mul_(ins[1]);                    // a row, through Select
            h.Slice(1, 1, 3).Tanh_();             // a column block, through Slice
            h.Add_(ins[1]).Sigmoid_();            // the whole tensor
            var v = h.View(12);                   // a view taken after the writes
            v.Slice(0, 0, 12, 5).Mul_(3);         // and written through, strided
            return h;
        }
        Assert.True(GradCheck.Check(F, [x, w]));
        Assert.True(GradCheck.GradGradCheck(F, [x, w]));
    }

    [Fact]
    public void InPlaceAndOutOfPlace_GiveTheSameGradients()
    {
        // A small network with in-place activations, as PyTorch models write ReLU(inplace=True).
        var g = new Generator(12);
        var x = Torch.Randn([2, 3, 6, 6], g);
        var w1 = Torch.Randn([4, 3, 3, 3], g).RequiresGrad_();
        var w2 = Torch.Randn([2, 4, 3, 3], g).RequiresGrad_();
        Tensor Net(bool inPlace)
        {
            var h = F.Conv2d(x, w1, padding: 1);
            h = inPlace ? h.Relu_() : h.Relu();
            var y = F.Conv2d(h, w2);
            y = inPlace ? y.Mul_(0.5).Add_(1).Sigmoid_() : ((y * 0.5) + 1).Sigmoid();
            return y.Sum();
        }
        var (a1, a2) = (Torch.Grad([Net(true)], [w1, w2]), Torch.Grad([Net(false)], [w1, w2]));
        Assert.Equal(a2[0]!.ToArray(), a1[0]!.ToArray());
        Assert.Equal(a2[1]!.ToArray(), a1[1]!.ToArray());
    }

    [Fact]
    public void CopyFrom_IsNeverRecorded_ButCounted()
    {
        var x = Values([3], 13, false).RequiresGrad_();
        var h = x * 2;
        var fn = h.GradFn;
        h.CopyFrom(Values([3], 14, false).RequiresGrad_());
        Assert.Same(fn, h.GradFn);
        Assert.Equal(1, h.Version);
        Assert.Throws<ArgumentNullException>("source", () => h.CopyFrom(null!));
        Assert.Throws<ArgumentNullException>("other", () => h.Add_((Tensor)null!));
    }

    [Fact]
    public void RetainedGraph_ModifiedBetweenBackwards_SecondOneRaises()
    {
        var x = Values([3], 15, false).RequiresGrad_();
        var h = x * 1;
        var y = (h * h).Sum();
        y.Backward(retainGraph: true);
        using (Torch.NoGrad()) h.Add_(1);
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("is at version 1; expected version 0 instead", e.Message);
    }

    [Fact]
    public void ViewsTakenWithGradOff_AreNotRegenerated_AndViewsOfDetachAreFree()
    {
        var x = Values([4], 16, false).RequiresGrad_();
        var h = x * 1;
        Tensor v;
        using (Torch.NoGrad()) v = h.Slice(0, 0, 2);
        using (Torch.NoGrad()) h.Add_(1);
        Assert.Null(v.GradFn);
        Assert.False(v.RequiresGrad);
        using (Torch.NoGrad()) v.Mul_(2);                    // fine inside no-grad
        var d = h.Detach();
        d.Slice(0, 1, 3).Zero_();                            // not a view of h for autograd: no history given
        Assert.Null(d.GradFn);
        Assert.Equal(3, h.Version);
    }
}
