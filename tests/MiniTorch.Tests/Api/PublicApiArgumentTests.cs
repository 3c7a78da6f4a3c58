using System.Linq.Expressions;
using System.Reflection;
using MiniTorch.Nn;
using MiniTorch.Optim;

namespace MiniTorch.Tests.Api;

/// <summary>
/// The whole public API of MiniTorch, found by reflection (so members added later are covered
/// without a new test): a null where a non-nullable reference is expected raises
/// <see cref="ArgumentNullException"/> naming that parameter, and an undefined enum value raises
/// <see cref="ArgumentOutOfRangeException"/> naming it — before anything else happens, whatever
/// the other arguments are.
/// </summary>
public class PublicApiArgumentTests
{
    private static readonly Assembly Library = typeof(Tensor).Assembly;
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>
    /// Members exempt from the sweep, each with its reason. Keep this short: a member belongs here only
    /// when its contract documents another behaviour.
    /// </summary>
    private static readonly Dictionary<string, string> AllowList = new()
    {
        // Object overrides and record plumbing take nullable objects by contract.
        ["System.Object.Equals"] = "object.Equals(null) is false by contract",
    };

    public static TheoryData<string> NullCases => new(Cases(nullCase: true).Select(c => c.Name));
    public static TheoryData<string> EnumCases => new(Cases(nullCase: false).Select(c => c.Name));

    [Theory]
    [MemberData(nameof(NullCases))]
    public void NullReferenceArgument_ThrowsArgumentNullExceptionNamingIt(string name) => Run(name, nullCase: true);

    [Theory]
    [MemberData(nameof(EnumCases))]
    public void UndefinedEnumArgument_ThrowsArgumentOutOfRangeExceptionNamingIt(string name) => Run(name, nullCase: false);

    [Fact]
    public void TheSweepCoversTheApi()
    {
        // A guard against a sweep that silently finds nothing (a broken filter would pass every case).
        var nulls = Cases(true).Select(c => c.Name).ToList();
        var enums = Cases(false).Select(c => c.Name).ToList();
        Assert.True(nulls.Count > 300, $"only {nulls.Count} null cases");
        Assert.True(enums.Count > 20, $"only {enums.Count} enum cases");
        Assert.Contains(nulls, n => n.StartsWith("MiniTorch.Nn.F.Conv2d(", StringComparison.Ordinal));
        Assert.Contains(nulls, n => n.StartsWith("MiniTorch.Tensor.op_Addition(", StringComparison.Ordinal));
        Assert.Contains(enums, n => n.StartsWith("MiniTorch.Tensor.To(", StringComparison.Ordinal));
        Assert.Empty(Unconstructible());
    }

    private static void Run(string name, bool nullCase)
    {
        var c = Cases(nullCase).Single(x => x.Name == name);
        var (target, args) = c.Prepare();
        Exception? thrown = null;
        try
        {
            var result = c.Member is ConstructorInfo ctor ? ctor.Invoke(args) : ((MethodInfo)c.Member).Invoke(target, args);
            // An iterator checks its arguments when enumerated.
            if (result is System.Collections.IEnumerable lazy && result is not string && result is not Tensor) foreach (var _ in lazy) { }
        }
        catch (TargetInvocationException e) { thrown = e.InnerException; }
        catch (Exception e) when (e is ArgumentException) { thrown = e; }
        var p = c.Parameter;
        var expected = nullCase ? typeof(ArgumentNullException) : typeof(ArgumentOutOfRangeException);
        bool ok = thrown is not null && expected.IsInstanceOfType(thrown) && ((ArgumentException)thrown).ParamName == p.Name;
        if (!ok)
            Assert.Fail($"{name}: expected {expected.Name} for '{p.Name}', got " +
                        (thrown is null ? "no exception" : $"{thrown.GetType().Name} (ParamName '{(thrown as ArgumentException)?.ParamName}'): {thrown.Message}"));
    }

    // Nullable<double> and Nullable<long> overloads must not share a name.
    private static string TypeName(Type t) => Nullable.GetUnderlyingType(t) is { } u ? u.Name + "?" : t.Name;

    private sealed record Case(string Name, MethodBase Member, ParameterInfo Parameter, Func<(object? Target, object?[] Args)> Prepare);

    private static IEnumerable<Case> Cases(bool nullCase)
    {
        foreach (var member in Members())
        {
            var parameters = member.GetParameters();
            for (int i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                bool applies = nullCase ? TakesNonNullReference(p) : p.ParameterType.IsEnum;
                if (!applies) continue;
                string name = $"{member.DeclaringType!.FullName}.{(member is ConstructorInfo ? "ctor" : member.Name)}({string.Join(", ", parameters.Select(q => TypeName(q.ParameterType)))}) #{p.Name}";
                if (AllowList.Keys.Any(k => name.StartsWith(k, StringComparison.Ordinal))) continue;
                int at = i;
                yield return new Case(name, member, p, () =>
                {
                    var args = parameters.Select(q => Dummy(q.ParameterType, q)).ToArray();
                    args[at] = nullCase ? null : Enum.ToObject(p.ParameterType, 99);
                    var target = member.IsStatic || member is ConstructorInfo ? null : Instance(member.DeclaringType!);
                    return (target, args);
                });
            }
        }
    }

    private static bool TakesNonNullReference(ParameterInfo p)
    {
        var t = p.ParameterType;
        if (t.IsValueType || t.IsByRef || t.IsPointer) return false;
        return Nullability.Create(p).WriteState == NullabilityState.NotNull;
    }

    /// <summary>Public constructors and methods of public, non-delegate types that reflection can call.</summary>
    private static IEnumerable<MethodBase> Members()
    {
        var types = Library.GetExportedTypes()
            .Where(t => !t.IsInterface && !typeof(Delegate).IsAssignableFrom(t) && !t.IsEnum && !t.ContainsGenericParameters)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            IEnumerable<MethodBase> members = type.GetMethods(flags).Where(m => !m.IsAbstract).Select(m => m.IsGenericMethodDefinition ? Close(m) : m)
                                                  .OfType<MethodBase>();
            if (!type.IsAbstract) members = members.Concat(type.GetConstructors());
            foreach (var m in members.OrderBy(m => m.ToString(), StringComparer.Ordinal))
            {
                if (m.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike || p.ParameterType.IsPointer)) continue;
                if (!m.IsStatic && m is MethodInfo && type.IsAbstract && ConcreteFor(type) is null) continue;
                yield return m;
            }
        }
    }

    /// <summary>A generic method made concrete with each type parameter's class constraint (or object); null if that is not possible.</summary>
    private static MethodInfo? Close(MethodInfo m)
    {
        var args = m.GetGenericArguments().Select(a => a.GetGenericParameterConstraints().FirstOrDefault(c => c.IsClass) ?? typeof(object)).ToArray();
        try { return m.MakeGenericMethod(args); }
        catch (ArgumentException) { return null; }
    }

    private static string TempPath { get; } = Path.Combine(Path.GetTempPath(), "minitorch-api-sweep", "dummy.bin");

    /// <summary>A valid-looking value of <paramref name="type"/> for the arguments that are not under test.</summary>
    private static object? Dummy(Type type, ParameterInfo? p = null)
    {
        if (p is not null && p.HasDefaultValue && p.DefaultValue is not null && !type.IsEnum) return p.DefaultValue;
        if (Nullable.GetUnderlyingType(type) is not null) return null;
        if (type == typeof(Tensor)) return Torch.Ones(2, 2);
        if (type == typeof(Tensor[]) || type == typeof(IEnumerable<Tensor>) || type == typeof(IReadOnlyList<Tensor>)) return new[] { Torch.Ones(2, 2) };
        if (type == typeof(Tensor?[])) return new Tensor?[] { Torch.Ones(2, 2) };
        if (type == typeof(int[])) return new[] { 2, 2 };
        if (type == typeof(long[])) return new long[] { 1, 1 };
        if (type == typeof(double[])) return new[] { 0.5, 0.5 };
        if (type == typeof(float[])) return new[] { 0.5f, 0.5f };
        if (type == typeof(bool[])) return new[] { true, false };
        if (type == typeof(byte[])) return new byte[] { 0, 1 };
        if (type == typeof(string)) return TempPath;
        if (type == typeof(string[])) return new[] { TempPath };
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return Convert.ChangeType(1, type);
        if (type == typeof(double) || type == typeof(float)) return Convert.ChangeType(0.5, type);
        if (type == typeof(bool)) return false;
        if (type.IsEnum) return Enum.GetValues(type).GetValue(0);
        if (type == typeof(Generator) || type == typeof(Random)) return new Generator(1);
        if (type == typeof(Stream)) return new MemoryStream();
        if (type == typeof(TextWriter)) return new StringWriter();
        if (type == typeof(object)) return new object();
        if (type == typeof(MathNet.Numerics.LinearAlgebra.Matrix<double>)) return MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2, 2);
        if (type.IsArray && type.GetArrayRank() > 1) return Array.CreateInstance(type.GetElementType()!, Enumerable.Repeat(2, type.GetArrayRank()).ToArray());
        if (type.IsArray) return Array.CreateInstance(type.GetElementType()!, 1).Also(a => a.SetValue(Dummy(type.GetElementType()!), 0));
        if (typeof(Delegate).IsAssignableFrom(type)) return DefaultDelegate(type);
        if (type.IsGenericType)
        {
            var def = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (def == typeof(IEnumerable<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>) || def == typeof(ICollection<>) || def == typeof(List<>))
                return Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]), Array.CreateInstance(args[0], 0));
            if (def == typeof(IReadOnlyDictionary<,>) || def == typeof(IDictionary<,>) || def == typeof(Dictionary<,>))
                return Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(args));
            if (def == typeof(OrderedDictionary<,>))
                return Activator.CreateInstance(typeof(OrderedDictionary<,>).MakeGenericType(args));
            if (def == typeof(ValueTuple<,>)) return Activator.CreateInstance(type, args.Select(a => Dummy(a)).ToArray());
        }
        if (type.IsValueType) return Activator.CreateInstance(type);
        return Instance(type);
    }

    private static Delegate DefaultDelegate(Type type)
    {
        var invoke = type.GetMethod("Invoke")!;
        var ps = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        Expression body = invoke.ReturnType == typeof(void) ? Expression.Empty()
            : invoke.ReturnType == typeof(Tensor) && ps.FirstOrDefault(p => p.Type == typeof(Tensor)) is { } first ? first
            : invoke.ReturnType == typeof(Tensor) && ps.FirstOrDefault(p => p.Type == typeof(Tensor[])) is { } all ? Expression.ArrayIndex(all, Expression.Constant(0))
            : Expression.Default(invoke.ReturnType);
        return Expression.Lambda(type, body, ps).Compile();
    }

    /// <summary>Instances for types that reflection cannot build from their constructors alone.</summary>
    private static readonly Dictionary<Type, Func<object>> Factories = new()
    {
        [typeof(Tensor)] = () => Torch.Ones(2, 2),
        [typeof(MiniTorch.Nn.Module)] = () => new Linear(2, 2, generator: new Generator(1)),
        [typeof(ConvModule)] = () => new Conv2d(1, 1, 1, generator: new Generator(1)),
        [typeof(Optimizer)] = () => new SGD([Torch.Ones(2).RequiresGrad_()], lr: 0.1),
        [typeof(Loss)] = () => new MSELoss(),
        [typeof(MiniTorch.Storage.TensorStorage)] = () => Torch.Ones(2).Storage,
        [typeof(Embedding)] = () => new Embedding(4, 2, generator: new Generator(1)),
        [typeof(AveragedModel)] = () => new AveragedModel(new Linear(2, 2, generator: new Generator(1)), () => new Linear(2, 2, generator: new Generator(2))),
        [typeof(MiniTorch.Nn.Utils.ParametrizationDict)] = () => ParametrizationsOf(SpectralNormed()),
        [typeof(MiniTorch.Nn.Utils.ParametrizationList)] = () => ParametrizationsOf(SpectralNormed()).Find("weight")!,
        [typeof(MiniTorch.Nn.Utils.SpectralNormParametrization)] = () => ParametrizationsOf(SpectralNormed()).Find("weight")![0],
        [typeof(MiniTorch.Nn.Utils.EqualizedLrParametrization)] = () =>
            ParametrizationsOf(MiniTorch.Nn.Utils.Parametrizations.EqualizedLr(new Linear(2, 2, generator: new Generator(1)))).Find("weight")![0],
    };

    private static Linear SpectralNormed() => MiniTorch.Nn.Utils.Parametrizations.SpectralNorm(new Linear(2, 2, generator: new Generator(1)), generator: new Generator(2));

    private static MiniTorch.Nn.Utils.ParametrizationDict ParametrizationsOf(MiniTorch.Nn.Module m) =>
        (MiniTorch.Nn.Utils.ParametrizationDict)m.NamedChildren().Single(c => c.Name == "parametrizations").Module;

    private static Type? ConcreteFor(Type abstractType) => Factories.ContainsKey(abstractType) ? abstractType : null;

    /// <summary>An instance of <paramref name="type"/>: from <see cref="Factories"/>, else its first public constructor that accepts dummies.</summary>
    private static object? Instance(Type type)
    {
        if (Factories.TryGetValue(type, out var make)) return make();
        foreach (var ctor in type.GetConstructors().OrderBy(c => c.GetParameters().Length))
        {
            try { return ctor.Invoke(ctor.GetParameters().Select(p => Dummy(p.ParameterType, p)).ToArray()); }
            catch (TargetInvocationException) { }
            catch (ArgumentException) { }
        }
        return null;
    }

    /// <summary>Public types whose instance members the sweep needs but cannot construct (give them a factory).</summary>
    private static IEnumerable<string> Unconstructible() =>
        Members().Where(m => !m.IsStatic && m is MethodInfo && m.GetParameters().Any(p => TakesNonNullReference(p) || p.ParameterType.IsEnum))
                 .Select(m => m.DeclaringType!).Distinct()
                 .Where(t => Instance(t) is null)
                 .Select(t => t.FullName!);
}

internal static class ObjectExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
