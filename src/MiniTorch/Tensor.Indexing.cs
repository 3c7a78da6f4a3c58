using MiniTorch.Functions;

namespace MiniTorch;

public sealed partial class Tensor
{
    /// <summary>
    /// Values picked along <paramref name="dim"/> by an int64 index of the same rank, like
    /// <c>torch.gather</c>: out[i][j] = x[index[i][j]][j] for dim 0. The result has the index's shape.
    /// </summary>
    /// <remarks>The gradient is a scatter-add of g into zeros (grad_fn <c>GatherBackward0</c>).</remarks>
    public Tensor Gather(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return GatherBackward0.Apply(this, dim, index);
    }

    /// <summary>
    /// A copy of this tensor with <paramref name="src"/> added at the positions <paramref name="index"/>
    /// names along <paramref name="dim"/>, like <c>torch.scatter_add</c> (the adjoint of <see cref="Gather"/>).
    /// </summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(src);
        return ScatterAddBackward0.Apply(this, dim, index, src);
    }

    /// <summary>The slices at <paramref name="index"/> (an int64 vector) along <paramref name="dim"/>, like <c>torch.index_select</c>.</summary>
    /// <remarks>The gradient adds g back at the indices, accumulating repeats (grad_fn <c>IndexSelectBackward0</c>).</remarks>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return IndexSelectBackward0.Apply(this, dim, index);
    }

    /// <summary>A copy with alpha·<paramref name="source"/> added to the slices at <paramref name="index"/> along <paramref name="dim"/>, like <c>torch.index_add</c>.</summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        return IndexAddBackward0.Apply(this, dim, index, source, alpha);
    }

    /// <summary>
    /// Advanced indexing along the first dimension, like <c>x[index]</c>: an int64 index picks rows
    /// (negative indices count from the end; the result has shape index.shape + x.shape[1:]); a bool
    /// mask over the leading dimensions picks the elements or rows where it is true.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[Tensor index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            if (Dim == 0) throw new IndexOutOfRangeException("invalid index of a 0-dim tensor.");
            if (index.DType == DType.Bool) return MaskedRows(index);
            if (index.DType != DType.Int64)
                throw new IndexOutOfRangeException($"tensors used as indices must be long, int, byte or bool tensors, got {index.DType}");
            int size = _shape[0];
            var flat = index.Contiguous().Reshape(-1).ToInt64Array();
            for (int i = 0; i < flat.Length; i++)
            {
                if (flat[i] < -size || flat[i] >= size) throw new IndexOutOfRangeException($"index {flat[i]} is out of bounds for dimension 0 with size {size}");
                if (flat[i] < 0) flat[i] += size;
            }
            var rows = IndexSelect(0, Torch.FromArray(flat, flat.Length));
            return rows.Reshape([.. index.ShapeRef, .. _shape[1..]]);
        }
    }

    private Tensor MaskedRows(Tensor mask)
    {
        int k = mask.Dim;
        if (k > Dim) throw new IndexOutOfRangeException($"too many indices for tensor of dimension {Dim}");
        for (int i = 0; i < k; i++)
            if (mask.ShapeRef[i] != _shape[i])
                throw new IndexOutOfRangeException(
                    $"The shape of the mask {MiniTorch.Shape.Format(mask.ShapeRef)} at index {i} does not match the shape of the indexed tensor {MiniTorch.Shape.Format(_shape)} at index {i}");
        var m = mask.ToBoolArray();
        var picked = Enumerable.Range(0, m.Length).Where(i => m[i]).Select(i => (long)i).ToArray();
        var rows = Reshape([m.Length, .. _shape[k..]]);
        return rows.IndexSelect(0, Torch.FromArray(picked, picked.Length));
    }

    /// <summary>
    /// The tensor repeated along each dimension, like <c>x.repeat(*sizes)</c>: <paramref name="sizes"/>
    /// has at least <see cref="Dim"/> entries; extra leading entries add dimensions.
    /// </summary>
    /// <remarks>Effectively expand-then-copy, so the gradient sums the copies (the adjoint of broadcasting).</remarks>
    public Tensor Repeat(params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < Dim)
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        int lead = sizes.Length - Dim;
        var padded = Enumerable.Repeat(1, lead).Concat(_shape).ToArray();
        var result = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {sizes[i]}: {MiniTorch.Shape.Format(sizes)}");
            result[i] = MiniTorch.Shape.CheckedSize((long)sizes[i] * padded[i], $"repeat: dimension {i} ({padded[i]} repeated {sizes[i]} times)");
        }
        MiniTorch.Shape.Validate(result);
        // [1, s0, 1, s1, …] expanded to [r0, s0, r1, s1, …] and merged pairwise.
        var interleaved = padded.SelectMany(s => new[] { 1, s }).ToArray();
        var expanded = sizes.SelectMany((r, i) => new[] { r, padded[i] }).ToArray();
        return Reshape(interleaved).Expand(expanded).Reshape(result);
    }

    /// <summary>The tensor tiled, like <c>torch.tile</c>: <see cref="Repeat"/> with <paramref name="dims"/> padded with leading 1s to the tensor's rank.</summary>
    public Tensor Tile(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var padded = dims.Length < Dim ? Enumerable.Repeat(1, Dim - dims.Length).Concat(dims).ToArray() : dims;
        return Repeat(padded);
    }

    /// <summary>Dimensions <paramref name="startDim"/>..<paramref name="endDim"/> merged into one, like <c>torch.flatten</c> (a view when possible).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1) => Reshape(MiniTorch.Shape.Flatten(_shape, startDim, endDim));

    /// <summary>
    /// Dimension <paramref name="dim"/> split into <paramref name="sizes"/> (one may be -1), like
    /// <c>torch.unflatten</c>.
    /// </summary>
    public Tensor Unflatten(int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return Reshape(MiniTorch.Shape.Unflatten(_shape, dim, sizes));
    }
}

public static partial class Torch
{
    /// <summary>Values picked along a dimension by an int64 index, like <c>torch.gather(input, dim, index)</c>.</summary>
    public static Tensor Gather(Tensor input, int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(index);
        return input.Gather(dim, index);
    }

    /// <summary>Slices at the given indices along a dimension, like <c>torch.index_select(input, dim, index)</c>.</summary>
    public static Tensor IndexSelect(Tensor input, int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(index);
        return input.IndexSelect(dim, index);
    }

    /// <summary>The tensor tiled, like <c>torch.tile(input, dims)</c>.</summary>
    public static Tensor Tile(Tensor input, params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(dims);
        return input.Tile(dims);
    }

    /// <summary>Dimensions merged into one, like <c>torch.flatten(input, start_dim, end_dim)</c>.</summary>
    public static Tensor Flatten(Tensor input, int startDim = 0, int endDim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(startDim, endDim);
    }

    /// <summary>A dimension split in several, like <c>torch.unflatten(input, dim, sizes)</c>.</summary>
    public static Tensor Unflatten(Tensor input, int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(sizes);
        return input.Unflatten(dim, sizes);
    }
}
