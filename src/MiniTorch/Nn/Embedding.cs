namespace MiniTorch.Nn;

/// <summary>
/// A lookup table of embeddings, like <c>torch.nn.Embedding</c>: the parameter <c>weight</c>
/// [num_embeddings, embedding_dim], initialised from N(0, 1) with the padding row zeroed.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table.</summary>
    /// <param name="numEmbeddings">The number of ids.</param>
    /// <param name="embeddingDim">The size of each embedding.</param>
    /// <param name="paddingIdx">An id whose row is zero at creation and receives no gradient (negative counts from the end); or null.</param>
    /// <param name="maxNorm">Renormalise looked-up rows whose norm exceeds this (in place, at each forward); or null.</param>
    /// <param name="normType">The p of the p-norm for <paramref name="maxNorm"/>.</param>
    /// <param name="scaleGradByFreq">Divide gradients by the frequency of their id in the batch.</param>
    /// <param name="sparse">Must be false: MiniTorch has no sparse tensors.</param>
    /// <param name="weight">An initial weight [numEmbeddings, embeddingDim] to copy instead of drawing one (PyTorch's <c>_weight</c>).</param>
    /// <param name="generator">The generator for the initial values.</param>
    /// <param name="dtype">The element type of the weight.</param>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, double? maxNorm = null, double normType = 2.0,
                     bool scaleGradByFreq = false, bool sparse = false, Tensor? weight = null, Generator? generator = null, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        if (numEmbeddings < 0 || embeddingDim < 0) throw new ArgumentException($"Embedding: sizes must be non-negative, got num_embeddings={numEmbeddings}, embedding_dim={embeddingDim}");
        if (sparse) throw new NotSupportedException("Embedding: sparse gradients are not supported (MiniTorch has no sparse tensors)");
        if (paddingIdx is { } pad)
        {
            if (pad >= numEmbeddings || pad < -numEmbeddings) throw new ArgumentException("Padding_idx must be within num_embeddings");
            if (pad < 0) paddingIdx = pad + numEmbeddings;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx;
        MaxNorm = maxNorm;
        NormType = normType;
        ScaleGradByFreq = scaleGradByFreq;
        Tensor w;
        if (weight is not null)
        {
            if (!Shape.Equal(weight.ShapeRef, [numEmbeddings, embeddingDim]))
                throw new ArgumentException("Shape of weight does not match num_embeddings and embedding_dim");
            w = weight.Detach().To(dtype).Clone().Detach();
        }
        else
        {
            w = Torch.Randn([numEmbeddings, embeddingDim], generator, dtype);
            if (paddingIdx is { } p) w[p].CopyFrom(Torch.Zeros([embeddingDim], dtype));
        }
        RegisterParameter("weight", w);
    }

    /// <summary>
    /// An embedding holding <paramref name="embeddings"/>, like <c>Embedding.from_pretrained</c>;
    /// with <paramref name="freeze"/> the weight does not require a gradient.
    /// </summary>
    public static Embedding FromPretrained(Tensor embeddings, bool freeze = true, int? paddingIdx = null, double? maxNorm = null,
                                           double normType = 2.0, bool scaleGradByFreq = false)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Dim != 2) throw new ArgumentException("Embeddings parameter is expected to be 2-dimensional");
        var e = new Embedding(embeddings.ShapeRef[0], embeddings.ShapeRef[1], paddingIdx, maxNorm, normType, scaleGradByFreq,
                              weight: embeddings, dtype: embeddings.DType);
        e.Weight.RequiresGrad = !freeze;
        return e;
    }

    /// <summary>The number of ids.</summary>
    public int NumEmbeddings { get; }
    /// <summary>The size of each embedding.</summary>
    public int EmbeddingDim { get; }
    /// <summary>The id whose row receives no gradient, or null.</summary>
    public int? PaddingIdx { get; }
    /// <summary>The maximum norm of looked-up rows, or null.</summary>
    public double? MaxNorm { get; }
    /// <summary>The p of the p-norm for <see cref="MaxNorm"/>.</summary>
    public double NormType { get; }
    /// <summary>Whether gradients are divided by the frequency of their id in the batch.</summary>
    public bool ScaleGradByFreq { get; }

    /// <summary>The table [num_embeddings, embedding_dim].</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Embedding(input, Weight, PaddingIdx, MaxNorm, NormType, ScaleGradByFreq);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var s = $"Embedding({NumEmbeddings}, {EmbeddingDim}";
        if (PaddingIdx is { } p) s += $", padding_idx={p}";
        if (MaxNorm is { } m) s += $", max_norm={Py.Str(m)}";
        if (NormType != 2) s += $", norm_type={Py.Str(NormType)}";
        if (ScaleGradByFreq) s += ", scale_grad_by_freq=True";
        return s + ")";
    }
}
