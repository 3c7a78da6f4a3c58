namespace MiniTorch;

public static partial class Shape
{
    /// <summary>Checks the operands of <c>gather</c>/<c>scatter_add</c>: same rank, and the index no larger than the input except along <paramref name="dim"/>.</summary>
    public static void CheckGather(string op, ReadOnlySpan<int> input, ReadOnlySpan<int> index, int dim)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (Math.Max(input.Length, 1) != Math.Max(index.Length, 1))
            throw new ArgumentException("Index tensor must have the same number of dimensions as input tensor");
        for (int d = 0; d < index.Length && input.Length > 0; d++)
            if (d != dim && index[d] > input[d])
                throw new ArgumentException(
                    $"{op}(): Size does not match at dimension {d} expected index {Format(index)} to be smaller than self {Format(input)} apart from dimension {dim}");
    }

    /// <summary>Checks that every index lies in [0, <paramref name="size"/>), with PyTorch's message.</summary>
    public static void CheckIndices(ReadOnlySpan<long> index, int size, int dim, string op = "")
    {
        ArgumentNullException.ThrowIfNull(op);
        foreach (var i in index)
            if (i < 0 || i >= size)
                throw new IndexOutOfRangeException($"{(op.Length > 0 ? op + "(): " : "")}index {i} is out of bounds for dimension {dim} with size {size}");
    }

    /// <summary>The sizes before, at and after <paramref name="dim"/>: a tensor viewed as [outer, size, inner].</summary>
    public static (int Outer, int Size, int Inner) Around(ReadOnlySpan<int> shape, int dim)
    {
        if (shape.Length == 0) return (1, 1, 1);
        return (Numel(shape[..dim]), shape[dim], Numel(shape[(dim + 1)..]));
    }

    /// <summary>The shape after splitting dimension <paramref name="dim"/> into <paramref name="sizes"/> (one may be -1), as <c>unflatten</c>.</summary>
    public static int[] Unflatten(ReadOnlySpan<int> shape, int dim, ReadOnlySpan<int> sizes)
    {
        int d = WrapDim(dim, shape.Length);
        if (sizes.Length == 0) throw new ArgumentException("unflatten: sizes must be non-empty");
        int size = shape.Length == 0 ? 1 : shape[d];
        int[] resolved;
        try { resolved = InferReshape(sizes, size); }
        catch (ArgumentException)
        {
            throw new ArgumentException($"unflatten: Provided sizes {Format(sizes)} don't multiply up to the size of dim {d} ({size}) in the input tensor");
        }
        var result = new List<int>();
        for (int i = 0; i < d; i++) result.Add(shape[i]);
        result.AddRange(resolved);
        for (int i = d + 1; i < shape.Length; i++) result.Add(shape[i]);
        return [.. result];
    }
}
