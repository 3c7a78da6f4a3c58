using System.Globalization;
using ConvTransposeExplorer;
using FsCheck;
using FsCheck.Fluent;
using MiniTorch.Explorer.Tests;
using MiniTorch.Tests.Generators;

// Every [Property] here runs on the fixed seed of MiniTorch.Tests (see FixedSeedPropertiesAttribute).
[assembly: FixedSeedProperties(typeof(ExplorerArbitraries))]

namespace MiniTorch.Explorer.Tests;

/// <summary>One random explorer state, as the query the page would send.</summary>
public sealed record ExplorerCase(IReadOnlyDictionary<string, string> Query)
{
    /// <summary>The query string, for FsCheck's report.</summary>
    public override string ToString() => string.Join("&", Query.Select(kv => $"{kv.Key}={kv.Value}"));
}

/// <summary>Random states within the page's limits: both ranks and conventions, every argument, some invalid for PyTorch.</summary>
public static class ExplorerArbitraries
{
    /// <summary>The default arbitrary for <see cref="ExplorerCase"/>.</summary>
    public static Arbitrary<ExplorerCase> ExplorerCase() =>
        (from rank in Gen.Choose(1, 2)
         from keras in Gen.Elements(false, false, true)
         from same in Gen.Elements(false, true)
         from cin in Gen.Choose(1, 2)
         from cout in Gen.Choose(1, 3)
         from size in Gen.Choose(1, 5).Two()
         from kernel in Gen.Choose(1, 4).Two()
         from stride in Gen.Choose(1, 3).Two()
         from padding in Gen.Choose(0, 3).Two()
         from outputPadding in Gen.Choose(0, 2).Two()
         from dilation in Gen.Choose(1, 2).Two()
         from seed in Gen.Choose(0, 10_000)
         from dtype in Gen.Elements("float32", "float64")
         select new ExplorerCase(Build(rank, keras, same, cin, cout, size, kernel, stride, padding, outputPadding, dilation, seed, dtype))).ToArbitrary();

    private static Dictionary<string, string> Build(int rank, bool keras, bool same, int cin, int cout, (int, int) size, (int, int) kernel,
                                                    (int, int) stride, (int, int) padding, (int, int) outputPadding, (int, int) dilation, int seed, string dtype)
    {
        string P((int H, int W) p) => rank == 1 ? $"{p.W}" : $"{p.H},{p.W}";
        var q = new Dictionary<string, string>
        {
            ["rank"] = $"{rank}", ["conv"] = keras ? "keras" : "pytorch", ["dtype"] = dtype, ["cin"] = $"{cin}", ["cout"] = $"{cout}",
            ["in"] = P(size), ["k"] = P(kernel), ["s"] = P(stride), ["d"] = P(dilation), ["x"] = $"randn:{seed}", ["w"] = $"randn:{seed + 1}",
        };
        if (keras) q["p"] = same ? "same" : "valid";
        else (q["p"], q["op"]) = (P(padding), P(outputPadding));
        return q;
    }
}

/// <summary>For random states: every view agrees with the fast op, or the error is PyTorch's own message.</summary>
public class ExplorerProperties
{
    private static double Check(string printed) =>
        double.Parse(printed["tensor(".Length..].Split([',', ')'])[0], CultureInfo.InvariantCulture);

    [Property(MaxTest = 60)]
    public void EveryView_AgreesWithTheFastOp_OrFailsAsPyTorch(ExplorerCase c)
    {
        var e = Explainer.Explain(c.Query);
        var s = SetupParser.Parse(c.Query);
        Tensor expected;
        try { expected = Ops.ConvTranspose(s, s.InputTensor(), s.WeightTensor()); }
        catch (ArgumentException error)
        {
            Assert.Equal(("pytorch", error.Message), (e.ErrorSource, e.Error));
            return;
        }
        Assert.Null(e.Error);
        Assert.Equal(TensorView.Of(expected[0]).Text, e.Output!.Text);
        double scale = Math.Max(1, expected.ToDoubleArray().Max(Math.Abs)), eps = s.DType == DType.Float32 ? 1e-5 : 1e-12;
        foreach (var (view, check) in new[] { ("scatter", e.Scatter!.Check), ("zero insertion", e.ZeroInsertion!.Check), ("matrix", e.Matrix!.Check),
                                              ("overlap", e.Overlap!.Check), ("gradient", e.Gradient!.Check) })
            Assert.True(Check(check) <= eps * scale, $"{view}: {check}");
        // The overlap map is the output's shape, and its counts are those of ones through a ones kernel.
        Assert.Equal(e.Output.Shape[1..], e.Overlap.Counts.Shape);
        Assert.Equal(e.Output.Shape, e.Gradient.InputGrad.Shape);
        // Cᵀ has one row per output element and one column per input element.
        Assert.Equal((e.Output.Values.Length, e.Input!.Values.Length), (e.Matrix.Rows, e.Matrix.Columns));
    }
}
