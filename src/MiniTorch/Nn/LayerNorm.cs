namespace MiniTorch.Nn;

/// <summary>
/// Layer normalisation over the trailing <c>normalizedShape</c>, like <c>torch.nn.LayerNorm</c>:
/// parameters <c>weight</c> (ones) and <c>bias</c> (zeros) of that shape with elementwiseAffine.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="normalizedShape">The trailing sizes to normalise over.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="elementwiseAffine">Learn γ and β of shape normalizedShape.</param>
    /// <param name="dtype">The element type of the parameters.</param>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        Shape.Validate(normalizedShape);
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        RegisterParameter("weight", elementwiseAffine ? Torch.Ones(normalizedShape, dtype) : null);
        RegisterParameter("bias", elementwiseAffine ? Torch.Zeros(normalizedShape, dtype) : null);
    }

    /// <summary>Normalises over the last dimension of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
        : this([normalizedShape], eps, elementwiseAffine, dtype) { }

    /// <summary>The trailing sizes normalised over.</summary>
    public int[] NormalizedShape { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Whether γ and β are learned.</summary>
    public bool ElementwiseAffine { get; }
    /// <summary>γ, or null.</summary>
    public Tensor? Weight => GetParameter("weight");
    /// <summary>β, or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);
    }

    /// <inheritdoc />
    public override string ToString() => $"LayerNorm({Py.Tuple(NormalizedShape)}, eps={Py.Str(Eps)}, elementwise_affine={Py.Str(ElementwiseAffine)})";
}

/// <summary>Group normalisation, like <c>torch.nn.GroupNorm</c>: per-channel <c>weight</c> (ones) and <c>bias</c> (zeros) with affine.</summary>
public sealed class GroupNorm : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numGroups">The number of groups the channels are split into.</param>
    /// <param name="numChannels">C, divisible by numGroups.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="affine">Learn per-channel γ and β.</param>
    /// <param name="dtype">The element type of the parameters.</param>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        if (numGroups <= 0 || numChannels % numGroups != 0) throw new ArgumentException("num_channels must be divisible by num_groups");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        Affine = affine;
        RegisterParameter("weight", affine ? Torch.Ones([numChannels], dtype) : null);
        RegisterParameter("bias", affine ? Torch.Zeros([numChannels], dtype) : null);
    }

    /// <summary>The number of groups.</summary>
    public int NumGroups { get; }
    /// <summary>C.</summary>
    public int NumChannels { get; }
    /// <summary>Added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Whether γ and β are learned.</summary>
    public bool Affine { get; }
    /// <summary>γ, shape [C], or null.</summary>
    public Tensor? Weight => GetParameter("weight");
    /// <summary>β, shape [C], or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.GroupNorm(input, NumGroups, Weight, Bias, Eps);
    }

    /// <inheritdoc />
    public override string ToString() => $"GroupNorm({NumGroups}, {NumChannels}, eps={Py.Str(Eps)}, affine={Py.Str(Affine)})";
}
