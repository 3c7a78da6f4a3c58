using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>
/// Forward values and the gradients w.r.t. input, weight and bias, compared with PyTorch 1.13 on
/// the random and seed configurations of Golden/Conv/conv.json (see gen_conv.py there).
/// </summary>
/// <remarks>
/// Tolerances come from the standard bound for a sum of n products computed in floating point
/// in any order, |fl(Σ aᵢbᵢ) − Σ aᵢbᵢ| ≤ γₙ Σ|aᵢbᵢ| with γₙ = n·u/(1 − n·u) (Higham, Accuracy
/// and Stability of Numerical Algorithms, §3.1). PyTorch and MiniTorch may sum in different
/// orders, so each element may differ by at most 2γₙ Σ|terms|. Σ|terms| and n are computed
/// per element straight from the definition (<see cref="ConvTerms"/>), not by the code under test.
/// <list type="bullet">
/// <item>float32 (u = 2⁻²⁴): exactly that bound; n counts the products of the element (+1 for the bias).</item>
/// <item>float64: 1e-10 relative to Σ|terms| (which is |value| when nothing cancels); the
/// rounding bound is ~1e-13 here, so 1e-10 only leaves room for nothing but rounding.</item>
/// </list>
/// </remarks>
public class ConvGoldenPyTorchTests
{
    public static TheoryData<string> Conv2dCases() => new(ConvGoldenData.Names("conv2d"));
    public static TheoryData<string> ConvTranspose2dCases() => new(ConvGoldenData.Names("conv_transpose2d"));

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_Float64_MatchesPyTorch(string name) => Check(ConvGoldenData.Get("conv2d", name), DType.Float64);

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2d_Float32_MatchesPyTorch(string name) => Check(ConvGoldenData.Get("conv2d", name), DType.Float32);

    [Theory]
    [MemberData(nameof(ConvTranspose2dCases))]
    public void ConvTranspose2d_Float64_MatchesPyTorch(string name) => Check(ConvGoldenData.Get("conv_transpose2d", name), DType.Float64);

    [Theory]
    [MemberData(nameof(ConvTranspose2dCases))]
    public void ConvTranspose2d_Float32_MatchesPyTorch(string name) => Check(ConvGoldenData.Get("conv_transpose2d", name), DType.Float32);

    [Theory]
    [MemberData(nameof(Conv2dCases))]
    public void Conv2dModule_Float64_MatchesPyTorch(string name)
    {
        var c = ConvGoldenData.Get("conv2d", name);
        var m = new Conv2d(c.CIn, c.COut, c.Kernel, c.Stride, c.Padding, c.Dilation, c.Groups, bias: c.B is not null);
        m.To(DType.Float64);
        CheckModule(c, m.Weight, m.Bias, x => m.Forward(x));
    }

    [Theory]
    [MemberData(nameof(ConvTranspose2dCases))]
    public void ConvTranspose2dModule_Float64_MatchesPyTorch(string name)
    {
        // PyTorch's output_padding, given to the module as outputSize where that can express it
        // (outputSize covers [min, min + s − 1]); an outputPadding ≥ stride (allowed because it is
        // < dilation) goes to the constructor.
        var c = ConvGoldenData.Get("conv_transpose2d", name);
        bool viaSize = c.OutputPadding.H < c.Stride.H && c.OutputPadding.W < c.Stride.W;
        var m = new ConvTranspose2d(c.CIn, c.COut, c.Kernel, c.Stride, c.Padding, viaSize ? 0 : c.OutputPadding,
            c.Groups, bias: c.B is not null, dilation: c.Dilation);
        m.To(DType.Float64);
        CheckModule(c, m.Weight, m.Bias, x => viaSize ? m.Forward(x, [c.OutShape[2], c.OutShape[3]]) : m.Forward(x));
    }

    private static void CheckModule(ConvGoldenCase c, Tensor weight, Tensor? bias, Func<Tensor, Tensor> forward)
    {
        Assert.Equal(c.WeightShape, weight.Shape);
        weight.CopyFrom(Torch.FromArray(c.Wt, c.WeightShape));
        if (c.B is not null) bias!.CopyFrom(Torch.FromArray(c.B, c.COut));
        else Assert.Null(bias);
        var x = Make(c.X, c.InputShape, DType.Float64);
        var y = forward(x);
        Assert.Equal(c.OutShape, y.Shape);
        y.Backward(Torch.FromArray(c.Gy, c.OutShape));
        var bounds = ConvTerms.Of(c);
        Compare("y", y, c.Float64.GetProperty("y"), bounds.Y, DType.Float64);
        Compare("grad input", x.Grad!, c.Float64.GetProperty("gx"), bounds.Gx, DType.Float64);
        Compare("grad weight", weight.Grad!, c.Float64.GetProperty("gw"), bounds.Gw, DType.Float64);
        if (bias is not null) Compare("grad bias", bias.Grad!, c.Float64.GetProperty("gb"), bounds.Gb, DType.Float64);
    }

    private static Tensor Make(double[] v, int[] shape, DType dtype) =>
        Torch.FromArray(v, shape).To(dtype).Detach().RequiresGrad_();

    private static void Check(ConvGoldenCase c, DType dtype)
    {
        var x = Make(c.X, c.InputShape, dtype);
        var w = Make(c.Wt, c.WeightShape, dtype);
        var b = c.B is null ? null : Make(c.B, [c.COut], dtype);
        var gy = Torch.FromArray(c.Gy, c.OutShape).To(dtype).Detach();

        Size2 stride = c.Stride, dilation = c.Dilation;
        var y = c.Op == "conv2d"
            ? F.Conv2d(x, w, b, stride: stride, padding: new Padding2d(c.Padding.H, c.Padding.W), dilation: dilation, groups: c.Groups)
            : F.ConvTranspose2d(x, w, b, stride: stride, padding: (Size2)c.Padding, outputPadding: (Size2)c.OutputPadding,
                groups: c.Groups, dilation: dilation);
        Assert.Equal(c.OutShape, y.Shape);
        Assert.Equal(dtype, y.DType);
        y.Backward(gy);

        var golden = dtype == DType.Float64 ? c.Float64 : c.Float32;
        var bounds = ConvTerms.Of(c, roundInputsToFloat32: dtype == DType.Float32);
        Compare("y", y, golden.GetProperty("y"), bounds.Y, dtype);
        Compare("grad input", x.Grad!, golden.GetProperty("gx"), bounds.Gx, dtype);
        Compare("grad weight", w.Grad!, golden.GetProperty("gw"), bounds.Gw, dtype);
        if (b is not null) Compare("grad bias", b.Grad!, golden.GetProperty("gb"), bounds.Gb, dtype);
    }

    private static void Compare(string what, Tensor actual, System.Text.Json.JsonElement expectedJson,
        ConvTerms.Bounds bounds, DType dtype)
    {
        Assert.NotNull(actual);
        Assert.Equal(dtype, actual.DType);
        double[] expected = dtype == DType.Float64
            ? ConvGoldenData.Doubles(expectedJson)
            : Array.ConvertAll(ConvGoldenData.Singles(expectedJson), v => (double)v);
        double[] got = actual.ToDoubleArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
        {
            double tol = ConvTerms.Tolerance(bounds.AbsSum[i], bounds.Count[i], dtype);
            double err = Math.Abs(got[i] - expected[i]);
            if (!(err <= tol))
                Assert.Fail($"{what}[{i}] ({dtype}): got {got[i]:R}, PyTorch {expected[i]:R}, |diff| {err:E3} > tolerance {tol:E3} " +
                            $"(Σ|terms| {bounds.AbsSum[i]:G6}, {bounds.Count[i]} terms)");
        }
    }
}
