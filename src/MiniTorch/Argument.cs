using System.Runtime.CompilerServices;

namespace MiniTorch;

/// <summary>
/// Argument checks shared by the public API: an enum argument must be one of its type's defined
/// values (as <c>(DType)99</c> is not), and raises <see cref="ArgumentOutOfRangeException"/> naming the
/// parameter otherwise. Null checks use <see cref="ArgumentNullException.ThrowIfNull(object?, string?)"/>.
/// </summary>
internal static class Argument
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is a defined member of its enum.</summary>
    public static void Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? name = null) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value)) throw Undefined(value, name);
    }

    /// <summary>The dtype check (one comparison: it runs on every op).</summary>
    public static void Defined(DType value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if ((uint)value > (uint)DType.Bool) throw Undefined(value, name);
    }

    /// <summary>The value, or <see cref="ArgumentNullException"/> naming it when null (for property initialisers and init accessors).</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? name = null) where T : class =>
        value ?? throw new ArgumentNullException(name);

    /// <summary>Throws <see cref="ArgumentNullException"/> naming the array and the index when an element is null (PyTorch: "expected Tensor as element i").</summary>
    public static void NoNullElements<T>(T?[] values, [CallerArgumentExpression(nameof(values))] string? name = null) where T : class
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] is null) throw new ArgumentNullException(name, $"expected {typeof(T).Name} as element {i} in argument '{name}', but got null");
    }

    /// <summary><see cref="Defined{TEnum}"/>, returning the value (for field initialisers and base-constructor arguments).</summary>
    public static TEnum Checked<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? name = null) where TEnum : struct, Enum
    {
        Defined(value, name);
        return value;
    }

    private static ArgumentOutOfRangeException Undefined<TEnum>(TEnum value, string? name) where TEnum : struct, Enum =>
        new(name, $"{Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)} is not a valid value for {name} (a {typeof(TEnum).Name}: {string.Join(", ", Enum.GetNames<TEnum>())})");
}
