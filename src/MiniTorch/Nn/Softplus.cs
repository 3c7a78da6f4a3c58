using System.Globalization;

namespace MiniTorch.Nn;

/// <summary>Softplus as a layer, like <c>torch.nn.Softplus</c>: ln(1 + e^(βx))/β, the identity where βx &gt; threshold.</summary>
public sealed class Softplus : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="beta">The sharpness β (finite and nonzero).</param>
    /// <param name="threshold">Above βx = threshold the layer is the identity.</param>
    public Softplus(double beta = 1, double threshold = 20)
    {
        Shape.CheckSoftplus(beta, threshold);
        (Beta, Threshold) = (beta, threshold);
    }

    /// <summary>The sharpness β.</summary>
    public double Beta { get; }

    /// <summary>The threshold on βx above which the layer is the identity.</summary>
    public double Threshold { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Softplus(input, Beta, Threshold);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Softplus(beta={Beta}, threshold={Threshold})");
}
