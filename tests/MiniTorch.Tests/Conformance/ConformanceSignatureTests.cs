using System.Reflection;
using System.Text.Json;
using MiniTorch.Nn;
using Xunit.Abstractions;

namespace MiniTorch.Tests.Conformance;

/// <summary>
/// Every public name of issues 13 and 14 has PyTorch's parameters in camelCase, in PyTorch's order,
/// with PyTorch's defaults (Golden/Conformance/gen_signatures.py reads PyTorch 1.13's signatures).
/// </summary>
public class ConformanceSignatureTests(ITestOutputHelper output)
{
    /// <summary>
    /// PyTorch parameters MiniTorch deliberately leaves out, each with its reason. Everything else must
    /// be there by its camelCase name.
    /// </summary>
    private static readonly Dictionary<string, string> Omitted = new()
    {
        ["size_average"] = "deprecated in PyTorch in favour of reduction",
        ["reduce"] = "deprecated in PyTorch in favour of reduction",
        ["_stacklevel"] = "a Python warning detail",
        ["device"] = "MiniTorch runs on the CPU only",
        ["min_value"] = "deprecated alias of min_val (Hardtanh)",
        ["max_value"] = "deprecated alias of max_val (Hardtanh)",
    };

    /// <summary>Omitted only from the functional forms (their modules take them).</summary>
    private static readonly Dictionary<string, string> OmittedInFunctions = new()
    {
        ["inplace"] = "functional forms always return a new tensor; the modules accept inplace and compute out of place",
        ["return_indices"] = "a C# method has one return type: the indices come from the …WithIndices form",
    };

    /// <summary>PyTorch names MiniTorch spells differently, with the reason.</summary>
    private static readonly Dictionary<string, string> Renamed = new()
    {
        ["_weight"] = "weight", // Embedding's private constructor argument is a public one here
    };

    private static string Camel(string snake) => ModuleFactory.Camel(snake);

    private static IEnumerable<MethodBase> Candidates(string name)
    {
        if (name.StartsWith("new ", StringComparison.Ordinal))
        {
            var type = typeof(F).Assembly.GetType("MiniTorch.Nn." + name[4..]);
            return type is null ? [] : type.GetConstructors();
        }
        var (owner, member) = name.StartsWith("F.", StringComparison.Ordinal) ? (typeof(F), name[2..]) : (typeof(Torch), name[6..]);
        return owner.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == member || m.Name == member + "WithIndices");
    }

    private static List<string> Check(JsonElement entry)
    {
        string name = entry.GetProperty("minitorch").GetString()!;
        bool function = !name.StartsWith("new ", StringComparison.Ordinal);
        var expected = entry.GetProperty("params").EnumerateArray()
            .Select(p => (Name: p[0].GetString()!, Default: p[1]))
            .Where(p => !Omitted.ContainsKey(p.Name) && !(function && OmittedInFunctions.ContainsKey(p.Name)))
            .Select(p => (Torch: p.Name, Camel: Renamed.TryGetValue(p.Name, out var r) ? r : Camel(p.Name), p.Default))
            .ToList();
        var candidates = Candidates(name).ToList();
        if (candidates.Count == 0) return [$"{name}: not found"];
        // Judged by the overload that matches best (C# overloads stand for PyTorch's one signature).
        return candidates.Select(m => Problems(name, m, expected)).OrderBy(p => p.Count).First();
    }

    private static List<string> Problems(string name, MethodBase method, List<(string Torch, string Camel, JsonElement Default)> expected)
    {
        var ps = method.GetParameters();
        var problems = new List<string>();
        int last = -1;
        foreach (var (torch, camel, def) in expected)
        {
            int at = Array.FindIndex(ps, p => p.Name == camel);
            if (at < 0)
            {
                problems.Add($"{name}: no parameter '{camel}' (PyTorch's {torch}); it has ({string.Join(", ", ps.Select(p => p.Name))})");
                continue;
            }
            if (at < last) problems.Add($"{name}: '{camel}' comes before the parameter PyTorch puts ahead of it");
            last = at;
            var problem = CompareDefault(ps[at], def);
            if (problem is not null) problems.Add($"{name}({camel}): {problem}");
        }
        return problems;
    }

    private static string? CompareDefault(ParameterInfo p, JsonElement def)
    {
        bool required = def.ValueKind == JsonValueKind.String && def.GetString() == "<required>";
        if (required) return p.HasDefaultValue ? $"PyTorch requires it; MiniTorch defaults it to {p.DefaultValue ?? "null"}" : null;
        if (!p.HasDefaultValue) return $"PyTorch defaults it to {def.GetRawText()}; MiniTorch requires it";
        var value = p.DefaultValue;
        // dtype=None is torch.get_default_dtype(), float32.
        if (p.ParameterType == typeof(DType) && def.ValueKind == JsonValueKind.Null)
            return value is DType.Float32 ? null : $"PyTorch's default dtype is float32, MiniTorch's {value}";
        // C# cannot write a struct constant as a default: null on a nullable struct stands for PyTorch's default.
        if (value is null && Nullable.GetUnderlyingType(p.ParameterType) is { IsEnum: false, IsPrimitive: false })
            return null;
        bool same = def.ValueKind switch
        {
            JsonValueKind.Null => value is null,
            JsonValueKind.True or JsonValueKind.False => value is bool b && b == def.GetBoolean(),
            JsonValueKind.Number => value is not null and not bool and not Enum && Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) == def.GetDouble(),
            JsonValueKind.String => value is Enum e
                ? Norm(e.ToString()) == Norm(def.GetString()!)
                : value is string s && s == def.GetString(),
            _ => false,
        };
        return same ? null : $"PyTorch's default is {def.GetRawText()}, MiniTorch's {value ?? "null"}";
    }

    private static string Norm(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();

    [Fact]
    public void EveryName_HasPyTorchsParametersInCamelCase_WithPyTorchsDefaults()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "Conformance", "signatures.json"))).RootElement;
        var problems = new List<string>();
        int count = 0;
        foreach (var entry in root.GetProperty("entries").EnumerateArray())
        {
            count++;
            problems.AddRange(Check(entry));
        }
        foreach (var p in problems) output.WriteLine(p);
        Assert.True(problems.Count == 0, $"{problems.Count} differences in {count} signatures:\n" + string.Join("\n", problems));
        Assert.Equal(134, count);
    }
}
