using System.Text.Json;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Conformance;

/// <summary>What a conformance op returns: its outputs and, for module cases, the tensors the
/// recorded gradients belong to (the module's own parameters stand in for the case's inputs).</summary>
internal sealed record Outcome(Tensor[] Outputs, Tensor?[]? Leaves = null)
{
    public static implicit operator Outcome(Tensor[] outputs) => new(outputs);
}

/// <summary>
/// Replays the randomized differential cases of Golden/Conformance (gen_conformance.py, PyTorch
/// 1.13): outputs, first-order gradients and double-backward gradients, or PyTorch's refusal. Unlike
/// <see cref="Nn.OpGolden"/> it runs every case and reports every discrepancy at once, so one run of a
/// sweep lists all of them.
/// </summary>
/// <remarks>
/// Tolerances: float64 to rtol 1e-10 / atol 1e-12 (rounding only). A float32 value passes when it is
/// within rtol 1e-5 / atol 1e-6 of PyTorch's float32 value, or (where the case carries PyTorch's
/// float64 answer on the same inputs: outputs, gradients and double-backward gradients) when its error
/// against that answer is at most twice PyTorch's own float32 error plus 8 float32 ulps: MiniTorch may
/// round differently, never worse. Cases with a float32 input and a float64 result (mixed precision)
/// count as float32.
/// </remarks>
internal static class ConformanceRunner
{
    private const double Rtol64 = 1e-10, Atol64 = 1e-12, Rtol32 = 1e-5, Atol32 = 1e-6;

    public static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>Runs every case; returns (cases run, failures).</summary>
    public static (int Count, List<string> Failures) Run(JsonElement root, IReadOnlyDictionary<string, Func<Case, Outcome>> ops)
    {
        var failures = new List<string>();
        int count = 0;
        foreach (var raw in root.GetProperty("cases").EnumerateArray())
        {
            count++;
            var c = new Case(raw);
            if (!ops.TryGetValue(c.Op, out var op))
            {
                failures.Add($"{c.Name}: no MiniTorch mapping for op '{c.Op}'");
                continue;
            }
            try
            {
                failures.AddRange(Check(c, op).Select(f => $"{c.Name} {Describe(c)}: {f}"));
            }
            catch (Exception e)
            {
                failures.Add($"{c.Name} {Describe(c)}: threw {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }
        }
        return (count, failures);
    }

    private static string Describe(Case c) =>
        $"{c.Args.GetRawText()} inputs {string.Join(", ", c.Inputs.Select(t => $"{t.DType}{Shape.Format(t.ShapeRef)}"))}";

    /// <summary>An exception a user can catch as a bad argument (not a crash of the implementation).</summary>
    public static bool IsArgumentError(Exception e) =>
        e is ArgumentException or InvalidOperationException or NotSupportedException
        || (e is IndexOutOfRangeException && e.Message != new IndexOutOfRangeException().Message);

    /// <summary>Error cases whose MiniTorch message contains PyTorch's verbatim (whitespace-normalised), and all error cases; the others' pairs.</summary>
    public sealed class MessageStats
    {
        public int Verbatim, Total;
        public List<(string PyTorch, string MiniTorch)> Different { get; } = [];
    }

    [ThreadStatic] private static MessageStats? _messages;

    /// <summary>Runs every case and also compares the error messages (reported, not asserted: see docs/conformance.md).</summary>
    public static (int Count, List<string> Failures, MessageStats Messages) RunWithMessages(JsonElement root, IReadOnlyDictionary<string, Func<Case, Outcome>> ops)
    {
        _messages = new MessageStats();
        try
        {
            var (count, failures) = Run(root, ops);
            return (count, failures, _messages);
        }
        finally { _messages = null; }
    }

    private static string Normalise(string s) => System.Text.RegularExpressions.Regex.Replace(s.Trim(), @"\s+", " ");

    private static void CountMessage(string pytorch, string minitorch)
    {
        if (_messages is not { } m) return;
        m.Total++;
        if (Normalise(minitorch).Contains(Normalise(pytorch), StringComparison.Ordinal)) m.Verbatim++;
        else m.Different.Add((pytorch, minitorch));
    }

    private static List<string> Check(Case c, Func<Case, Outcome> op)
    {
        var failures = new List<string>();
        if (c.Raw.TryGetProperty("error", out var message))
        {
            var e = Record.Exception(() => op(c));
            if (e is null) failures.Add($"PyTorch raises \"{message.GetString()}\"; MiniTorch accepted the call");
            else if (!IsArgumentError(e)) failures.Add($"PyTorch raises \"{message.GetString()}\"; MiniTorch crashed with {e.GetType().Name}: {e.Message}");
            if (e is not null && IsArgumentError(e)) CountMessage(message.GetString()!, e.Message);
            return failures;
        }
        var grads = c.Raw.TryGetProperty("grads", out var gs) ? gs.EnumerateArray().ToArray() : null;
        if (grads is not null)
            for (int i = 0; i < c.Inputs.Length; i++)
                if (grads[i].ValueKind != JsonValueKind.Null) c.Inputs[i].RequiresGrad_();
        var outcome = op(c);
        var outputs = outcome.Outputs;
        var want = c.Raw.GetProperty("out").EnumerateArray().ToArray();
        var refs = c.Raw.TryGetProperty("ref64", out var r) ? r.EnumerateArray().ToArray() : null;
        if (outputs.Length < want.Length)
        {
            failures.Add($"expected {want.Length} outputs, got {outputs.Length}");
            return failures;
        }
        // With a float32 input anywhere, float32 rounding reaches float64 results too (mixed-precision cases).
        bool narrow = c.Inputs.Any(t => t.DType == DType.Float32);
        for (int k = 0; k < want.Length; k++)
            Compare(want[k], refs is not null && k < refs.Length ? refs[k] : null, outputs[k], $"output {k}", failures, narrow);
        if (grads is null || failures.Count > 0) return failures;

        var leaves = outcome.Leaves ?? c.Inputs;
        var chosen = Enumerable.Range(0, c.Inputs.Length).Where(i => grads[i].ValueKind != JsonValueKind.Null).ToArray();
        var diff = chosen.Select(i => leaves[i] ?? throw new InvalidOperationException($"no leaf for input {i}")).ToArray();
        bool twice = c.Raw.TryGetProperty("gg", out var ggs);
        var got = Torch.Grad([outputs[0]], diff, [OpGoldenT(c.Raw.GetProperty("g"))], createGraph: twice, allowUnused: true);
        var refGrads = Reference(c, "ref64_grads");
        for (int j = 0; j < chosen.Length; j++)
            Compare(grads[chosen[j]], refGrads?[chosen[j]], got[j] ?? Torch.ZerosLike(diff[j]).Detach(), $"gradient of input {chosen[j]}", failures, narrow);
        if (!twice || failures.Count > 0) return failures;

        var us = c.Raw.GetProperty("u").EnumerateArray().ToArray();
        var gg = ggs.EnumerateArray().ToArray();
        Tensor? loss = null;
        for (int j = 0; j < chosen.Length; j++)
        {
            if (got[j] is not { } gj || us[chosen[j]].ValueKind == JsonValueKind.Null) continue;
            var term = (gj * OpGoldenT(us[chosen[j]])).Sum();
            loss = loss is null ? term : loss + term;
        }
        Tensor?[] second = loss is { RequiresGrad: true } ? Torch.Grad([loss], diff, allowUnused: true) : new Tensor?[diff.Length];
        var refGg = Reference(c, "ref64_gg");
        for (int j = 0; j < chosen.Length; j++)
            if (gg[chosen[j]].ValueKind != JsonValueKind.Null)
                Compare(gg[chosen[j]], refGg?[chosen[j]], second[j] ?? Torch.ZerosLike(diff[j]).Detach(), $"double-backward gradient of input {chosen[j]}", failures, narrow);
        return failures;
    }

    private static Tensor OpGoldenT(JsonElement e) => Nn.OpGolden.T(e);

    private static JsonElement[]? Reference(Case c, string key) =>
        c.Raw.TryGetProperty(key, out var r) ? r.EnumerateArray().ToArray() : null;

    /// <summary>Dtype, shape and values (exact for integers and booleans; the tolerances above for floats).</summary>
    public static void Compare(JsonElement expected, JsonElement? reference, Tensor actual, string what, List<string> failures, bool narrow)
    {
        var want = OpGoldenT(expected);
        if (want.DType != actual.DType)
        {
            failures.Add($"{what}: expected dtype {want.DType}, got {actual.DType}");
            return;
        }
        if (!Shape.Equal(want.ShapeRef, actual.ShapeRef))
        {
            failures.Add($"{what}: expected shape {Shape.Format(want.ShapeRef)}, got {Shape.Format(actual.ShapeRef)}");
            return;
        }
        if (!want.DType.IsFloatingPoint())
        {
            var ei = want.ToInt64Array();
            var ai = actual.ToInt64Array();
            for (int i = 0; i < ei.Length; i++)
                if (ei[i] != ai[i])
                {
                    failures.Add($"{what}: element {i}: expected {ei[i]}, got {ai[i]}");
                    return;
                }
            return;
        }
        bool wide = want.DType == DType.Float64 && !narrow;
        var (rtol, atol) = wide ? (Rtol64, Atol64) : (Rtol32, Atol32);
        var e = want.ToDoubleArray();
        var a = actual.ToDoubleArray();
        var r = reference is { ValueKind: not JsonValueKind.Null } re ? OpGoldenT(re).ToDoubleArray() : null;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].Equals(e[i]) || Math.Abs(a[i] - e[i]) <= atol + rtol * Math.Abs(e[i])) continue;
            if (!wide && r is not null && double.IsFinite(r[i]) && double.IsFinite(e[i])
                && Math.Abs(a[i] - r[i]) <= 2 * Math.Abs(e[i] - r[i]) + 8 * Ulp32(r[i])) continue;
            failures.Add($"{what}: element {i}: expected {e[i]:R}, got {a[i]:R}" + (r is null ? "" : $" (float64 answer {r[i]:R})"));
            return;
        }
    }

    private static double Ulp32(double v)
    {
        float f = Math.Abs((float)v);
        return MathF.BitIncrement(f) - f;
    }
}
