using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvTransposeExplorer;

/// <summary>
/// The web app: one page (three embedded files) and one JSON endpoint that explains a state given as
/// a query string. ASP.NET Core minimal APIs from the shared framework; no front-end build.
/// </summary>
public static class ExplorerApp
{
    /// <summary>JSON as the page reads it: camelCase, enums as strings, and inf/nan as strings rather than an exception.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly Dictionary<string, string> ContentTypes = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["app.js"] = "text/javascript; charset=utf-8",
        ["style.css"] = "text/css; charset=utf-8",
    };

    /// <summary>Builds the app (not started); <paramref name="args"/> are ASP.NET Core's, e.g. <c>--urls http://127.0.0.1:5000</c>.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/", () => Asset("index.html"));
        foreach (var name in ContentTypes.Keys) app.MapGet("/" + name, () => Asset(name));
        app.MapGet("/api/presets", () => Results.Json(Presets.All.Select(p => new { p.Name, p.Title, p.Note }), Json));
        app.MapGet("/api/explain", (HttpRequest request) => Explain(request.Query));
        return app;
    }

    /// <summary>The explanation as JSON: 200 with the views, or 400 with PyTorch's (or the explorer's) message.</summary>
    private static IResult Explain(IQueryCollection query)
    {
        // A repeated key counts once (its last value), as the page writes each key once.
        var q = query.ToDictionary(kv => kv.Key, kv => kv.Value.Count > 0 ? kv.Value[^1] ?? "" : "", StringComparer.Ordinal);
        Explanation result;
        try { result = Explainer.Explain(q); }
        catch (Exception e)
        {
            // Not expected: every argument error is caught inside. Still an answer, never a dropped connection.
            return Results.Json(new { error = $"internal error: {e.GetType().Name}: {e.Message}", errorSource = "server" }, Json, statusCode: 500);
        }
        return Results.Json(result, Json, statusCode: result.Error is null ? 200 : 400);
    }

    private static IResult Asset(string name)
    {
        var stream = typeof(ExplorerApp).Assembly.GetManifestResourceStream("wwwroot/" + name)
            ?? throw new InvalidOperationException($"embedded page file {name} is missing");
        return Results.Stream(stream, ContentTypes[name]);
    }
}
