using System.Reflection;
using System.Text.Json;
using MiniTorch.Nn;
using Module = MiniTorch.Nn.Module;

namespace MiniTorch.Tests.Conformance;

/// <summary>
/// Builds a MiniTorch module from PyTorch's constructor keyword arguments, as a user porting
/// <c>nn.MaxPool2d(kernel_size=3, ceil_mode=True)</c> would write <c>new MaxPool2d(kernelSize: 3, ceilMode: true)</c>:
/// the names in camelCase, every argument not given left to MiniTorch's default. A PyTorch argument
/// with no parameter of that name is an error, so this also checks the names.
/// </summary>
internal static class ModuleFactory
{
    public static Module Create(string name, JsonElement kwargs, Func<int, Tensor> tensor)
    {
        var type = typeof(F).Assembly.GetType("MiniTorch.Nn." + name) ?? throw new InvalidOperationException($"no module MiniTorch.Nn.{name}");
        var given = kwargs.EnumerateObject().Select(p => (Name: Camel(p.Name), Value: p.Value)).ToList();
        // PyTorch's output_size=(None, 7) is the constructor with one nullable size per dimension.
        int at = given.FindIndex(g => g.Name == "outputSize" && g.Value.ValueKind == JsonValueKind.Array && g.Value.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Null));
        if (at >= 0)
        {
            var sizes = given[at].Value.EnumerateArray().ToArray();
            string[] names = sizes.Length == 2 ? ["outputH", "outputW"] : ["outputD", "outputH", "outputW"];
            given.RemoveAt(at);
            given.InsertRange(at, names.Select((n, i) => (n, sizes[i])));
        }
        var errors = new List<string>();
        foreach (var ctor in type.GetConstructors())
        {
            var ps = ctor.GetParameters();
            if (given.Any(g => ps.All(p => p.Name != g.Name))) continue;
            var args = new object?[ps.Length];
            bool ok = true;
            for (int i = 0; i < ps.Length && ok; i++)
            {
                int g = given.FindIndex(x => x.Name == ps[i].Name);
                if (g < 0)
                {
                    if (ps[i].HasDefaultValue) args[i] = ps[i].DefaultValue;
                    else ok = false;
                    continue;
                }
                try { args[i] = Convert(given[g].Value, ps[i].ParameterType, tensor); }
                catch (FormatException e) { errors.Add(e.Message); ok = false; }
            }
            if (!ok) continue;
            try { return (Module)ctor.Invoke(args); }
            catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
        }
        throw new InvalidOperationException($"no constructor of {name} takes ({string.Join(", ", given.Select(g => g.Name))}) {string.Join("; ", errors)}");
    }

    public static string Camel(string snake)
    {
        var parts = snake.TrimStart('_').Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static object? Convert(JsonElement v, Type type, Func<int, Tensor> tensor)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        if (v.ValueKind == JsonValueKind.Null)
            return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null ? null : throw new FormatException($"null for {type.Name}");
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("tensor", out var index))
            return inner == typeof(Tensor) ? tensor(index.GetInt32()) : throw new FormatException($"a tensor for {type.Name}");
        if (inner == typeof(int)) return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw new FormatException($"{v} for int");
        if (inner == typeof(double)) return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new FormatException($"{v} for double");
        if (inner == typeof(bool)) return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw new FormatException($"{v} for bool");
        if (inner == typeof(string)) return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"{v} for string");
        if (inner == typeof(int[]))
            return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(e => e.GetInt32()).ToArray() : new[] { v.GetInt32() };
        if (inner.IsEnum)
        {
            if (v.ValueKind != JsonValueKind.String) throw new FormatException($"{v} for {inner.Name}");
            string want = v.GetString()!.Replace("_", "").Replace("-", "");
            return Enum.GetNames(inner).FirstOrDefault(n => string.Equals(n, want, StringComparison.OrdinalIgnoreCase)) is { } n
                ? Enum.Parse(inner, n) : throw new FormatException($"'{v.GetString()}' is not a {inner.Name}");
        }
        // Size2, Size3, Padding…: through their implicit conversions from an int, a tuple or a string.
        object source = v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt32(),
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Array when v.GetArrayLength() == 2 => (v[0].GetInt32(), v[1].GetInt32()),
            JsonValueKind.Array when v.GetArrayLength() == 3 => (v[0].GetInt32(), v[1].GetInt32(), v[2].GetInt32()),
            _ => throw new FormatException($"{v} for {inner.Name}"),
        };
        var op = inner.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == "op_Implicit" && m.ReturnType == inner && m.GetParameters()[0].ParameterType == source.GetType())
            ?? throw new FormatException($"{v} does not convert to {inner.Name}");
        return op.Invoke(null, [source]);
    }
}
