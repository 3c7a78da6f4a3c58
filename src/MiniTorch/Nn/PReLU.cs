namespace MiniTorch.Nn;

/// <summary>Parametric ReLU as a layer, like <c>torch.nn.PReLU</c>: a learnt slope for x ≤ 0, shared or per channel.</summary>
/// <remarks>y = x if x &gt; 0 else weight[c]·x, with weight [numParameters] initialised to <c>init</c>.</remarks>
public sealed class PReLU : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numParameters">1 (one slope for all channels) or the number of input channels.</param>
    /// <param name="init">The initial slope.</param>
    /// <param name="dtype">The parameter's element type.</param>
    public PReLU(int numParameters = 1, double init = 0.25, DType dtype = DType.Float32)
    {
        Argument.Defined(dtype);
        if (numParameters <= 0) throw new ArgumentException($"PReLU: num_parameters must be positive, got {numParameters}");
        NumParameters = numParameters;
        RegisterParameter("weight", Torch.Full([numParameters], init, dtype));
    }

    /// <summary>The number of slopes.</summary>
    public int NumParameters { get; }

    /// <summary>The learnable slopes [numParameters].</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Prelu(input, Weight);
    }

    /// <inheritdoc />
    public override string ToString() => $"PReLU(num_parameters={NumParameters})";
}
