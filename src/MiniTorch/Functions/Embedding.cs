using MiniTorch.Autograd;

namespace MiniTorch.Functions;

/// <summary>Rows of an embedding matrix looked up by int64 ids, like <c>torch.nn.functional.embedding</c>.</summary>
/// <remarks>
/// y[…, :] = W[ids[…], :]. The gradient is a scatter-add of g's rows into a zero matrix of W's
/// shape, skipping the padding row and, with scale_grad_by_freq, dividing each row by how often its
/// id occurs in the batch; it is itself differentiable (an index_add), so gradients of gradients work.
/// </remarks>
internal sealed class EmbeddingBackward0 : Function
{
    private int[] _weight = [];
    private SavedTensor _ids = null!;
    private Tensor? _rowScale;
    public override string Name => "EmbeddingBackward0";

    public static Tensor Apply(Tensor weight, Tensor ids, int? paddingIdx, bool scaleGradByFreq)
    {
        var flat = ids.Contiguous().Reshape(-1);
        int rows = weight.ShapeRef[0];
        foreach (var i in flat.Span<long>())
            if (i < 0 || i >= rows) throw new IndexOutOfRangeException($"index out of range in self: id {i} is not in [0, {rows}) (num_embeddings = {rows})");
        Tensor looked;
        using (Torch.NoGrad()) looked = IndexSelectBackward0.Apply(weight.Detach(), 0, flat);
        var y = looked.Reshape([.. ids.ShapeRef, weight.ShapeRef[1]]);
        var fn = new EmbeddingBackward0 { _weight = weight.ShapeRef };
        fn._ids = fn.Save(flat);
        if (paddingIdx is not null || scaleGradByFreq) fn._rowScale = RowScale(flat.Span<long>(), rows, paddingIdx, scaleGradByFreq, weight.DType);
        return fn.Record(y, weight);
    }

    // Per looked-up row: 0 for the padding id, 1/count(id) with scale_grad_by_freq, else 1; shape [n, 1].
    private static Tensor RowScale(ReadOnlySpan<long> ids, int rows, int? paddingIdx, bool byFreq, DType dtype)
    {
        var counts = new int[rows];
        foreach (var i in ids) counts[i]++;
        var scale = new double[ids.Length];
        for (int k = 0; k < ids.Length; k++)
            scale[k] = ids[k] == paddingIdx ? 0 : byFreq ? 1.0 / counts[ids[k]] : 1;
        return Torch.FromDoubles(scale, [ids.Length, 1], dtype);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var ids = _ids.Value;
        var rows = g.Reshape(ids.Numel, _weight[1]);
        if (_rowScale is not null) rows = rows * _rowScale;
        return [IndexAddBackward0.Apply(Torch.Zeros(_weight, g.DType), 0, ids, rows, 1)];
    }
}
