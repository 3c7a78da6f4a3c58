using System.Globalization;
using System.Text.RegularExpressions;

namespace ConvTransposeExplorer;

/// <summary>An input the explorer itself refuses (out of its drawing limits, or not a number); PyTorch's own errors come from MiniTorch.</summary>
public sealed class ExplorerInputException(string message) : Exception(message);

/// <summary>
/// Reads a query string into a <see cref="Setup"/>. Values PyTorch would reject (stride 0, negative
/// padding, output_padding too large, …) are passed through so that MiniTorch raises PyTorch's
/// message; only what the page cannot draw, or what is not a number at all, is refused here.
/// </summary>
public static partial class SetupParser
{
    /// <summary>The largest values the page draws (larger inputs make views no one can read).</summary>
    public const int MaxSize = 12, MaxKernel = 9, MaxStride = 8, MaxPadding = 16, MaxOutputPadding = 8, MaxDilation = 4,
                     MaxInChannels = 3, MaxOutChannels = 4;

    /// <summary>Anything below this is refused as not meant (PyTorch's errors start at 0 or −1).</summary>
    private const int MinInteger = -1000;

    /// <summary>The longest value string accepted for x or w.</summary>
    public const int MaxSpecLength = 4000;

    /// <summary>Builds the state from a query (a preset first, explicit keys override it).</summary>
    public static Setup Parse(IReadOnlyDictionary<string, string> query)
    {
        var q = new Dictionary<string, string>(StringComparer.Ordinal);
        string? presetName = null;
        if (query.TryGetValue("preset", out var preset) && preset.Length > 0)
        {
            var found = Presets.Find(preset)
                ?? throw new ExplorerInputException($"unknown preset '{Clip(preset)}'; presets are {string.Join(", ", Presets.All.Select(p => p.Name))}");
            foreach (var (k, v) in found.Query) q[k] = v;
            presetName = found.Name;
        }
        bool overridden = false;
        foreach (var (k, v) in query)
        {
            if (k == "preset" || !Keys.Contains(k)) continue;
            if (!q.TryGetValue(k, out var old) || old != v) overridden = true;
            q[k] = v;
        }
        if (presetName is null && q.Count == 0)
        {
            foreach (var (k, v) in Presets.All[0].Query) q[k] = v;
            presetName = Presets.All[0].Name;
        }

        int rank = Get(q, "rank", "2") switch
        {
            "1" => 1,
            "2" => 2,
            var r => throw new ExplorerInputException($"rank must be 1 or 2, got '{Clip(r)}'"),
        };
        var convention = Get(q, "conv", "pytorch").ToLowerInvariant() switch
        {
            "pytorch" => Convention.PyTorch,
            "keras" => Convention.Keras,
            var c => throw new ExplorerInputException($"conv must be 'pytorch' or 'keras', got '{Clip(c)}'"),
        };
        var dtype = Get(q, "dtype", "float32").ToLowerInvariant() switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            var t => throw new ExplorerInputException($"dtype must be float32 or float64, got '{Clip(t)}'"),
        };
        int cin = Int(q, "cin", "1", 1, MaxInChannels, "in_channels");
        int cout = Int(q, "cout", "1", 1, MaxOutChannels, "out_channels");
        var input = Sizes(q, "in", "2,3", rank, 1, MaxSize, 1, "input size");
        var kernel = Sizes(q, "k", "3", rank, 1, MaxKernel, 1, "kernel_size");
        var stride = Sizes(q, "s", "1", rank, MinInteger, MaxStride, 1, "stride");
        var dilation = Sizes(q, "d", "1", rank, MinInteger, MaxDilation, 1, "dilation");
        var outputPadding = Sizes(q, "op", "0", rank, MinInteger, MaxOutputPadding, 0, "output_padding");
        string kerasPadding = "valid";
        Pair padding = new(0, 0);
        string p = Get(q, "p", convention == Convention.Keras ? "valid" : "0").ToLowerInvariant();
        if (convention == Convention.Keras)
        {
            if (p != "valid" && p != "same") throw new ExplorerInputException($"Keras' padding is 'valid' or 'same', got '{Clip(p)}'");
            kerasPadding = p;
        }
        else
        {
            if (p is "valid" or "same") throw new ExplorerInputException($"padding='{p}' is a Keras option; ConvTranspose2d takes a number (choose Keras conventions for '{p}')");
            padding = Sizes(q, "p", "0", rank, MinInteger, MaxPadding, 0, "padding");
        }

        string xSpec = Get(q, "x", "arange"), wSpec = Get(q, "w", "ones");
        var shapeX = new[] { 1, cin, input.H, input.W };
        var shapeW = new[] { cin, cout, kernel.H, kernel.W };
        if (rank == 1) (shapeX, shapeW) = ([1, cin, input.W], [cin, cout, kernel.W]);
        double[] x = Values(xSpec, shapeX, "x", "the input"), w = Values(wSpec, shapeW, "w", "the weight");
        return new Setup(rank, convention, kerasPadding, dtype, cin, cout, input, kernel, stride, padding, outputPadding, dilation,
                         xSpec, wSpec, x, w, overridden ? null : presetName);
    }

    /// <summary>The query keys the server reads (others, such as the page's step and selection, are ignored).</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string> { "rank", "conv", "dtype", "cin", "cout", "in", "k", "s", "p", "op", "d", "x", "w" };

    private static string Get(Dictionary<string, string> q, string key, string fallback) =>
        q.TryGetValue(key, out var v) && v.Trim().Length > 0 ? v.Trim() : fallback;

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static int ParseInt(string text, string name, int min, int max)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < MinInteger)
            throw new ExplorerInputException($"{name} must be an integer, got '{Clip(text)}'");
        if (v < min || v > max)
            throw new ExplorerInputException(min == MinInteger
                ? $"{name} = {v}: the explorer draws {name} up to {max}"
                : $"{name} = {v}: the explorer draws {name} from {min} to {max}");
        return v;
    }

    private static int Int(Dictionary<string, string> q, string key, string fallback, int min, int max, string name) =>
        ParseInt(Get(q, key, fallback), name, min, max);

    /// <summary>"2" or "2,3" in 2-d (height, width); one number in 1-d, where the height takes <paramref name="trivial"/>.</summary>
    private static Pair Sizes(Dictionary<string, string> q, string key, string fallback, int rank, int min, int max, int trivial, string name)
    {
        var parts = Get(q, key, fallback).Split(',', 'x', '×');
        if (rank == 1)
        {
            if (parts.Length != 1) throw new ExplorerInputException($"a 1-d {name} is one number, got '{Clip(Get(q, key, fallback))}'");
            return new Pair(trivial == 0 ? 0 : 1, ParseInt(parts[0], name, min, max));
        }
        if (parts.Length > 2) throw new ExplorerInputException($"{name} is one number or a pair 'h,w', got '{Clip(Get(q, key, fallback))}'");
        int h = ParseInt(parts[0], name, min, max);
        return new Pair(h, parts.Length == 2 ? ParseInt(parts[1], name, min, max) : h);
    }

    [GeneratedRegex(@"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"^[\s\[\]\(\),;0-9eE.+\-]*$")]
    private static partial Regex NumbersOnly();

    /// <summary>Values from "ones", "zeros", "arange" (1, 2, …), "linspace:a:b", "randn:seed", or typed numbers (brackets, commas and spaces are ignored, so a printed tensor can be pasted).</summary>
    internal static double[] Values(string spec, int[] shape, string key, string what)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        if (spec.Length > MaxSpecLength) throw new ExplorerInputException($"{key}: at most {MaxSpecLength} characters");
        var s = spec.Trim();
        if (s.StartsWith("tensor(", StringComparison.Ordinal) && s.EndsWith(')')) s = s[7..^1];
        string lower = s.ToLowerInvariant();
        if (lower == "ones") return Enumerable.Repeat(1.0, n).ToArray();
        if (lower == "zeros") return new double[n];
        if (lower == "arange") return Enumerable.Range(1, n).Select(i => (double)i).ToArray();
        if (lower.StartsWith("linspace:", StringComparison.Ordinal))
        {
            var ab = lower[9..].Split(':');
            if (ab.Length != 2 || !TryNumber(ab[0], out double a) || !TryNumber(ab[1], out double b))
                throw new ExplorerInputException($"{key}: write linspace:start:end, got '{Clip(spec)}'");
            return Torch.Linspace(a, b, n, DType.Float64).ToDoubleArray();
        }
        if (lower.StartsWith("randn:", StringComparison.Ordinal))
        {
            if (!long.TryParse(lower[6..], NumberStyles.None, CultureInfo.InvariantCulture, out long seed))
                throw new ExplorerInputException($"{key}: write randn:seed with a non-negative integer seed, got '{Clip(spec)}'");
            return Torch.Randn([n], new Generator(seed), DType.Float64).ToDoubleArray();
        }
        if (!NumbersOnly().IsMatch(s))
            throw new ExplorerInputException($"{key}: expected numbers, or ones / zeros / arange / linspace:a:b / randn:seed, got '{Clip(spec)}'");
        var values = Number().Matches(s).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        if (values.Length != n)
            throw new ExplorerInputException($"{key}: {what} of shape [{string.Join(", ", shape)}] takes {n} values, got {values.Length}");
        foreach (var v in values)
            if (!double.IsFinite(v) || Math.Abs(v) > 1e6) throw new ExplorerInputException($"{key}: values must be finite and at most 1e6 in size, got {v}");
        return values;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) <= 1e6;
}
