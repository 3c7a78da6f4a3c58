using System.Globalization;
using System.Net;
using System.Text.Json;
using ConvTransposeExplorer;
using MiniTorch.Teaching;

namespace MiniTorch.Explorer.Tests;

/// <summary>The JSON endpoint: the presets against PyTorch 1.13, every view against the fast op, PyTorch's error messages.</summary>
[Collection("explorer")]
public class ExplorerApiTests(ExplorerFixture server)
{
    public static TheoryData<string> PresetNames() => new(Goldens.Presets);

    private static double Number(string printed0Dim) =>
        double.Parse(printed0Dim["tensor(".Length..].Split([',', ')'])[0], CultureInfo.InvariantCulture);

    private static string[] Texts(JsonElement view) => view.GetProperty("text").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static double[] Values(JsonElement view) => view.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [Theory]
    [MemberData(nameof(PresetNames))]
    public async Task Preset_MatchesPyTorchAndEveryViewAgrees(string preset)
    {
        var (status, body) = await server.Explain("preset=" + preset);
        Assert.Equal(HttpStatusCode.OK, status);
        // The output prints exactly as PyTorch 1.13 prints it.
        Assert.Equal(Goldens.Output(preset), body.GetProperty("printed").GetProperty("output").GetString());
        // Conv's input gradient (upstream = the input) has PyTorch's numbers, and equals ConvTranspose(g).
        Assert.Equal(Goldens.Elements(Goldens.Grad(preset)), Texts(body.GetProperty("gradient").GetProperty("inputGrad")));
        Assert.Equal(Texts(body.GetProperty("output")), Texts(body.GetProperty("gradient").GetProperty("transposed")));
        // Every teaching view reproduces the fast op (float32 rounding at most).
        double scale = Math.Max(1, Values(body.GetProperty("output")).Max(Math.Abs));
        foreach (var view in new[] { "scatter", "zeroInsertion", "matrix", "overlap", "gradient" })
        {
            double diff = Number(body.GetProperty(view).GetProperty("check").GetString()!);
            Assert.True(diff <= 2e-6 * scale, $"{preset} {view}: max difference {diff}");
        }
        Assert.Equal(preset, body.GetProperty("setup").GetProperty("preset").GetString());
    }

    [Fact]
    public async Task Preset000_StepsThroughSixCopiesWhoseSumIsTheCanvas()
    {
        var (_, body) = await server.Explain("preset=000");
        var steps = body.GetProperty("scatter").GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(6, steps.Length);
        Assert.Equal(["1.", "2.", "3.", "4.", "5.", "6."], steps.Select(s => s.GetProperty("value").GetString()!));
        Assert.Equal((1, 2), (steps[5].GetProperty("top").GetInt32(), steps[5].GetProperty("left").GetInt32()));
        // The last running sum (float32 additions) is the uncropped canvas (summed in float64), which with padding 0 is the seed's Result.
        var full = Values(body.GetProperty("scatter").GetProperty("full"));
        var last = Values(steps[^1].GetProperty("sum"));
        Assert.Equal(full.Length, last.Length);
        for (int i = 0; i < full.Length; i++) Assert.True(Math.Abs(full[i] - last[i]) <= 1e-5 * Math.Max(1, Math.Abs(full[i])), $"element {i}: {last[i]} vs {full[i]}");
        Assert.Equal(Texts(body.GetProperty("output")), Texts(steps[^1].GetProperty("sum")));
        // Copy 2 is x[0,0,1] = 2 times the weight: its first tap 2·0.1.
        Assert.Equal("0.2000", Texts(steps[1].GetProperty("scaled"))[0]);
        Assert.Equal("(2 − 1)·1 − 2·0 + 1·(4 − 1) + 0 + 1 = 5", body.GetProperty("formula")[0].GetProperty("numeric").GetString());
        Assert.Equal("(3 − 1)·1 − 2·0 + 1·(4 − 1) + 0 + 1 = 6", body.GetProperty("formula")[1].GetProperty("numeric").GetString());
    }

    [Fact]
    public async Task ZeroInsertionPadding_MatchesTheTeachingView()
    {
        // FSRCNN's layer: pad 8 − 4 = 4 before, 4 + output_padding = 5 after, as TransposedConv.ZeroInsertion says.
        var (_, body) = await server.Explain("preset=003-fsrcnn");
        var z = body.GetProperty("zeroInsertion");
        var teaching = TransposedConv.ZeroInsertion(Torch.Ones(1, 1, 3, 3), Torch.Ones(1, 1, 9, 9), stride: 2, padding: 4, outputPadding: 1);
        Assert.Equal((teaching.PadH.Before, teaching.PadH.After), (z.GetProperty("padTop").GetInt32(), z.GetProperty("padBottom").GetInt32()));
        Assert.Equal((4, 5), (z.GetProperty("padLeft").GetInt32(), z.GetProperty("padRight").GetInt32()));
        Assert.Equal(teaching.Padded.Shape[2..], z.GetProperty("padded").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray()[1..]);
    }

    [Fact]
    public async Task KerasSame_ShowsTheKerasKernelAndCropsTheCentre()
    {
        var (_, body) = await server.Explain("preset=002-same");
        Assert.Equal([3, 3, 1, 1], body.GetProperty("kerasKernel").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["1.", "2.", "1.", "2.", "1.", "2.", "1.", "1.", "2."], Texts(body.GetProperty("kerasKernel")));
        Assert.Equal(new[] { 1, 1, 1, 1 }, new[] { "top", "bottom", "left", "right" }.Select(k => body.GetProperty("scatter").GetProperty("crop").GetProperty(k).GetInt32()));
        Assert.Contains("padding='same'", body.GetProperty("call").GetString());
    }

    [Fact]
    public async Task Overlap_ReportsTheCheckerboardPhases()
    {
        var (_, k3) = await server.Explain("preset=1d-k3s2");
        Assert.Equal([2, 1], k3.GetProperty("overlap").GetProperty("phasesW").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(k3.GetProperty("overlap").GetProperty("even").GetBoolean());
        var (_, k4) = await server.Explain("preset=1d-k4s2");
        Assert.True(k4.GetProperty("overlap").GetProperty("even").GetBoolean());
        Assert.Equal(["1.", "2.", "2.", "2.", "2.", "2.", "2.", "2.", "2.", "2.", "2.", "1."], Texts(k4.GetProperty("overlap").GetProperty("counts")));
    }

    [Theory]
    [InlineData("in=4,4&k=3&s=1&op=2", "s=1&op=2")]
    [InlineData("in=4,4&k=3&p=-1", "p=-1")]
    [InlineData("in=4,4&k=3&s=0", "s=0")]
    [InlineData("in=4,4&k=3&d=0", "d=0")]
    [InlineData("in=4,4&k=3&p=5", "p=5")]
    [InlineData("rank=1&in=4&k=3&op=1", "1d op=1")]
    [InlineData("rank=1&in=4&k=3&p=5", "1d p=5")]
    public async Task InvalidArguments_AnswerWithPyTorchsMessage(string query, string golden)
    {
        var (status, body) = await server.Explain(query + "&x=ones&w=ones");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("pytorch", body.GetProperty("errorSource").GetString());
        Assert.Equal(Goldens.Error(golden), body.GetProperty("error").GetString());
        // The state still comes back, so the page can keep the learner's values in the form.
        Assert.Equal(JsonValueKind.Object, body.GetProperty("setup").ValueKind);
    }

    [Theory]
    [InlineData("preset=nope", "unknown preset 'nope'")]
    [InlineData("rank=3", "rank must be 1 or 2, got '3'")]
    [InlineData("s=abc", "stride must be an integer, got 'abc'")]
    [InlineData("s=99999999999999999999", "stride must be an integer")]
    [InlineData("s=9", "stride = 9: the explorer draws stride up to 8")]
    [InlineData("in=13", "input size = 13: the explorer draws input size from 1 to 12")]
    [InlineData("x=1,2", "x: the input of shape [1, 1, 2, 3] takes 6 values, got 2")]
    [InlineData("x=1e400,1,1,1,1,1", "x: values must be finite")]
    [InlineData("x=NaN", "x: expected numbers")]
    [InlineData("x=randn:-1", "x: write randn:seed")]
    [InlineData("conv=keras&p=1", "Keras' padding is 'valid' or 'same', got '1'")]
    [InlineData("p=same", "padding='same' is a Keras option")]
    [InlineData("rank=1&in=4&k=3,3", "a 1-d kernel_size is one number")]
    [InlineData("in=12,12&k=9&s=8&d=4&op=7", "the explorer draws outputs up to 48 on a side")]
    public async Task UnusableQueries_AnswerWithTheExplorersMessage(string query, string message)
    {
        var (status, body) = await server.Explain(query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("explorer", body.GetProperty("errorSource").GetString());
        Assert.Contains(message, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task HostileQueryStrings_NeverBreakTheServer()
    {
        string[] hostile =
        [
            "", "preset=", "preset=%00", "rank=%E2%80%AE1", "s=%20%20", "s=1,2,3", "in=0", "in=-5,-5", "k=2147483648", "cin=-2147483649",
            "x=" + new string('9', 7000), "x=" + new string('9', 9000), "x=" + string.Concat(Enumerable.Repeat("1,", 4000)), "w=[[[[", "w=tensor(", "x=linspace:1",
            "x=linspace:a:b", "x=1e-400,1,1,1,1,1", "dtype=float16", "conv=%FF%FE", "s=1&s=2&s=3", "p=--1", "d=0x10", "op=1e3",
            "x=" + Uri.EscapeDataString("'; DROP TABLE x; --"), "rank=1&in=12&k=9&s=8&d=4&op=3&p=0&cin=3&cout=4",
        ];
        foreach (var q in hostile)
        {
            using var response = await server.Http.GetAsync("/api/explain?" + q);
            // Kestrel itself answers 414 for a request line over 8 KB.
            if (q.Length > 8000 && response.StatusCode == HttpStatusCode.RequestUriTooLong) continue;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"?{q[..Math.Min(q.Length, 60)]}: {(int)response.StatusCode}");
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (response.StatusCode == HttpStatusCode.BadRequest) Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        }
        // Random bytes in every key (a fixed seed, so a failure reproduces).
        var random = new Random(20261204);
        for (int i = 0; i < 150; i++)
        {
            var key = SetupParser.Keys.ElementAt(random.Next(SetupParser.Keys.Count));
            var bytes = new byte[random.Next(1, 24)];
            random.NextBytes(bytes);
            var q = $"{key}={Uri.EscapeDataString(System.Text.Encoding.Latin1.GetString(bytes))}";
            using var response = await server.Http.GetAsync("/api/explain?" + q);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"?{q}: {(int)response.StatusCode}");
        }
        var (status, body2) = await server.Explain("preset=000");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Goldens.Output("000"), body2.GetProperty("printed").GetProperty("output").GetString());
    }

    [Fact]
    public async Task DeepLink_RoundTripsTheState()
    {
        var (_, first) = await server.Explain("preset=d2l-s3&dtype=float64&d=2");
        string query = first.GetProperty("query").GetString()!;
        Assert.Contains("d=2,2", query);
        Assert.Contains("dtype=float64", query);
        var (status, again) = await server.Explain(query);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first.GetProperty("printed").GetProperty("output").GetString(), again.GetProperty("printed").GetProperty("output").GetString());
        Assert.Equal(query, again.GetProperty("query").GetString());
        // Changing a key of a preset makes it custom.
        Assert.Equal(JsonValueKind.Null, first.GetProperty("setup").GetProperty("preset").ValueKind);
    }

    [Fact]
    public async Task Page_ServesItsThreeFiles()
    {
        var html = await server.Http.GetStringAsync("/");
        Assert.Contains("<title>Transposed convolution explorer", html);
        using var js = await server.Http.GetAsync("/app.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        Assert.Contains("api/explain", await js.Content.ReadAsStringAsync());
        var presets = JsonDocument.Parse(await server.Http.GetStringAsync("/api/presets")).RootElement;
        Assert.Equal(Presets.All.Count, presets.GetArrayLength());
    }
}
