namespace MiniTorch.Nn;

/// <summary>Softmax along a dimension as a layer, like <c>torch.nn.Softmax(dim)</c>.</summary>
/// <param name="dim">The dimension to normalise; null picks PyTorch's legacy implicit choice.</param>
public sealed class Softmax(int? dim = null) : Module
{
    /// <summary>The dimension normalised.</summary>
    public int? Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Softmax(input, Dim);
    }

    /// <inheritdoc />
    public override string ToString() => $"Softmax(dim={Py.Str(Dim)})";
}

/// <summary>Log-softmax along a dimension as a layer, like <c>torch.nn.LogSoftmax(dim)</c>.</summary>
/// <param name="dim">The dimension to normalise; null picks PyTorch's legacy implicit choice.</param>
public sealed class LogSoftmax(int? dim = null) : Module
{
    /// <summary>The dimension normalised.</summary>
    public int? Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.LogSoftmax(input, Dim);
    }

    /// <inheritdoc />
    public override string ToString() => $"LogSoftmax(dim={Py.Str(Dim)})";
}

/// <summary>softmax(−x) along a dimension as a layer, like <c>torch.nn.Softmin(dim)</c>.</summary>
/// <param name="dim">The dimension to normalise; null picks PyTorch's legacy implicit choice.</param>
public sealed class Softmin(int? dim = null) : Module
{
    /// <summary>The dimension normalised.</summary>
    public int? Dim { get; } = dim;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return F.Softmin(input, Dim);
    }

    /// <inheritdoc />
    public override string ToString() => $"Softmin(dim={Py.Str(Dim)})";
}

/// <summary>How Python prints values in module reprs (<c>None</c>, <c>True</c>, <c>0.1</c>, tuples).</summary>
internal static class Py
{
    public static string Str(int? v) => v is { } i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None";
    public static string Str(double? v) => v is { } d ? Printing.PythonFloat.Repr(d) : "None";
    public static string Str(bool v) => v ? "True" : "False";
    public static string Tuple(IReadOnlyList<int> v) => v.Count == 1 ? $"({v[0]},)" : "(" + string.Join(", ", v) + ")";
}
