namespace MiniTorch.Nn;

/// <summary>A fully connected layer, like <c>torch.nn.Linear</c>: y = x·Wᵀ + b.</summary>
/// <remarks>
/// Initialised as PyTorch does: W by kaiming_uniform with a = √5, which works out to
/// U(−1/√in, 1/√in), and b by U(−1/√in, 1/√in).
/// </remarks>
public sealed class Linear : Module
{
    /// <summary>Creates the layer; parameters are drawn from <paramref name="generator"/> (the default generator if null).</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentException($"Linear: in_features and out_features must be non-negative, got {inFeatures} and {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var w = Torch.Zeros([outFeatures, inFeatures], dtype);
        Init.KaimingUniform(w, a: Math.Sqrt(5), generator: generator);
        RegisterParameter("weight", w);
        Tensor? b = null;
        if (bias)
        {
            b = Torch.Zeros([outFeatures], dtype);
            double bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            Init.Uniform(b, -bound, bound, generator);
        }
        RegisterParameter("bias", b);
    }

    /// <summary>The size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>The size of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, shape [out, in].</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The bias, shape [out], or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Linear(input, Weight, Bias);
    }

    /// <inheritdoc />
    public override string ToString() => $"Linear(in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")})";
}

/// <summary>Flattens a range of dimensions into one, like <c>torch.nn.Flatten</c> (keeps the batch dimension by default).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>The first dimension merged.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>The last dimension merged.</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Flatten(input, StartDim, EndDim);
    }

    /// <inheritdoc />
    public override string ToString() => $"Flatten(start_dim={StartDim}, end_dim={EndDim})";
}

/// <summary>
/// Dropout, like <c>torch.nn.Dropout</c>: in training mode zeroes elements with probability p
/// and scales the rest by 1/(1−p); the identity in eval mode.
/// </summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    /// <summary>Creates the layer; masks are drawn from <paramref name="generator"/> (the default generator if null).</summary>
    /// <param name="p">The probability of zeroing an element.</param>
    /// <param name="inplace">Accepted for PyTorch's signature; the result is always a new tensor (the input is left unchanged).</param>
    /// <param name="generator">The random source of the masks.</param>
    public Dropout(double p = 0.5, bool inplace = false, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        P = p;
        Inplace = inplace;
        _generator = generator;
    }

    /// <summary>Creates the layer with masks from <paramref name="generator"/>.</summary>
    public Dropout(double p, Generator? generator) : this(p, false, generator) { }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>Whether PyTorch's inplace was asked for (computed out of place all the same).</summary>
    public bool Inplace { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Dropout(input, P, Training, _generator);
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout(p={Py.Str(P)}, inplace={Py.Str(Inplace)})";
}
