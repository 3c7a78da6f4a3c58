namespace MiniTorch.Nn;

/// <summary>Which fan a Kaiming initialiser preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass.</summary>
    FanIn,
    /// <summary>Preserve the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>The nonlinearity that follows a layer, for <see cref="Init.CalculateGain"/>.</summary>
public enum Nonlinearity
{
    /// <summary>Identity (gain 1).</summary>
    Linear,
    /// <summary>A convolution (gain 1).</summary>
    Conv2d,
    /// <summary>A transposed convolution (gain 1).</summary>
    ConvTranspose2d,
    /// <summary>Sigmoid (gain 1).</summary>
    Sigmoid,
    /// <summary>Tanh (gain 5/3).</summary>
    Tanh,
    /// <summary>ReLU (gain √2).</summary>
    Relu,
    /// <summary>Leaky ReLU (gain √(2/(1+slope²))).</summary>
    LeakyRelu,
    /// <summary>SELU (gain 3/4).</summary>
    Selu,
}

/// <summary>
/// Parameter initialisers, like <c>torch.nn.init</c>. Each fills a tensor in place, outside the
/// graph, from a <see cref="Generator"/> (the default generator when none is given), and returns it.
/// </summary>
public static class Init
{
    /// <summary>The recommended gain for a nonlinearity, as PyTorch's <c>calculate_gain</c>.</summary>
    /// <param name="nonlinearity">The nonlinearity.</param>
    /// <param name="param">The negative slope for <see cref="Nonlinearity.LeakyRelu"/> (0.01 when null).</param>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null)
    {
        Argument.Defined(nonlinearity);
        return nonlinearity switch
        {
            Nonlinearity.Linear or Nonlinearity.Conv2d or Nonlinearity.ConvTranspose2d or Nonlinearity.Sigmoid => 1,
            Nonlinearity.Tanh => 5.0 / 3,
            Nonlinearity.Relu => Math.Sqrt(2.0),
            Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
            Nonlinearity.Selu => 3.0 / 4,
            _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
        };
    }

    /// <summary>fan_in and fan_out of a weight, as PyTorch's <c>_calculate_fan_in_and_fan_out</c>.</summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Shape.Fans(tensor.ShapeRef);
    }

    /// <summary>Fills with samples of U(a, b).</summary>
    public static Tensor Uniform(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.CopyFrom(Torch.Uniform(tensor.ShapeRef, a, b, generator, tensor.DType));
        return tensor;
    }

    /// <summary>Fills with samples of N(mean, std²).</summary>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.CopyFrom(Torch.Normal(tensor.ShapeRef, mean, std, generator, tensor.DType));
        return tensor;
    }

    /// <summary>Fills with <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.CopyFrom(Torch.Full(tensor.ShapeRef, value, tensor.DType));
        return tensor;
    }

    /// <summary>Fills with 0.</summary>
    public static Tensor Zeros(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Constant(tensor, 0);
    }

    /// <summary>Fills with 1.</summary>
    public static Tensor Ones(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Constant(tensor, 1);
    }

    /// <summary>
    /// Kaiming (He) uniform initialisation, like <c>kaiming_uniform_</c>: U(−bound, bound) with
    /// bound = gain·√(3/fan).
    /// </summary>
    /// <param name="tensor">The weight (at least 2-D).</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (used only for that nonlinearity).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The nonlinearity that follows.</param>
    /// <param name="generator">The random source.</param>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Argument.Defined(mode);
        Argument.Defined(nonlinearity);
        // PyTorch warns and returns for zero-element tensors (there is no fan to divide by).
        if (tensor.Numel == 0) return tensor;
        double std = KaimingStd(tensor, a, mode, nonlinearity);
        double bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Kaiming (He) normal initialisation, like <c>kaiming_normal_</c>: N(0, std²) with std = gain/√fan.</summary>
    /// <param name="tensor">The weight (at least 2-D).</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (used only for that nonlinearity).</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The nonlinearity that follows.</param>
    /// <param name="generator">The random source.</param>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                       Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Argument.Defined(mode);
        Argument.Defined(nonlinearity);
        if (tensor.Numel == 0) return tensor;
        return Normal(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), generator);
    }

    private static double KaimingStd(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = Shape.Fans(tensor.ShapeRef);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    /// <summary>
    /// Xavier (Glorot) uniform initialisation, like <c>xavier_uniform_</c>: U(−a, a) with
    /// a = gain·√(6/(fan_in + fan_out)).
    /// </summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = Shape.Fans(tensor.ShapeRef);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>Xavier (Glorot) normal initialisation, like <c>xavier_normal_</c>: N(0, std²) with std = gain·√(2/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (fanIn, fanOut) = Shape.Fans(tensor.ShapeRef);
        return Normal(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }
}
