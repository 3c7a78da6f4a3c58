namespace MiniTorch;

/// <summary>
/// The element type of a tensor. MiniTorch computes in float32 and checks gradients in float64;
/// <see cref="Int64"/> holds class indices and positions, <see cref="Bool"/> holds the results of
/// comparisons. Only floating point tensors take part in autograd.
/// </summary>
public enum DType
{
    /// <summary>32-bit IEEE float, PyTorch's <c>torch.float32</c> (the default).</summary>
    Float32,
    /// <summary>64-bit IEEE float, PyTorch's <c>torch.float64</c>.</summary>
    Float64,
    /// <summary>64-bit signed integer, PyTorch's <c>torch.int64</c> (<c>torch.long</c>): class indices, argmax, positions.</summary>
    Int64,
    /// <summary>true/false, PyTorch's <c>torch.bool</c>: the result of comparisons and the condition of <see cref="Torch.Where(Tensor, Tensor, Tensor)"/>.</summary>
    Bool,
}

/// <summary>Facts about <see cref="DType"/>s: category, PyTorch's names, and type promotion.</summary>
public static class DTypes
{
    /// <summary>Whether the type is float32 or float64 (the types that can require gradients).</summary>
    public static bool IsFloatingPoint(this DType dtype)
    {
        Argument.Defined(dtype);
        return dtype is DType.Float32 or DType.Float64;
    }

    /// <summary>PyTorch's name of the type, such as <c>torch.int64</c>.</summary>
    public static string PyTorchName(this DType dtype)
    {
        Argument.Defined(dtype);
        return dtype switch
        {
            DType.Float32 => "torch.float32",
            DType.Float64 => "torch.float64",
            DType.Int64 => "torch.int64",
            DType.Bool => "torch.bool",
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }

    /// <summary>The name PyTorch's kernel errors use, such as <c>Long</c> in <c>"…" not implemented for 'Long'</c>.</summary>
    public static string ScalarTypeName(this DType dtype)
    {
        Argument.Defined(dtype);
        return dtype switch
        {
            DType.Float32 => "Float",
            DType.Float64 => "Double",
            DType.Int64 => "Long",
            DType.Bool => "Bool",
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }

    // bool < integer < floating point, as PyTorch's type promotion categories.
    private static int Category(DType d) => d switch { DType.Bool => 0, DType.Int64 => 1, _ => 2 };

    /// <summary>
    /// The result type of a binary operation on tensors of types <paramref name="a"/> and
    /// <paramref name="b"/>, by PyTorch's rules: the higher category wins (bool &lt; integer &lt;
    /// floating point), and within a category the wider type (float32 with float64 is float64).
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        Argument.Defined(a);
        Argument.Defined(b);
        if (a == b) return a;
        int ca = Category(a), cb = Category(b);
        if (ca != cb) return ca > cb ? a : b;
        return DType.Float64; // the only category with two members
    }

    /// <summary>
    /// The result type of a binary operation on two tensors, like <c>torch.result_type</c>: as
    /// <see cref="Promote(DType, DType)"/>, except that a 0-d tensor next to a tensor with dimensions
    /// counts only by its category, as a number would (float32 [3] with a 0-d float64 is float32; int64
    /// [3] with a 0-d float64 is float64).
    /// </summary>
    public static DType ResultType(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return ResultType([a, b]);
    }

    /// <summary><see cref="ResultType(Tensor, Tensor)"/> over any number of tensors (null entries are skipped).</summary>
    public static DType ResultType(params Tensor?[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        DType? dims = null, zeros = null;
        foreach (var t in tensors)
        {
            if (t is null) continue;
            if (t.Dim == 0) zeros = zeros is { } z ? Promote(z, t.DType) : t.DType;
            else dims = dims is { } d ? Promote(d, t.DType) : t.DType;
        }
        if (dims is not { } dd) return zeros ?? throw new ArgumentException("result_type needs at least one tensor");
        return zeros is { } zz && Category(zz) > Category(dd) ? zz : dd;
    }

    /// <summary>
    /// The result type of a tensor of type <paramref name="tensor"/> combined with a number:
    /// the tensor's type, unless the number is of a higher category, in which case PyTorch's
    /// default type of that category (float32 for a fractional number, int64 for an integer).
    /// </summary>
    public static DType PromoteWithScalar(DType tensor, bool scalarIsIntegral, bool scalarIsBool = false)
    {
        Argument.Defined(tensor);
        int scalar = scalarIsBool ? 0 : scalarIsIntegral ? 1 : 2;
        if (scalar <= Category(tensor)) return tensor;
        return scalar == 2 ? DType.Float32 : DType.Int64;
    }

    /// <summary>
    /// The error for an operation that has no kernel for <paramref name="dtype"/>, in PyTorch's
    /// words (<c>"op" not implemented for 'Long'</c>).
    /// </summary>
    internal static ArgumentException NotImplemented(string op, DType dtype) =>
        new($"\"{op}\" not implemented for '{dtype.ScalarTypeName()}': it needs a floating point tensor (Float32 or Float64), got {dtype}");

    /// <summary>Throws <see cref="NotImplemented"/> unless <paramref name="t"/> is floating point; returns it.</summary>
    internal static Tensor RequireFloat(this Tensor t, string op) => t.DType.IsFloatingPoint() ? t : throw NotImplemented(op, t.DType);

    /// <summary>The tensor itself if it is floating point, else converted to float32 (PyTorch's default dtype), as unary float functions do with integers.</summary>
    internal static Tensor FloatOrDefault(this Tensor t) => t.DType.IsFloatingPoint() ? t : t.To(DType.Float32);
}
