// Loaded by every notebook here (#load "setup.csx"): references the built library and makes the
// notebook print as the seed notebooks do. Build first: dotnet build MiniTorch.sln -c Release
#r "../examples/ConvTransposeTour/bin/Release/net10.0/MiniTorch.dll"
#r "../examples/ConvTransposeTour/bin/Release/net10.0/ConvTransposeTour.dll"
using Microsoft.DotNet.Interactive.Formatting;

// A cell's last value shows as PyTorch/Python show it: tensors as print(tensor), floats as repr(float).
Formatter.Register<MiniTorch.Tensor>((t, w) => w.Write(t.ToString()), "text/plain");
Formatter.SetPreferredMimeTypesFor(typeof(MiniTorch.Tensor), "text/plain");
Formatter.Register<double>((d, w) => w.Write(ConvTransposeTour.PythonStyle.Repr(d)), "text/plain");
Formatter.SetPreferredMimeTypesFor(typeof(double), "text/plain");

/// <summary>An SVG picture shown inline (image/svg+xml).</summary>
public sealed record Svg(string Markup);
Formatter.Register<Svg>((s, w) => w.Write(s.Markup), "image/svg+xml");
Formatter.SetPreferredMimeTypesFor(typeof(Svg), "image/svg+xml");

/// <summary>Python's print: the items separated by one space; floats as repr, tensors as PyTorch prints them.</summary>
public static void print(params object[] items) =>
    Console.WriteLine(string.Join(" ", items.Select(o => o switch
    {
        double d => ConvTransposeTour.PythonStyle.Repr(d),
        float f => ConvTransposeTour.PythonStyle.Repr(f),
        bool b => b ? "True" : "False",
        _ => o?.ToString() ?? "None",
    })));

/// <summary>t.shape as PyTorch prints it: torch.Size([1, 3, 5, 6]).</summary>
public static string Size(MiniTorch.Tensor t) => $"torch.Size([{string.Join(", ", t.Shape)}])";

/// <summary>A heat map of a 2-D tensor with its numbers, axis labels and a colour bar.</summary>
public static Svg HeatMap(MiniTorch.Tensor map, string title, string xLabel = "column", string yLabel = "row",
                          ConvTransposeTour.Palette palette = ConvTransposeTour.Palette.Hot, string barLabel = "value") =>
    new(ConvTransposeTour.HeatMapSvg.Render(map, title, xLabel, yLabel, palette, barLabel));

/// <summary>Several heat maps side by side.</summary>
public static Svg Row(params Svg[] maps) => new(ConvTransposeTour.HeatMapSvg.Row(maps.Select(m => m.Markup).ToArray()));
