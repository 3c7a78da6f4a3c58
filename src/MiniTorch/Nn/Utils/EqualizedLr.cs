namespace MiniTorch.Nn.Utils;

/// <summary>
/// The equalized learning rate of ProGAN and StyleGAN as a parametrization: the layer uses
/// original·c with c = gain·lrMultiplier/√fanIn, so an optimiser that normalises step sizes (Adam)
/// moves every layer's weights at the same relative speed. Registered by <see cref="Parametrizations.EqualizedLr"/>.
/// </summary>
/// <remarks>
/// Forward: W = c·original. Its right inverse original = W/c keeps the layer's current weight at
/// registration, so registering changes how the layer trains, not what it computes. StyleGAN
/// initialises the originals from N(0, 1/lrMultiplier²); do that with
/// <c>Init.Normal(Parametrize.GetParametrizations(layer, "weight").Original, std: 1 / lrMultiplier)</c>.
/// </remarks>
public sealed class EqualizedLrParametrization : Module, IRightInverse
{
    internal EqualizedLrParametrization(double scale) => Scale = scale;

    /// <summary>The runtime scale c.</summary>
    public double Scale { get; }

    /// <summary>c·original.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input * Scale;
    }

    /// <summary>value/c.</summary>
    public Tensor RightInverse(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value / Scale;
    }

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"EqualizedLr(scale={Scale})");
}

public static partial class Parametrizations
{
    /// <summary>
    /// Applies the equalized learning rate (Karras et al. 2018, §4.1) to the tensor <paramref name="name"/>
    /// of <paramref name="module"/>: the layer then uses c·original, c = gain·lrMultiplier/√fanIn.
    /// </summary>
    /// <remarks>See <see cref="EqualizedLrParametrization"/>. The layer computes the same function right after the call.</remarks>
    /// <param name="module">The layer, for example a <see cref="Conv2d"/> or <see cref="Linear"/>.</param>
    /// <param name="name">The tensor to scale.</param>
    /// <param name="gain">The gain (1 for a linear output, √2 before a ReLU, as He initialisation).</param>
    /// <param name="lrMultiplier">An extra factor on the effective learning rate (StyleGAN's mapping network uses 0.01).</param>
    /// <param name="fanIn">The fan-in; by default computed from the tensor's layout as <see cref="Init.CalculateFanInAndFanOut"/> does, 1 for a 1-D tensor (a bias).</param>
    /// <returns><paramref name="module"/>.</returns>
    public static TModule EqualizedLr<TModule>(TModule module, string name = "weight", double gain = 1, double lrMultiplier = 1, int? fanIn = null)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(module);
        var weight = Weight(module, name);
        if (!(gain > 0) || !double.IsFinite(gain)) throw new ArgumentException($"equalized_lr: gain must be finite and positive, got {gain}");
        if (!(lrMultiplier > 0) || !double.IsFinite(lrMultiplier)) throw new ArgumentException($"equalized_lr: lrMultiplier must be finite and positive, got {lrMultiplier}");
        if (fanIn is < 1) throw new ArgumentException($"equalized_lr: fanIn must be positive, got {fanIn}");
        int fan = fanIn ?? (weight.Dim < 2 ? 1 : Init.CalculateFanInAndFanOut(weight).FanIn);
        if (fan < 1) throw new ArgumentException($"equalized_lr: '{name}' has no inputs (fan-in 0)");
        Parametrize.RegisterParametrization(module, name, new EqualizedLrParametrization(gain * lrMultiplier / Math.Sqrt(fan)));
        return module;
    }
}
