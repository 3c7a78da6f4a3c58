using MiniTorch.Autograd;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// The fused binary cross-entropy with logits against its composite reference (which
/// <see cref="LossTests"/> checks against PyTorch, as it does the fused op): values and both gradients
/// for every reduction, with and without weights, on sizes that span several work items; gradcheck and
/// gradgradcheck in float64; the composite still serves weights that require a gradient.
/// </summary>
public class BceWithLogitsFusedTests
{
    public static TheoryData<DType, Reduction, bool, bool, int> Cases()
    {
        var data = new TheoryData<DType, Reduction, bool, bool, int>();
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            foreach (var r in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
                foreach (var (w, p) in new[] { (false, false), (true, false), (false, true), (true, true) })
                    data.Add(dtype, r, w, p, r == Reduction.Mean ? 3001 : 7);
        return data;
    }

    /// <summary>
    /// Within rounding of the reference. In float32 the reference is the composite evaluated in float64
    /// on the same inputs: the fused op follows PyTorch's formulas and the composite its own, and with a
    /// positive weight both gradients cancel terms of size about (1 + p)·|g|, so each float32 result
    /// may be off by a few float32 epsilons of that size (<paramref name="scale"/>).
    /// </summary>
    private static void Close(Tensor expected, Tensor actual, DType dtype, double scale, string what)
    {
        double rtol = dtype == DType.Float64 ? 1e-13 : 4e-7, atol = dtype == DType.Float64 ? 1e-15 : 4 * 1.2e-7 * scale;
        var (e, a) = (expected.Detach().ToDoubleArray(), actual.Detach().ToDoubleArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= atol + rtol * Math.Abs(e[i]), $"{what}: element {i}: reference {e[i]:R}, fused {a[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_MatchesTheComposite(DType dtype, Reduction reduction, bool weighted, bool posWeighted, int n)
    {
        var x = (Torch.Randn([n, 3], new Generator(1), dtype) * 4).RequiresGrad_();
        var t = Torch.Rand([n, 3], new Generator(2), dtype).RequiresGrad_();
        var w = weighted ? Torch.Rand([n, 3], new Generator(3), dtype) : null;
        var p = posWeighted ? Torch.Rand([3], new Generator(4), dtype) * 3 : null; // broadcast along the last dimension
        var g = reduction == Reduction.None ? Torch.Randn([n, 3], new Generator(5), dtype) : Torch.Scalar(0.7, dtype);
        var fused = F.BinaryCrossEntropyWithLogits(x, t, w, reduction, p);
        Assert.Equal("BinaryCrossEntropyWithLogitsBackward0", fused.GradFn!.Name);
        var gf = Torch.Grad([fused], [x, t], [g]);

        // The reference: the composite, in float64 for float32 inputs.
        Tensor? D(Tensor? a) => a?.Detach().To(DType.Float64);
        var (xd, td) = (D(x)!.RequiresGrad_(), D(t)!.RequiresGrad_());
        var composite = F.BinaryCrossEntropyWithLogitsComposite(xd, td, D(w), reduction, D(p));
        var gc = Torch.Grad([composite], [xd, td], [D(g)]);
        string name = $"{dtype} {reduction} weight {weighted} pos_weight {posWeighted}";
        double elements = reduction == Reduction.Sum ? n * 3 : 1;
        double gScale = g.Abs().Max().Item() / (reduction == Reduction.Mean ? n * 3 : 1);
        double termScale = 1 + (p is null ? 0 : p.Max().Item()) + 4 * 4; // |x| ≲ 16 in the loss and the target gradient
        Close(composite, fused, dtype, termScale * elements, name + " loss");
        Close(gc[0]!, gf[0]!, dtype, (2 + (p is null ? 0 : 2 * p.Max().Item())) * gScale, name + " grad input");
        Close(gc[1]!, gf[1]!, dtype, termScale * gScale, name + " grad target");
    }

    [Fact]
    public void Fused_Float64_PassesGradcheckAndGradgradcheck()
    {
        var x = (Torch.Randn([4, 3], new Generator(6), DType.Float64) * 2).RequiresGrad_();
        var t = Torch.Rand([4, 3], new Generator(7), DType.Float64).RequiresGrad_();
        var w = Torch.Rand([4, 3], new Generator(8), DType.Float64);
        var p = Torch.Rand([3], new Generator(9), DType.Float64) * 2;
        foreach (var r in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            Tensor F1(Tensor[] a) => F.BinaryCrossEntropyWithLogits(a[0], a[1], w, r, p);
            Tensor F2(Tensor[] a) => F.BinaryCrossEntropyWithLogits(a[0], a[1], reduction: r);
            Assert.True(GradCheck.Check(F1, [x, t]), $"{r} weighted");
            Assert.True(GradCheck.Check(F2, [x, t]), $"{r}");
            Assert.True(GradCheck.GradGradCheck(F1, [x, t], new Generator(10)), $"{r} weighted, second order");
            Assert.True(GradCheck.GradGradCheck(F2, [x, t], new Generator(11)), $"{r} second order");
        }
    }

    [Fact]
    public void WeightsThatRequireGrad_TakeTheComposite_AndGetTheirGradients()
    {
        var x = Torch.Randn([5], new Generator(12), DType.Float64).RequiresGrad_();
        var t = Torch.Rand([5], new Generator(13), DType.Float64);
        var w = Torch.Rand([5], new Generator(14), DType.Float64).RequiresGrad_();
        var loss = F.BinaryCrossEntropyWithLogits(x, t, w);
        Assert.NotEqual("BinaryCrossEntropyWithLogitsBackward0", loss.GradFn!.Name);
        Assert.True(GradCheck.Check(a => F.BinaryCrossEntropyWithLogits(a[0], t, a[1]), [x, w]));
    }

    [Fact]
    public void BadArguments_RaiseClearErrors()
    {
        var x = Torch.Zeros(2, 3);
        var e = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropyWithLogits(x, Torch.Zeros(3, 2)));
        Assert.Contains("Target size ([3, 2]) must be the same as input size ([2, 3])", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.BinaryCrossEntropyWithLogits(x, x, reduction: (Reduction)7));
        Assert.ThrowsAny<ArgumentException>(() => F.BinaryCrossEntropyWithLogits(x, x, posWeight: Torch.Ones(4)));
        Assert.Equal(0.0, F.BinaryCrossEntropyWithLogits(Torch.Zeros(0), Torch.Zeros(0), reduction: Reduction.Sum).Item());
    }
}
