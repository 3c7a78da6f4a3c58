using System.Globalization;
using System.Net;
using System.Text;

namespace ConvTransposeTour;

/// <summary>The colour scales a heat map can use.</summary>
public enum Palette
{
    /// <summary>Black → red → yellow → white, for counts and other non-negative values.</summary>
    Hot,
    /// <summary>Black → white, for images.</summary>
    Grey,
    /// <summary>Blue → white → red, symmetric about zero, for signed values.</summary>
    Diverging,
}

/// <summary>
/// A heat map as an SVG picture: one cell per element with its value printed as PyTorch prints it,
/// axis labels and indices, a title and a colour bar with its end values. Used by the tour for its
/// pictures and by the notebooks to show maps inline.
/// </summary>
public static class HeatMapSvg
{
    /// <summary>Renders a 2-D tensor [rows, columns].</summary>
    /// <param name="map">The values, [H, W].</param>
    /// <param name="title">The heading above the map.</param>
    /// <param name="xLabel">What the columns are.</param>
    /// <param name="yLabel">What the rows are.</param>
    /// <param name="palette">The colour scale.</param>
    /// <param name="barLabel">What the colour bar measures.</param>
    /// <param name="numbers">Print each value in its cell (the default up to 1000 cells, the most PyTorch prints in full).</param>
    /// <param name="cell">Cell size in pixels.</param>
    public static string Render(Tensor map, string title, string xLabel = "column", string yLabel = "row", Palette palette = Palette.Hot,
                                string barLabel = "value", bool? numbers = null, int cell = 24)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Dim != 2) throw new ArgumentException($"expected a map of shape [H, W], got {Shape.Format(map.Shape)}");
        int h = map.Size(0), w = map.Size(1);
        var values = map.ToDoubleArray();
        // Each element as print(map) shows it (the tensor's own formatter, one format for all); a map
        // too large to print in full gets Python's repr of each value in its tooltip instead.
        bool showNumbers = numbers ?? map.Numel <= 1000;
        var text = map.Numel <= 1000 ? Elements(map) : values.Select(PythonStyle.Repr).ToArray();
        double lo = values.Min(), hi = values.Max();
        if (palette == Palette.Diverging) { hi = Math.Max(Math.Abs(lo), Math.Abs(hi)); lo = -hi; }
        else if (palette == Palette.Hot && lo > 0) lo = 0;
        int left = 46, top = 54, gridW = w * cell, gridH = h * cell, barTop = top + gridH + 30;
        // Monospace text: about 0.6 em per character.
        int width = Math.Max(Math.Max(left + gridW + 16, 330), left + (int)(title.Length * 8.6) + 10), height = barTop + 40;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans Mono, monospace\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + gridW / 2}\" y=\"{top - 18}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{Escape(xLabel)} →</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(12 {top + gridH / 2}) rotate(-90)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{Escape(yLabel)} →</text>\n");
        int every = Math.Max(1, (int)Math.Ceiling(Math.Max(h, w) / 24.0));
        for (int q = 0; q < w; q += every)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + q * cell + cell / 2}\" y=\"{top - 4}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#888\">{q}</text>\n");
        for (int r = 0; r < h; r += every)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + r * cell + cell / 2 + 3}\" font-size=\"9\" text-anchor=\"end\" fill=\"#888\">{r}</text>\n");
        for (int r = 0; r < h; r++)
            for (int q = 0; q < w; q++)
            {
                double v = values[r * w + q];
                var (colour, dark) = Colour(Unit(v, lo, hi), palette);
                int x = left + q * cell, y = top + r * cell;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{colour}\"><title>[{r}, {q}] = {Escape(text[r * w + q])}</title></rect>\n");
                if (showNumbers)
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + cell / 2}\" y=\"{y + cell / 2 + 3}\" font-size=\"{Math.Min(10, cell * 2 / Math.Max(3, text[r * w + q].Length + 1))}\" text-anchor=\"middle\" fill=\"{(dark ? "white" : "black")}\">{Escape(text[r * w + q])}</text>\n");
            }
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{gridW}\" height=\"{gridH}\" fill=\"none\" stroke=\"#999\"/>\n");
        // The colour bar: the scale from its lowest to its highest value, with the end values printed.
        const int barW = 220, steps = 44;
        for (int i = 0; i < steps; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + i * barW / steps}\" y=\"{barTop}\" width=\"{barW / steps + 1}\" height=\"12\" fill=\"{Colour((i + 0.5) / steps, palette).Colour}\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{barTop}\" width=\"{barW}\" height=\"12\" fill=\"none\" stroke=\"#999\"/>\n");
        // The ends as PyTorch prints the pair (lo, hi), the label above the bar.
        var ends = Elements(Torch.FromArray(new[] { lo, hi }, 2).To(map.DType));
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{barTop - 5}\" font-size=\"10\" fill=\"#555\">{Escape(barLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{barTop + 25}\" font-size=\"10\">{Escape(ends[0])}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + barW}\" y=\"{barTop + 25}\" font-size=\"10\" text-anchor=\"end\">{Escape(ends[1])}</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Several pictures from <see cref="Render"/> side by side in one SVG.</summary>
    public static string Row(params string[] pictures)
    {
        var sizes = pictures.Select(p => (W: Attribute(p, "width"), H: Attribute(p, "height"))).ToArray();
        int width = sizes.Sum(s => s.W), height = sizes.Max(s => s.H), x = 0;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        for (int i = 0; i < pictures.Length; i++)
        {
            // A nested <svg> keeps each picture's own coordinates; only its position moves.
            svg.Append(pictures[i].Replace("<svg xmlns=\"http://www.w3.org/2000/svg\"", FormattableString.Invariant($"<svg x=\"{x}\"")));
            x += sizes[i].W;
        }
        return svg.Append("</svg>\n").ToString();
    }

    private static int Attribute(string svg, string name)
    {
        int start = svg.IndexOf($" {name}=\"", StringComparison.Ordinal) + name.Length + 3;
        return int.Parse(svg[start..svg.IndexOf('"', start)], CultureInfo.InvariantCulture);
    }

    /// <summary>Each element's text as <c>print(t)</c> shows it (the padding trimmed).</summary>
    internal static string[] Elements(Tensor t)
    {
        // A flat copy prints with the same formatter as the map (the format depends only on the values).
        var printed = t.Reshape(-1).ToString();
        var body = printed[(printed.IndexOf('[') + 1)..printed.LastIndexOf(']')];
        var items = body.Split(',').Select(s => s.Trim()).ToArray();
        return items;
    }

    private static double Unit(double v, double lo, double hi) => hi > lo ? Math.Clamp((v - lo) / (hi - lo), 0, 1) : 1;

    /// <summary>The colour of a position t in [0, 1] on the scale, and whether text on it should be white.</summary>
    internal static (string Colour, bool Dark) Colour(double t, Palette palette)
    {
        double r, g, b;
        switch (palette)
        {
            case Palette.Grey: r = g = b = t; break;
            case Palette.Diverging:
                double s = 2 * t - 1;
                (r, g, b) = s < 0 ? (1 + s * (1 - 33 / 255.0), 1 + s * (1 - 102 / 255.0), 1 + s * (1 - 172 / 255.0))
                                  : (1 - s * (1 - 178 / 255.0), 1 - s * (1 - 24 / 255.0), 1 - s * (1 - 43 / 255.0));
                break;
            default: (r, g, b) = (Math.Clamp(3 * t, 0, 1), Math.Clamp(3 * t - 1, 0, 1), Math.Clamp(3 * t - 2, 0, 1)); break;
        }
        double luminance = 0.299 * r + 0.587 * g + 0.114 * b;
        return (FormattableString.Invariant($"rgb({(int)Math.Round(255 * r)},{(int)Math.Round(255 * g)},{(int)Math.Round(255 * b)})"), luminance < 0.5);
    }

    private static string Escape(string s) => WebUtility.HtmlEncode(s);
}
