namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> by the int64 ids in <paramref name="input"/>, like
    /// <c>torch.nn.functional.embedding</c>: the result has shape input.shape + [embedding_dim].
    /// </summary>
    /// <remarks>
    /// With <paramref name="maxNorm"/>, every row that is looked up and whose p-norm exceeds maxNorm
    /// is first rescaled in place (outside the graph) to norm maxNorm/(norm + 1e−7)·norm, as PyTorch's
    /// <c>embedding_renorm_</c>. The gradient is a scatter-add into the looked-up rows; the row
    /// <paramref name="paddingIdx"/> gets none, and <paramref name="scaleGradByFreq"/> divides each
    /// row's gradient by the number of times its id occurs in the batch.
    /// </remarks>
    /// <param name="input">int64 ids, any shape, each in [0, num_embeddings).</param>
    /// <param name="weight">The embedding matrix [num_embeddings, embedding_dim].</param>
    /// <param name="paddingIdx">An id whose row receives no gradient (negative counts from the end); or null.</param>
    /// <param name="maxNorm">Renormalise looked-up rows whose norm exceeds this; or null.</param>
    /// <param name="normType">The p of the p-norm for <paramref name="maxNorm"/>.</param>
    /// <param name="scaleGradByFreq">Divide gradients by the frequency of their id in the batch.</param>
    /// <param name="sparse">Sparse gradients are not supported (MiniTorch has no sparse tensors); must be false.</param>
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null, double? maxNorm = null, double normType = 2.0,
                                   bool scaleGradByFreq = false, bool sparse = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (sparse) throw new NotSupportedException("embedding: sparse gradients are not supported (MiniTorch has no sparse tensors); use sparse: false");
        if (input.DType != DType.Int64)
            throw new ArgumentException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {input.DType} instead (while checking arguments for embedding)");
        if (weight.Dim != 2) throw new ArgumentException($"'weight' must be 2-D, got {Shape.Format(weight.ShapeRef)}");
        weight.RequireFloat("embedding");
        int rows = weight.ShapeRef[0];
        if (paddingIdx is { } pad)
        {
            if (pad >= rows || pad < -rows) throw new ArgumentException("Padding_idx must be within num_embeddings");
            if (pad < 0) paddingIdx = pad + rows;
        }
        if (maxNorm is { } m) EmbeddingRenorm(weight, input, m, normType);
        return Functions.EmbeddingBackward0.Apply(weight, input, paddingIdx, scaleGradByFreq);
    }

    /// <summary>Rescales in place the rows of <paramref name="weight"/> named in <paramref name="ids"/> whose p-norm exceeds <paramref name="maxNorm"/>, as <c>torch.embedding_renorm_</c>.</summary>
    internal static void EmbeddingRenorm(Tensor weight, Tensor ids, double maxNorm, double normType)
    {
        int rows = weight.ShapeRef[0], dim = weight.ShapeRef[1];
        var w = weight.Detach();
        foreach (var id in ids.ToInt64Array().Distinct())
        {
            if (id < 0 || id >= rows) continue; // the lookup reports it
            var row = w[(int)id];
            // As torch.embedding_renorm_: row.norm(p) in the row's own type (a float32 row's squares
            // overflow to inf above ~1.8e19, and the row then scales to zeros, as PyTorch's), then
            // row *= max_norm / (norm + 1e-7) with the scale rounded to the row's type.
            if (weight.DType == DType.Float32)
            {
                var values = row.ToArray();
                float norm = normType switch
                {
                    double.PositiveInfinity => values.Max(MathF.Abs),
                    1 => values.Aggregate(0f, (a, v) => a + MathF.Abs(v)),
                    2 => MathF.Sqrt(values.Aggregate(0f, (a, v) => a + v * v)),
                    _ => MathF.Pow(values.Aggregate(0f, (a, v) => a + MathF.Pow(MathF.Abs(v), (float)normType)), (float)(1 / normType)),
                };
                if (norm > maxNorm)
                {
                    float scale = (float)(maxNorm / (norm + 1e-7));
                    row.CopyFrom(Torch.FromArray(values.Select(v => v * scale).ToArray(), dim));
                }
            }
            else
            {
                var values = row.ToDoubleArray();
                double norm = normType switch
                {
                    double.PositiveInfinity => values.Max(Math.Abs),
                    1 => values.Sum(Math.Abs),
                    2 => Math.Sqrt(values.Sum(v => v * v)),
                    _ => Math.Pow(values.Sum(v => Math.Pow(Math.Abs(v), normType)), 1 / normType),
                };
                if (norm > maxNorm)
                {
                    double scale = maxNorm / (norm + 1e-7);
                    row.CopyFrom(Torch.FromArray(values.Select(v => v * scale).ToArray(), dim));
                }
            }
        }
    }
}
