using MiniTorch.Functions;
using MiniTorch.Kernels;

namespace MiniTorch.Nn;

/// <summary>GELU's form, PyTorch's <c>approximate=</c> argument.</summary>
public enum GeluApproximate
{
    /// <summary>"none": x·Φ(x) with the exact normal CDF (the error function).</summary>
    None,
    /// <summary>"tanh": ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    Tanh,
}

public static partial class F
{
    /// <summary>ELU, like <c>torch.nn.functional.elu</c>: x if x &gt; 0, else α(eˣ − 1).</summary>
    /// <remarks>The derivative at 0 is α (PyTorch takes the x ≤ 0 side); grad_fn <c>EluBackward0</c>.</remarks>
    public static Tensor Elu(Tensor input, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.Elu, alpha, 1, "elu");
    }

    /// <summary>SELU, like <c>torch.nn.functional.selu</c>: scale·(x if x &gt; 0, else α(eˣ − 1)) with PyTorch's α ≈ 1.6733 and scale ≈ 1.0507.</summary>
    public static Tensor Selu(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.Elu, Pointwise.SeluAlpha, Pointwise.SeluScale, "elu");
    }

    /// <summary>CELU, like <c>torch.nn.functional.celu</c>: max(0, x) + min(0, α(e^(x/α) − 1)).</summary>
    public static Tensor Celu(Tensor input, double alpha = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (alpha == 0) throw new ArgumentException("ZeroDivisionError: alpha cannot be 0 for CELU");
        return ActivationBackward.Apply(input, Activation1.Celu, alpha, 0, "elu");
    }

    /// <summary>GELU, like <c>torch.nn.functional.gelu</c>: x·Φ(x), or its tanh approximation.</summary>
    /// <remarks>Φ(x) = ½(1 + erf(x/√2)); tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))); grad_fn <c>GeluBackward0</c>.</remarks>
    public static Tensor Gelu(Tensor input, GeluApproximate approximate = GeluApproximate.None)
    {
        ArgumentNullException.ThrowIfNull(input);
        Argument.Defined(approximate);
        return ActivationBackward.Apply(input, approximate == GeluApproximate.Tanh ? Activation1.GeluTanh : Activation1.Gelu, op: "GeluKernelImpl");
    }

    /// <summary>GELU with PyTorch's string argument (<c>"none"</c> or <c>"tanh"</c>).</summary>
    public static Tensor Gelu(Tensor input, string approximate)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(approximate);
        return Gelu(input, ParseGelu(approximate));
    }

    internal static GeluApproximate ParseGelu(string approximate) => approximate switch
    {
        "none" => GeluApproximate.None,
        "tanh" => GeluApproximate.Tanh,
        _ => throw new ArgumentException($"approximate argument must be either none or tanh, got '{approximate}'"),
    };

    /// <summary>SiLU (swish), like <c>torch.nn.functional.silu</c>: x·σ(x).</summary>
    public static Tensor Silu(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.Silu, op: "silu");
    }

    /// <summary>Mish, like <c>torch.nn.functional.mish</c>: x·tanh(ln(1 + eˣ)).</summary>
    public static Tensor Mish(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.Mish, op: "mish");
    }

    /// <summary>Softsign, like <c>torch.nn.functional.softsign</c>: x / (1 + |x|) (an int64 input gives float32, as PyTorch's true division).</summary>
    public static Tensor Softsign(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType == DType.Bool) throw DTypes.NotImplemented("abs_cpu", input.DType);
        return ActivationBackward.Apply(input.FloatOrDefault(), Activation1.Softsign, op: "softsign");
    }

    /// <summary>
    /// Hardtanh, like <c>torch.nn.functional.hardtanh</c>: x clamped to [minVal, maxVal] (derivative 0 at
    /// the bounds). An int64 input stays int64, its bounds truncated to integers as PyTorch's kernel does.
    /// As the functional form in PyTorch, minVal &gt; maxVal is accepted and gives maxVal everywhere (the
    /// module, like <c>nn.Hardtanh</c>, refuses it).
    /// </summary>
    public static Tensor Hardtanh(Tensor input, double minVal = -1.0, double maxVal = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType == DType.Bool) throw new ArgumentException("Bool inputs not supported for hardtanh");
        if (input.DType == DType.Int64) return input.Clamp((long)minVal, (long)maxVal);
        return ActivationBackward.Apply(input, Activation1.Hardtanh, minVal, maxVal, "hardtanh");
    }

    /// <summary>ReLU6, like <c>torch.nn.functional.relu6</c>: min(max(x, 0), 6), i.e. Hardtanh(0, 6).</summary>
    public static Tensor Relu6(Tensor input) => Hardtanh(input, 0, 6);

    /// <summary>Hardsigmoid, like <c>torch.nn.functional.hardsigmoid</c>: min(max(x + 3, 0), 6)/6.</summary>
    public static Tensor Hardsigmoid(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.Hardsigmoid, op: "hardsigmoid");
    }

    /// <summary>Hardswish, like <c>torch.nn.functional.hardswish</c>: x·min(max(x + 3, 0), 6)/6.</summary>
    public static Tensor Hardswish(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.Hardswish, op: "hardswish");
    }

    /// <summary>Threshold, like <c>torch.nn.functional.threshold</c>: x where x &gt; threshold, else value.</summary>
    /// <remarks>An int64 input stays int64: threshold and value are truncated to integers, as PyTorch's kernel does.</remarks>
    public static Tensor Threshold(Tensor input, double threshold, double value)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.DType == DType.Int64) return Torch.Where(input.Le((long)threshold), (long)value, input);
        return ActivationBackward.Apply(input, Activation1.Threshold, threshold, value, "threshold");
    }

    /// <summary>log σ(x), like <c>torch.nn.functional.logsigmoid</c>, computed stably as min(x, 0) − ln(1 + e^(−|x|)).</summary>
    public static Tensor LogSigmoid(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ActivationBackward.Apply(input, Activation1.LogSigmoid, op: "log_sigmoid_forward");
    }

    /// <summary>
    /// The gated linear unit, like <c>torch.nn.functional.glu</c>: the input split in halves a, b
    /// along <paramref name="dim"/>, then a·σ(b).
    /// </summary>
    public static Tensor Glu(Tensor input, int dim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim == 0) throw new ArgumentException("glu does not support scalars because halving size must be even");
        int d = Shape.WrapDim(dim, input.Dim);
        int size = input.ShapeRef[d];
        if (size % 2 != 0) throw new ArgumentException($"Halving dimension must be even, but dimension {d} is size {size}");
        input.RequireFloat("glu");
        return input.Narrow(d, 0, size / 2) * input.Narrow(d, size / 2, size / 2).Sigmoid();
    }
}
