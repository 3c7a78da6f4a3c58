using System.Text.Json;

namespace MiniTorch.Tests.Gan;

/// <summary>Reads Golden/Gan/gan.json (written by gen_gan.py with PyTorch 1.13).</summary>
internal static class GanGolden
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Gan", "gan.json"))));

    public static JsonElement Root => Doc.Value.RootElement;

    public static IEnumerable<JsonElement> Cases(string name) => Root.GetProperty(name).EnumerateArray();
}
