// A guided walk through transposed convolution, with the numbers of the seed notebooks.
// Usage: dotnet run --project examples/ConvTransposeTour -c Release [-- <output folder>]
using ConvTransposeTour;

string folder = args.Length > 0 ? args[0] : "tour-output";
var result = Tour.Run(Console.Out, folder);
Console.WriteLine($"Wrote {result.Pictures.Count} pictures to {Path.GetFullPath(folder)}");
