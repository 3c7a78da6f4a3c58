using MiniTorch.Functions;

namespace MiniTorch;

public sealed partial class Tensor
{
    /// <summary>A view with a new shape (one size may be -1); the tensor must be contiguous.</summary>
    public Tensor View(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return ViewBackward.Apply(this, MiniTorch.Shape.InferReshape(shape, Numel));
    }

    /// <summary>A tensor with a new shape: a view when possible, otherwise a copy.</summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var s = MiniTorch.Shape.InferReshape(shape, Numel);
        // PyTorch 1.13 names the aliasing reshape _reshape_alias, the copying one _unsafe_view.
        return ViewBackward.Apply(IsContiguous ? this : Contiguous(), s, IsContiguous ? "ReshapeAliasBackward0" : "UnsafeViewBackward0");
    }

    /// <summary>A view with the dimensions reordered.</summary>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return PermuteBackward.Apply(this, dims);
    }

    /// <summary>A view with two dimensions swapped.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var perm = Enumerable.Range(0, Dim).ToArray();
        int a = MiniTorch.Shape.WrapDim(dim0, Dim), b = MiniTorch.Shape.WrapDim(dim1, Dim);
        if (Dim > 0) (perm[a], perm[b]) = (perm[b], perm[a]);
        return PermuteBackward.Apply(this, perm, "TransposeBackward0");
    }

    /// <summary>The transpose of a matrix (rank ≤ 2), like <c>tensor.T</c>.</summary>
    public Tensor T => Dim < 2 ? this : Permute(1, 0);

    /// <summary>A view with a size-1 dimension inserted at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = MiniTorch.Shape.WrapDim(dim, Dim + 1);
        var shape = _shape.ToList();
        var strides = _strides.ToList();
        shape.Insert(d, 1);
        strides.Insert(d, d < Dim ? _shape[d] * _strides[d] : 1);
        return ViewBackward.Apply(this, [.. shape], "UnsqueezeBackward0", [.. strides]);
    }

    /// <summary>A view without size-1 dimensions (all, or only <paramref name="dim"/>).</summary>
    public Tensor Squeeze(int? dim = null)
    {
        var keep = new List<int>();
        int? only = dim is { } dd ? MiniTorch.Shape.WrapDim(dd, Dim) : null;
        for (int i = 0; i < Dim; i++)
            if (_shape[i] != 1 || (only is { } o && o != i)) keep.Add(i);
        return ViewBackward.Apply(this, [.. keep.Select(i => _shape[i])], dim is null ? "SqueezeBackward0" : "SqueezeBackward1",
                                  [.. keep.Select(i => _strides[i])]);
    }

    /// <summary>A view in which size-1 dimensions are repeated (stride 0) to reach <paramref name="shape"/>; -1 keeps a size.</summary>
    public Tensor Expand(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return ExpandBackward0.Apply(this, ResolveExpand(shape));
    }

    private int[] ResolveExpand(int[] shape)
    {
        var s = (int[])shape.Clone();
        int lead = s.Length - Dim;
        for (int i = 0; i < s.Length; i++)
            if (s[i] == -1)
            {
                if (i < lead) throw new ArgumentException($"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}");
                s[i] = _shape[i - lead];
            }
        MiniTorch.Shape.CheckExpand(_shape, s);
        MiniTorch.Shape.Numel(s);
        return s;
    }

    /// <summary>The expanded view without recording it (for kernels that read broadcast operands).</summary>
    internal Tensor ExpandView(int[] shape)
    {
        MiniTorch.Shape.CheckExpand(_shape, shape);
        int lead = shape.Length - Dim;
        var strides = new int[shape.Length];
        for (int i = 0; i < Dim; i++) strides[lead + i] = _shape[i] == 1 && shape[lead + i] != 1 ? 0 : _strides[i];
        return new Tensor(Storage, (int[])shape.Clone(), strides, Offset);
    }

    /// <summary>A copy with the order of elements reversed along <paramref name="dims"/>.</summary>
    public Tensor Flip(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return FlipBackward0.Apply(this, dims);
    }

    /// <summary>A view of <paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>.</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = MiniTorch.Shape.WrapDim(dim, Dim);
        int size = _shape[d];
        if (start < -size || start > size) throw new ArgumentOutOfRangeException(nameof(start), $"start out of range (expected to be in range of [{-size}, {size}], but got {start})");
        if (start < 0) start += size;
        if (length < 0 || (long)start + length > size)
            throw new ArgumentOutOfRangeException(nameof(length), $"start ({start}) + length ({length}) exceeds dimension size ({size}).");
        return SliceBackward0.Apply(this, d, start, length);
    }

    /// <summary>A view of the elements start, start+step, … below end along <paramref name="dim"/>, like <c>x[:, start:end:step]</c>.</summary>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        int d = MiniTorch.Shape.WrapDim(dim, Dim);
        if (step <= 0) throw new ArgumentException("slice step must be positive");
        int size = _shape[d];
        int s = Math.Clamp(start is { } a ? (a < 0 ? a + size : a) : 0, 0, size);
        int e = Math.Clamp(end is { } b ? (b < 0 ? b + size : b) : size, s, size);
        return SliceBackward0.Apply(this, d, s, (int)(((long)e - s + step - 1) / step), step);
    }

    /// <summary>The sub-tensor at <paramref name="index"/> of the first dimension, like <c>x[i]</c> (a view).</summary>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[int index]
    {
        get
        {
            if (Dim == 0) throw new IndexOutOfRangeException("invalid index of a 0-dim tensor.");
            int size = _shape[0];
            if (index < -size || index >= size) throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension 0 with size {size}");
            return SelectBackward0.Apply(this, 0, index < 0 ? index + size : index);
        }
    }

    /// <summary>This tensor if it is contiguous, otherwise a dense copy.</summary>
    public Tensor Contiguous() => IsContiguous ? this : CloneBackward0.Apply(this);

    /// <summary>A dense copy that stays in the graph.</summary>
    public Tensor Clone() => CloneBackward0.Apply(this);

    /// <summary>This tensor converted to <paramref name="dtype"/> (the same tensor if it already is).</summary>
    public Tensor To(DType dtype)
    {
        Argument.Defined(dtype);
        return dtype == DType ? this : ToCopyBackward0.Apply(this, dtype);
    }
}
