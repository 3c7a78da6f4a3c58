using System.Globalization;
using System.Text;

namespace Dcgan.Metrics;

/// <summary>
/// Writes the training curves as a small hand-made SVG: axes with "nice" ticks, one polyline per
/// series and a legend. No plotting library, so it opens in any browser.
/// </summary>
public static class LossPlot
{
    private const int Width = 640, Height = 360, Left = 60, Right = 20, Top = 20, Bottom = 45;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    /// <summary>
    /// Renders series (name, values per step) against the step index, or against <paramref name="x"/>
    /// when given (one position per value). With <paramref name="logY"/> the values are drawn on a
    /// base-10 logarithmic axis (non-positive values are left out).
    /// </summary>
    public static string Render(IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, string title = "losses", string xLabel = "step",
        IReadOnlyList<double>? x = null, bool logY = false)
    {
        if (logY)
            series = series.Select(s => (s.Name, (IReadOnlyList<double>)s.Values.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToList())).ToList();
        var finite = series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        int n = series.Count == 0 ? 0 : series.Max(s => s.Values.Count);
        double yMin = finite.Count > 0 ? finite.Min() : 0, yMax = finite.Count > 0 ? finite.Max() : 1;
        if (yMax - yMin < 1e-9) { yMin -= 0.5; yMax += 0.5; }
        var yTicks = NiceTicks(yMin, yMax, 6);
        yMin = Math.Min(yMin, yTicks[0]); yMax = Math.Max(yMax, yTicks[^1]);
        double xLast = x is { Count: > 0 } ? x.Max() : n - 1;
        var xTicks = NiceTicks(0, Math.Max(1, xLast), 8);
        double xMax = Math.Max(Math.Max(1, xLast), xTicks[^1]);
        int pw = Width - Left - Right, ph = Height - Top - Bottom;
        double X(double v) => Left + v / xMax * pw;
        double At(int i) => x is null ? i : x[i];
        double Y(double v) => Top + (yMax - v) / (yMax - yMin) * ph;

        var svg = new StringBuilder();
        svg.AppendLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine($"<title>{Escape(title)}</title>");
        svg.AppendLine($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        foreach (var t in yTicks.Where(t => t >= yMin && t <= yMax))
        {
            svg.AppendLine($"<line x1=\"{F(Left)}\" y1=\"{F(Y(t))}\" x2=\"{F(Left + pw)}\" y2=\"{F(Y(t))}\" stroke=\"#e0e0e0\"/>");
            svg.AppendLine($"<text x=\"{F(Left - 6)}\" y=\"{F(Y(t) + 4)}\" text-anchor=\"end\">{Label(logY ? Math.Pow(10, t) : t)}</text>");
        }
        foreach (var t in xTicks.Where(t => t >= 0 && t <= xMax))
        {
            svg.AppendLine($"<line x1=\"{F(X(t))}\" y1=\"{F(Top + ph)}\" x2=\"{F(X(t))}\" y2=\"{F(Top + ph + 5)}\" stroke=\"black\"/>");
            svg.AppendLine($"<text x=\"{F(X(t))}\" y=\"{F(Top + ph + 18)}\" text-anchor=\"middle\">{Label(t)}</text>");
        }
        svg.AppendLine($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + ph}\" stroke=\"black\"/>");
        svg.AppendLine($"<line x1=\"{Left}\" y1=\"{Top + ph}\" x2=\"{Left + pw}\" y2=\"{Top + ph}\" stroke=\"black\"/>");
        svg.AppendLine($"<text x=\"{Left + pw / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        for (int s = 0; s < series.Count; s++)
        {
            var points = new StringBuilder();
            var values = series[s].Values;
            for (int i = 0; i < values.Count; i++)
                if (double.IsFinite(values[i])) points.Append(F(X(At(i)))).Append(',').Append(F(Y(values[i]))).Append(' ');
            string color = Colors[s % Colors.Length];
            svg.AppendLine($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.2\" points=\"{points.ToString().TrimEnd()}\"/>");
            int ly = Top + 10 + 16 * s;
            svg.AppendLine($"<line x1=\"{Left + pw - 110}\" y1=\"{ly}\" x2=\"{Left + pw - 90}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>");
            svg.AppendLine($"<text x=\"{Left + pw - 84}\" y=\"{ly + 4}\">{Escape(series[s].Name)}</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// Tick positions at 1, 2 or 5 × 10^k spacing covering [lo, hi] with about
    /// <paramref name="count"/> ticks (Heckbert's "nice numbers").
    /// </summary>
    public static double[] NiceTicks(double lo, double hi, int count)
    {
        double range = Nice(hi - lo, false);
        double step = Nice(range / Math.Max(1, count - 1), true);
        double start = Math.Floor(lo / step) * step, end = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (double t = start; t <= end + step / 2; t += step) ticks.Add(Math.Round(t / step) * step);
        return ticks.ToArray();
    }

    private static double Nice(double x, bool round)
    {
        if (x <= 0) return 1;
        double exp = Math.Floor(Math.Log10(x)), f = x / Math.Pow(10, exp);
        double nf = round ? (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) : (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
        return nf * Math.Pow(10, exp);
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Label(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
