namespace MiniTorch;

/// <summary>
/// All shape arithmetic and validation in one place: element counts, strides, broadcasting,
/// dimension wrapping, reshape inference. Methods return sizes or throw an exception whose
/// message names the layout, in the style of PyTorch's messages.
/// </summary>
public static partial class Shape
{
    /// <summary>Formats a shape as PyTorch prints it in messages, e.g. <c>[2, 3, 4]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>The number of elements of a shape (1 for a scalar); more than 2³¹ − 1 raises <see cref="ArgumentException"/>.</summary>
    /// <remarks>
    /// MiniTorch indexes elements with 32-bit integers, so a tensor holds at most
    /// <see cref="int.MaxValue"/> elements. The product is formed in 64 bits and stops as soon as it
    /// passes the limit, so no size is ever reported wrapped.
    /// </remarks>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        foreach (var s in shape) if (s == 0) return 0;
        long n = 1;
        foreach (var s in shape)
        {
            n *= s;
            if (n > int.MaxValue || n < int.MinValue) throw new ArgumentException($"a tensor of shape {Format(shape)} has more than {int.MaxValue} elements");
        }
        return (int)n;
    }

    /// <summary>
    /// A size computed in 64 bits, returned as an int; one that does not fit MiniTorch's 32-bit sizes
    /// raises <see cref="ArgumentException"/> naming it with its true value (never a wrapped one).
    /// </summary>
    internal static int CheckedSize(long size, string what) =>
        size is > int.MaxValue or < int.MinValue
            ? throw new ArgumentException($"{what} is {size}, beyond the {int.MaxValue} that MiniTorch's 32-bit sizes hold")
            : (int)size;

    /// <summary>a·b, saturating at ±<see cref="long.MaxValue"/> instead of wrapping.</summary>
    internal static long SaturatingMultiply(long a, long b)
    {
        long r;
        try { r = checked(a * b); }
        catch (OverflowException) { r = (a < 0) ^ (b < 0) ? long.MinValue : long.MaxValue; }
        return r;
    }

    /// <summary>Row-major (C order) strides of a shape (saturating at int.MaxValue past an empty dimension).</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = (int)Math.Min(s, int.MaxValue);
            s = Math.Min(SaturatingMultiply(s, Math.Max(shape[i], 1)), int.MaxValue);
        }
        return strides;
    }

    /// <summary>Checks that every size is non-negative and returns a copy.</summary>
    public static int[] Validate(ReadOnlySpan<int> shape)
    {
        foreach (var s in shape)
            if (s < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {s}: {Format(shape)}");
        Numel(shape);
        return shape.ToArray();
    }

    /// <summary>Wraps a possibly negative dimension index into [0, rank).</summary>
    public static int WrapDim(int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})");
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>Resolves a single -1 in a requested shape so that it holds <paramref name="numel"/> elements.</summary>
    public static int[] InferReshape(ReadOnlySpan<int> requested, int numel)
    {
        var shape = requested.ToArray();
        int infer = -1; long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension can be inferred");
                infer = i;
            }
            else if (shape[i] < 0) throw new ArgumentException($"invalid shape dimension {shape[i]}");
            else known = SaturatingMultiply(known, shape[i]);
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
            shape[infer] = (int)(numel / known);
        }
        else if (known != numel)
            throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
        return shape;
    }

    /// <summary>The broadcast shape of two shapes, by PyTorch's (NumPy's) rules.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}: shapes {Format(a)} and {Format(b)}");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Checks that <paramref name="shape"/> can be expanded to <paramref name="target"/>.</summary>
    public static void CheckExpand(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        if (target.Length < shape.Length)
            throw new ArgumentException($"expand: the number of sizes provided ({target.Length}) must be greater or equal to the number of dimensions in the tensor ({shape.Length})");
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] != target[lead + i] && shape[i] != 1)
                throw new ArgumentException(
                    $"The expanded size of the tensor ({target[lead + i]}) must match the existing size ({shape[i]}) at non-singleton dimension {lead + i}.  Target sizes: {Format(target)}.  Tensor sizes: {Format(shape)}");
    }

    /// <summary>Whether two shapes are equal.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
