namespace MiniTorch;

public static partial class Shape
{
    /// <summary>PyTorch's message for a write into a tensor whose elements share memory (an expanded view).</summary>
    internal const string InternalOverlapMessage =
        "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

    /// <summary>PyTorch's message for an in-place op whose input partly overlaps the tensor written.</summary>
    internal const string PartialOverlapMessage =
        "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.";

    /// <summary>
    /// Whether a layout certainly maps two elements to one memory location, as PyTorch's
    /// <c>has_internal_overlap</c> answers "yes": some dimension of size &gt; 1 has stride 0 (an
    /// expanded view). MiniTorch's views cannot overlap in any other way.
    /// </summary>
    internal static bool HasInternalOverlap(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        for (int i = 0; i < shape.Length; i++)
            if (strides[i] == 0 && shape[i] > 1) return true;
        return false;
    }

    /// <summary>
    /// Whether the elements fill a block of memory exactly once in some order of the dimensions
    /// (PyTorch's <c>is_non_overlapping_and_dense</c>): sorted by stride, each stride is the product
    /// of the sizes below it; size-1 dimensions do not count.
    /// </summary>
    internal static bool IsNonOverlappingAndDense(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        var dims = new List<int>();
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 0) return true;
            if (shape[i] > 1) dims.Add(i);
        }
        var s = strides.ToArray();
        dims.Sort((a, b) => s[a].CompareTo(s[b]));
        long required = 1;
        foreach (var d in dims)
        {
            if (s[d] != required) return false;
            required *= shape[d];
        }
        return true;
    }
}
