namespace MiniTorch.Nn;

/// <summary>Leaky ReLU as a layer, like <c>torch.nn.LeakyReLU</c>.</summary>
/// <param name="negativeSlope">The slope for x ≤ 0.</param>
/// <param name="inplace">Accepted for PyTorch's signature; the result is always a new tensor.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01, bool inplace = false) : Module
{
    /// <summary>The slope for x ≤ 0.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <summary>Whether PyTorch's inplace was asked for (computed out of place all the same: the input is left unchanged).</summary>
    public bool Inplace { get; } = inplace;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.LeakyRelu(input, NegativeSlope);
    }

    /// <inheritdoc />
    public override string ToString() => $"LeakyReLU(negative_slope={Py.Str(NegativeSlope)}{(Inplace ? ", inplace=True" : "")})";
}

/// <summary>max(x, 0) as a layer, like <c>torch.nn.ReLU</c>.</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Relu(input);
    }

    /// <inheritdoc />
    public override string ToString() => "ReLU()";
}

/// <summary>tanh as a layer, like <c>torch.nn.Tanh</c>.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Tanh(input);
    }

    /// <inheritdoc />
    public override string ToString() => "Tanh()";
}

/// <summary>The logistic sigmoid as a layer, like <c>torch.nn.Sigmoid</c>.</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Sigmoid(input);
    }

    /// <inheritdoc />
    public override string ToString() => "Sigmoid()";
}
