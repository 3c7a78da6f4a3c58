using System.Xml.Linq;
using Dcgan.Metrics;

namespace MiniTorch.Examples.Tests.Metrics;

public class LossPlotTests
{
    [Fact]
    public void Render_IsWellFormedSvg_WithBothCurvesLegendAndTicks()
    {
        var d = Enumerable.Range(0, 50).Select(i => 1.4 - i * 0.01).ToList();
        var g = Enumerable.Range(0, 50).Select(i => 0.7 + Math.Sin(i) * 0.3).ToList();
        g[10] = double.NaN; // a NaN is skipped, not drawn
        var svg = XDocument.Parse(LossPlot.Render([("loss D", d), ("loss G", g)]));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(50, lines[0].Attribute("points")!.Value.Split(' ').Length);
        Assert.Equal(49, lines[1].Attribute("points")!.Value.Split(' ').Length);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("loss D", texts);
        Assert.Contains("loss G", texts);
        Assert.Contains("step", texts);
        Assert.True(texts.Count > 8); // tick labels
    }

    [Theory]
    [InlineData(0, 1, 5)]
    [InlineData(-3.2, 17.9, 6)]
    [InlineData(0.001, 0.0042, 4)]
    public void NiceTicks_CoverTheRange_WithRoundSteps(double lo, double hi, int count)
    {
        var t = LossPlot.NiceTicks(lo, hi, count);
        Assert.True(t[0] <= lo && t[^1] >= hi);
        double step = t[1] - t[0];
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
    }

    [Fact]
    public void LogTicks_AreOneTwoFiveTimesPowersOfTen_CoveringTheRange()
    {
        var t = LossPlot.LogTicks(Math.Log10(20), Math.Log10(300)).Select(v => Math.Round(Math.Pow(10, v), 6)).ToArray();
        Assert.Equal([20, 50, 100, 200, 1000], t);
        // Over many decades only the powers of ten are labelled.
        Assert.Equal([1, 10, 100, 1000, 10000], LossPlot.LogTicks(0, 4).Select(v => Math.Round(Math.Pow(10, v), 6)).ToArray());
    }

    [Fact]
    public void QualityPlot_DrawsEachGeneratorAndTheFloor_OnALogAxis()
    {
        using var dir = new TempDir();
        static QualityRow Row(string name, double frechet) => new(name, 0.9, 0.9, frechet, [1, 1], ["a", "b"]);
        var curve = new[] { 100L, 200, 300 }.Select((s, i) => new CurvePoint(s, s / 10.0, [Row("generator", 400 / (i + 1.0)), Row("generator_ema", 300 / (i + 1.0))])).ToList();
        QualityPlot.Write(curve, dir.File("q.svg"), floor: 16.6);
        var svg = XDocument.Load(dir.File("q.svg"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(3, svg.Descendants(ns + "polyline").Count());
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("generator_ema Fréchet", texts);
        Assert.Contains("real vs real", texts);
        Assert.Contains("100", texts); // a log-axis label: values, not their logarithms
    }
}
