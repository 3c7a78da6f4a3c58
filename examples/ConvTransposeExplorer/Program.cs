// An interactive page that shows transposed convolution computed by MiniTorch.
// Usage: dotnet run --project examples/ConvTransposeExplorer -c Release -- --urls http://127.0.0.1:5000
using ConvTransposeExplorer;

var app = ExplorerApp.Build(args);
app.Run();
