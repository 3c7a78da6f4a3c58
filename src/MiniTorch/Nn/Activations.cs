namespace MiniTorch.Nn;

/// <summary>Leaky ReLU as a layer, like <c>torch.nn.LeakyReLU</c>.</summary>
/// <param name="negativeSlope">The slope for x ≤ 0.</param>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for x ≤ 0.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.LeakyRelu(input, NegativeSlope);
    }

    /// <inheritdoc />
    public override string ToString() => $"LeakyReLU(negative_slope={NegativeSlope})";
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
