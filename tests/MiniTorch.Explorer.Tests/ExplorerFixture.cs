using System.Net;
using System.Text.Json;
using ConvTransposeExplorer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MiniTorch.Explorer.Tests;

/// <summary>One explorer server on a free loopback port for all the tests of the collection, and (on first use) one headless Chromium.</summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private Browser? _browser;

    /// <summary>The server's address, e.g. http://127.0.0.1:40123.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>A client for the server.</summary>
    public HttpClient Http { get; } = new();

    /// <summary>The browser, started the first time a test asks for it.</summary>
    public Browser Browser => _browser ??= new Browser(BaseUrl);

    public async Task InitializeAsync()
    {
        _app = ExplorerApp.Build(["--urls", "http://127.0.0.1:0"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Http.BaseAddress = new Uri(BaseUrl);
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>GET /api/explain?<paramref name="query"/>: the status and the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> Explain(string query)
    {
        using var response = await Http.GetAsync("/api/explain?" + query);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}

[CollectionDefinition("explorer")]
public sealed class ExplorerCollection : ICollectionFixture<ExplorerFixture>;

/// <summary>PyTorch 1.13's outputs for the presets and its messages for invalid set-ups (Golden/explorer_goldens.py).</summary>
public static class Goldens
{
    private static readonly JsonElement Root =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "explorer_goldens.json"))).RootElement;

    /// <summary>print(output) for a preset.</summary>
    public static string Output(string preset) => Root.GetProperty("presets").GetProperty(preset).GetProperty("output").GetString()!;

    /// <summary>print(z.grad) for a preset: the conv's input gradient with the preset's input as upstream gradient.</summary>
    public static string Grad(string preset) => Root.GetProperty("presets").GetProperty(preset).GetProperty("grad").GetString()!;

    /// <summary>PyTorch's message for one of the invalid set-ups.</summary>
    public static string Error(string name) => Root.GetProperty("errors").GetProperty(name).GetString()!;

    /// <summary>The preset names with goldens.</summary>
    public static IEnumerable<string> Presets => Root.GetProperty("presets").EnumerateObject().Select(p => p.Name);

    /// <summary>The element strings of a printed tensor, in order (brackets, commas and the suffix dropped).</summary>
    public static string[] Elements(string printed)
    {
        var body = printed[(printed.IndexOf('[') + 1)..printed.LastIndexOf(']')];
        return body.Split([',', '[', ']', '\n', ' '], StringSplitOptions.RemoveEmptyEntries);
    }
}
