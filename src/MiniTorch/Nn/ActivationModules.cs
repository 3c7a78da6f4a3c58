using static MiniTorch.Nn.Py;

namespace MiniTorch.Nn;

// Modules of the activations in F.Pointwise.cs. PyTorch's `inplace` flags are accepted for
// signature compatibility; the result is always a new tensor (the input is left as it was).

/// <summary>ELU as a layer, like <c>torch.nn.ELU(alpha=1.0)</c>.</summary>
public sealed class ELU(double alpha = 1.0, bool inplace = false) : Module
{
    /// <summary>α, the value approached for large negative inputs (negated).</summary>
    public double Alpha { get; } = alpha;
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Elu(input, Alpha);
    }
    /// <inheritdoc />
    public override string ToString() => $"ELU(alpha={Str(Alpha)}{(Inplace ? ", inplace=True" : "")})";
}

/// <summary>SELU as a layer, like <c>torch.nn.SELU()</c>.</summary>
public sealed class SELU(bool inplace = false) : Module
{
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Selu(input);
    }
    /// <inheritdoc />
    public override string ToString() => Inplace ? "SELU(inplace=True)" : "SELU()";
}

/// <summary>CELU as a layer, like <c>torch.nn.CELU(alpha=1.0)</c>.</summary>
public sealed class CELU(double alpha = 1.0, bool inplace = false) : Module
{
    /// <summary>α.</summary>
    public double Alpha { get; } = alpha;
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Celu(input, Alpha);
    }
    /// <inheritdoc />
    public override string ToString() => $"CELU(alpha={Str(Alpha)}{(Inplace ? ", inplace=True" : "")})";
}

/// <summary>GELU as a layer, like <c>torch.nn.GELU(approximate='none')</c>.</summary>
public sealed class GELU : Module
{
    /// <summary>Creates the layer.</summary>
    public GELU(GeluApproximate approximate = GeluApproximate.None)
    {
        Argument.Defined(approximate);
        Approximate = approximate;
    }
    /// <summary>Creates the layer from PyTorch's string (<c>"none"</c> or <c>"tanh"</c>).</summary>
    public GELU(string approximate)
    {
        ArgumentNullException.ThrowIfNull(approximate);
        Approximate = F.ParseGelu(approximate);
    }
    /// <summary>Exact or tanh approximation.</summary>
    public GeluApproximate Approximate { get; }
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Gelu(input, Approximate);
    }
    /// <inheritdoc />
    public override string ToString() => $"GELU(approximate='{(Approximate == GeluApproximate.Tanh ? "tanh" : "none")}')";
}

/// <summary>SiLU (swish) as a layer, like <c>torch.nn.SiLU()</c>.</summary>
public sealed class SiLU(bool inplace = false) : Module
{
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Silu(input);
    }
    /// <inheritdoc />
    public override string ToString() => Inplace ? "SiLU(inplace=True)" : "SiLU()";
}

/// <summary>Mish as a layer, like <c>torch.nn.Mish()</c>.</summary>
public sealed class Mish(bool inplace = false) : Module
{
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Mish(input);
    }
    /// <inheritdoc />
    public override string ToString() => Inplace ? "Mish(inplace=True)" : "Mish()";
}

/// <summary>Softsign as a layer, like <c>torch.nn.Softsign()</c>.</summary>
public sealed class Softsign : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Softsign(input);
    }
    /// <inheritdoc />
    public override string ToString() => "Softsign()";
}

/// <summary>Hardtanh as a layer, like <c>torch.nn.Hardtanh(min_val=-1.0, max_val=1.0)</c>.</summary>
public sealed class Hardtanh : Module
{
    /// <summary>Creates the layer.</summary>
    public Hardtanh(double minVal = -1.0, double maxVal = 1.0, bool inplace = false)
    {
        if (!(maxVal > minVal)) throw new ArgumentException("max_val must be larger than min_val");
        (MinVal, MaxVal, Inplace) = (minVal, maxVal, inplace);
    }
    /// <summary>The lower bound.</summary>
    public double MinVal { get; }
    /// <summary>The upper bound.</summary>
    public double MaxVal { get; }
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; }
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Hardtanh(input, MinVal, MaxVal);
    }
    /// <inheritdoc />
    public override string ToString() => $"Hardtanh(min_val={Str(MinVal)}, max_val={Str(MaxVal)}{(Inplace ? ", inplace=True" : "")})";
}

/// <summary>ReLU6 as a layer, like <c>torch.nn.ReLU6()</c>.</summary>
public sealed class ReLU6(bool inplace = false) : Module
{
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Relu6(input);
    }
    /// <inheritdoc />
    public override string ToString() => Inplace ? "ReLU6(inplace=True)" : "ReLU6()";
}

/// <summary>Hardsigmoid as a layer, like <c>torch.nn.Hardsigmoid()</c>.</summary>
public sealed class Hardsigmoid(bool inplace = false) : Module
{
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Hardsigmoid(input);
    }
    /// <inheritdoc />
    public override string ToString() => "Hardsigmoid()";
}

/// <summary>Hardswish as a layer, like <c>torch.nn.Hardswish()</c>.</summary>
public sealed class Hardswish(bool inplace = false) : Module
{
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Hardswish(input);
    }
    /// <inheritdoc />
    public override string ToString() => "Hardswish()";
}

/// <summary>Threshold as a layer, like <c>torch.nn.Threshold(threshold, value)</c>.</summary>
public sealed class Threshold(double threshold, double value, bool inplace = false) : Module
{
    /// <summary>Values at or below it are replaced.</summary>
    public double ThresholdValue { get; } = threshold;
    /// <summary>The replacement.</summary>
    public double Value { get; } = value;
    /// <summary>Accepted for PyTorch compatibility; the result is always a new tensor.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Threshold(input, ThresholdValue, Value);
    }
    /// <inheritdoc />
    public override string ToString() => $"Threshold(threshold={Str(ThresholdValue)}, value={Str(Value)}{(Inplace ? ", inplace=True" : "")})";
}

/// <summary>log σ(x) as a layer, like <c>torch.nn.LogSigmoid()</c>.</summary>
public sealed class LogSigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.LogSigmoid(input);
    }
    /// <inheritdoc />
    public override string ToString() => "LogSigmoid()";
}

/// <summary>The gated linear unit as a layer, like <c>torch.nn.GLU(dim=-1)</c>.</summary>
public sealed class GLU(int dim = -1) : Module
{
    /// <summary>The dimension split in halves.</summary>
    public int Dim { get; } = dim;
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Glu(input, Dim);
    }
    /// <inheritdoc />
    public override string ToString() => $"GLU(dim={Dim})";
}
