namespace Dcgan.Metrics;

/// <summary>Draws the quality curve (Fréchet distance and coverage against training steps) as SVG.</summary>
public static class QualityPlot
{
    /// <summary>Writes <c>quality.svg</c>: the Fréchet distance of each generator over the steps.</summary>
    public static void Write(IReadOnlyList<CurvePoint> curve, string path)
    {
        var names = curve.SelectMany(p => p.Rows.Select(r => r.Name)).Distinct().ToList();
        var series = names.Select(n => (n + " Fréchet", (IReadOnlyList<double>)curve.Select(p => p.Rows.FirstOrDefault(r => r.Name == n)?.Frechet ?? double.NaN).ToList())).ToList();
        var steps = curve.Select(p => (double)p.Step).ToList();
        var svg = LossPlot.Render(series, title: "sample quality", xLabel: "step", x: steps, logY: true);
        MiniTorch.IO.AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(svg));
    }
}
