namespace MiniTorch.Tests.Nn;

/// <summary>
/// Checks Golden/Conv/conv.json itself and the tolerance argument of
/// ConvGoldenPyTorchTests, without the code under test.
/// </summary>
public class ConvGoldenDataTests
{
    [Fact]
    public void GoldenData_CoversStrideDilationGroupsOutputPaddingAndBias()
    {
        // The point of the random cases is breadth; make sure the generator kept it.
        var all = ConvGoldenData.Names("conv2d").Select(n => ConvGoldenData.Get("conv2d", n))
            .Concat(ConvGoldenData.Names("conv_transpose2d").Select(n => ConvGoldenData.Get("conv_transpose2d", n))).ToList();
        Assert.Contains(all, c => c.Stride.H > 1 && c.Stride.W != c.Stride.H);
        Assert.Contains(all, c => c.Dilation.H > 1 || c.Dilation.W > 1);
        Assert.Contains(all, c => c.Groups > 1 && c.Op == "conv2d");
        Assert.Contains(all, c => c.Groups > 1 && c.Op == "conv_transpose2d");
        Assert.Contains(all, c => c.OutputPadding.H > 0 || c.OutputPadding.W > 0);
        // outputPadding ≥ stride is allowed when it is < dilation.
        Assert.Contains(all, c => c.OutputPadding.H >= c.Stride.H || c.OutputPadding.W >= c.Stride.W);
        Assert.Contains(all, c => c.B is not null);
        Assert.Contains(all, c => c.B is null);
        Assert.Contains(all, c => c.N > 1);
        Assert.True(all.Count(c => c.Op == "conv2d") >= 30 && all.Count(c => c.Op == "conv_transpose2d") >= 30);
    }

    /// <summary>
    /// Checks the data and the tolerance argument without the code under test: the definition
    /// (evaluated in float64 by <see cref="ConvTerms"/>) reproduces PyTorch's float64 values to
    /// 1e-12·Σ|terms|, and PyTorch's float32 values lie within γₙ·Σ|terms| of it (half the
    /// float32 tolerance used above: the other half is MiniTorch's own rounding).
    /// </summary>
    [Fact]
    public void GoldenData_AgreesWithDefinition_AndFloat32WithinRoundingBound()
    {
        foreach (var op in new[] { "conv2d", "conv_transpose2d" })
            foreach (var name in ConvGoldenData.Names(op))
            {
                var c = ConvGoldenData.Get(op, name);
                foreach (var (dtype, tolScale) in new[] { (DType.Float64, 1e-2), (DType.Float32, 0.5) })
                {
                    bool f32 = dtype == DType.Float32;
                    var (y, gx, gw, gb) = ConvTerms.Reference(c, f32);
                    var bounds = ConvTerms.Of(c, f32);
                    var golden = f32 ? c.Float32 : c.Float64;
                    void Cmp(string what, double[] exact, string key, ConvTerms.Bounds bd)
                    {
                        double[] torch = f32
                            ? Array.ConvertAll(ConvGoldenData.Singles(golden.GetProperty(key)), v => (double)v)
                            : ConvGoldenData.Doubles(golden.GetProperty(key));
                        Assert.Equal(exact.Length, torch.Length);
                        for (int i = 0; i < exact.Length; i++)
                        {
                            double tol = tolScale * ConvTerms.Tolerance(bd.AbsSum[i], bd.Count[i], dtype);
                            Assert.True(Math.Abs(exact[i] - torch[i]) <= tol,
                                $"{c} {dtype} {what}[{i}]: definition {exact[i]:R}, PyTorch {torch[i]:R}, tolerance {tol:E3}");
                        }
                    }
                    Cmp("y", y, "y", bounds.Y);
                    Cmp("gx", gx, "gx", bounds.Gx);
                    Cmp("gw", gw, "gw", bounds.Gw);
                    if (c.B is not null) Cmp("gb", gb, "gb", bounds.Gb);
                }
            }
    }
}
