using System.Text.RegularExpressions;
using System.Xml.Linq;
using ConvTransposeTour;

namespace MiniTorch.Tests.Examples;

/// <summary>Runs the tour once into a temporary folder (shared by the tests of the class) and deletes it afterwards.</summary>
public sealed class TourRun : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "minitorch-tour-" + Guid.NewGuid().ToString("N"));
    public StringWriter Log { get; } = new();
    public TourResult Result { get; }

    public TourRun() => Result = Tour.Run(Log, Folder);

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>Runs the whole tour once and checks the numbers it prints against the seed notebooks.</summary>
public class ConvTransposeTourTests(TourRun run) : IClassFixture<TourRun>
{
    private readonly string _folder = run.Folder;
    private readonly StringWriter _log = run.Log;
    private readonly TourResult _result = run.Result;

    private static void AssertValues(double[] expected, Tensor actual, double tolerance)
    {
        var a = actual.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance, $"element {i}: {a[i]:R}, expected {expected[i]:R}");
    }

    [Fact]
    public void Tour_Step1_ReproducesTheSeedNotebookScatter()
    {
        Assert.Equal(new[] { 1, 3, 5, 6 }, _result.SeedOutput.Shape);
        Assert.Equal(6, _result.CopyCount);
        // The seed notebook's first two rows and its last channel's last row (float32 there and here).
        AssertValues([0.1, 0.4, 1.0, 1.6, 1.7, 1.2, 0.9, 2.9, 6.2, 8.3, 7.5, 4.8], _result.SeedOutput.Reshape(-1).Narrow(0, 0, 12), 1e-5);
        AssertValues([18.0, 40.9, 68.8, 70.3, 52.2, 28.8], _result.SeedOutput.Reshape(-1).Narrow(0, 84, 6), 1e-5);
        AssertValues(_result.SeedOutput.ToDoubleArray(), _result.SumOfCopies, 1e-4);
        Assert.Contains("Result: tensor([[[[ 0.1000,  0.4000,  1.0000,  1.6000,  1.7000,  1.2000],", _log.ToString());
    }

    [Fact]
    public void Tour_Step2_ZeroInsertionMatchesTheScatterAndTheSeedStrideTwoCase()
    {
        AssertValues(_result.SeedOutput.ToDoubleArray(), _result.ZeroInsertionOutput, 1e-4);
        AssertValues([4, 2, 4, 2, 4, 2, 1, 2, 1, 2, 4, 2, 4, 2, 4, 2, 1, 2, 1, 2, 4, 2, 4, 2, 4], _result.StridedOnesOutput, 0);
    }

    [Fact]
    public void Tour_Steps3To6_MatrixSizesKerasAndAdjointAgree()
    {
        Assert.Equal((4, 16), _result.MatrixShape);
        Assert.True(_result.MatrixError <= 1e-12);
        Assert.NotEmpty(_result.Sizes);
        foreach (var (name, formula, actual) in _result.Sizes) Assert.True(formula == actual, $"{name}: formula {formula}, op {actual}");
        Assert.Contains(_result.Sizes, s => s.Formula == 5 && s.Case.StartsWith("ConvTranspose2d k=3 s=2 p=2"));
        AssertValues([55, 52, 57, 50], _result.KerasConv, 0);
        AssertValues([55, 162, 159, 52, 167, 323, 319, 154, 169, 264, 326, 204, 57, 107, 164, 100], _result.KerasValid, 0);
        AssertValues([55, 110, 107, 104, 52, 110, 55, 214, 52, 104, 112, 169, 269, 152, 154, 114, 57, 214, 50, 100, 57, 57, 164, 50, 100],
                     _result.KerasValidStride2, 0);
        AssertValues([323, 319, 264, 326], _result.KerasSame, 0);
        Assert.True(Math.Abs(_result.AdjointLeft - _result.AdjointRight) <= 1e-12 * Math.Max(1, Math.Abs(_result.AdjointLeft)));
        Assert.True(_result.GradientError <= 1e-12);
    }

    [Fact]
    public void Tour_Step5_PrintsTheKerasKernelAndSaysWhereTheInputComesFrom()
    {
        var log = _log.ToString();
        Assert.Contains("kernel: tensor([[1., 2., 1.],\n        [2., 1., 2.],\n        [1., 1., 2.]])", log);
        Assert.Contains("The Conv2DTranspose input is that Conv2D output", log);
        Assert.Contains("row 0: tensor([ 55., 110., 107., 104.,  52.])", log);
    }

    [Fact]
    public void Tour_PrintsNumbersAsPythonAndPyTorchDo()
    {
        var log = _log.ToString();
        // No .NET exponent style (7.63E-06) anywhere; differences print as PyTorch prints a 0-dim tensor.
        Assert.DoesNotMatch(new Regex(@"\dE[+-]\d"), log);
        Assert.Contains("max |sum of copies − ConvTranspose2d| = tensor(7.6294e-06)", log);
        Assert.Contains($"⟨conv(x), y⟩  = {PythonStyle.Repr(_result.AdjointLeft)}", log);
        Assert.Contains("x[0,1] = 2.0 · w at offset (0, 1)", log);
    }

    [Theory]
    [InlineData(4.0, "4.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(7.62939453125e-06, "7.62939453125e-06")]
    [InlineData(1.5265566588595902e-16, "1.5265566588595902e-16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(123.456, "123.456")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void PythonStyle_Repr_MatchesPython(double value, string python) => Assert.Equal(python, PythonStyle.Repr(value));

    [Fact]
    public void Tour_Step7_OverlapCountsAndCheckerboardPictures()
    {
        Assert.Equal([1, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1], _result.Overlaps["k3s2"]);
        Assert.Equal([1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1], _result.Overlaps["k4s2"]);
        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 4, 5, 4, 5, 4, 5, 4, 4, 3, 3, 2, 2, 1, 1], _result.Overlaps["k9s2"]);
        // A flat input stays flat in the interior through resize-convolution, but not through strided transposed convolutions.
        Assert.True(_result.ResizeInteriorStd < 1e-12, $"resize-convolution interior std {_result.ResizeInteriorStd}");
        Assert.True(_result.StridedInteriorStd > 1e-3, $"strided interior std {_result.StridedInteriorStd}");

        Assert.Equal(4, _result.Pictures.Count);
        foreach (var path in _result.Pictures)
        {
            Assert.True(File.Exists(path), path);
            Assert.StartsWith(Path.GetFullPath(_folder), Path.GetFullPath(path));
        }
        // The printed 2-D grid is the one the k3 s2 picture draws: 17×17 counts of an 8×8 input, the same numbers cell by cell.
        Assert.Equal(new[] { 17, 17 }, _result.OverlapGrid.Shape);
        Assert.Contains($"overlap k3 s2: {_result.OverlapGrid}", _log.ToString());
        var svg = XDocument.Load(Path.Combine(_folder, "overlap_k3s2.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var cells = svg.Descendants(ns + "rect").Where(r => r.Element(ns + "title") is not null).ToList();
        Assert.Equal(17 * 17, cells.Count);
        var grid = _result.OverlapGrid.ToDoubleArray();
        for (int i = 0; i < grid.Length; i++)
            Assert.Equal($"[{i / 17}, {i % 17}] = {grid[i]:0}.", cells[i].Element(ns + "title")!.Value);
        // Hot scale from 0: a corner (1 tap of 4) is dark red, the centre (4 of 4) white.
        Assert.Equal("rgb(191,0,0)", cells[0].Attribute("fill")!.Value);
        Assert.Equal("rgb(255,255,255)", cells[8 * 17 + 8].Attribute("fill")!.Value);
        // Title, axis labels, the colour bar's label and its ends, printed as PyTorch prints them.
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("ConvTranspose2d taps per output: kernel 3, stride 2, 8×8 input", texts);
        Assert.Contains("output column →", texts);
        Assert.Contains("output row →", texts);
        Assert.Contains("kernel taps reaching the position", texts);
        Assert.Contains("0.", texts);
        Assert.Contains("4.", texts);
        var pair = XDocument.Load(Path.Combine(_folder, "generators_strided_vs_resize.svg"));
        Assert.Equal(2, pair.Root!.Elements(ns + "svg").Count());
        Assert.Equal(2 * 32 * 32, pair.Descendants(ns + "rect").Count(r => r.Element(ns + "title") is not null));
    }
}
