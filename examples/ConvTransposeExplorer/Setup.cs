namespace ConvTransposeExplorer;

/// <summary>Whose conventions the page follows: PyTorch's numeric padding, or Keras' 'valid'/'same'.</summary>
public enum Convention { PyTorch, Keras }

/// <summary>A (height, width) pair; 1-d set-ups keep the trivial height values (size 1, kernel 1, stride 1, padding 0, dilation 1).</summary>
public readonly record struct Pair(int H, int W)
{
    /// <summary>"(h, w)" in 2-d, "w" in 1-d, as PyTorch prints tuples and ints.</summary>
    public string Format(int rank) => rank == 1 ? W.ToString() : $"({H}, {W})";
}

/// <summary>
/// One state of the explorer, fully resolved: every size, the values of the input and the weight, and
/// the conventions. It round-trips through the query string (<see cref="ToQuery"/>), so every state
/// has a deep link.
/// </summary>
/// <param name="Rank">1 or 2 spatial dimensions.</param>
/// <param name="Convention">PyTorch or Keras.</param>
/// <param name="KerasPadding">"valid" or "same" (Keras only).</param>
/// <param name="DType">Float32 (the seeds' torch.Tensor) or Float64.</param>
/// <param name="InChannels">Channels of the transposed convolution's input.</param>
/// <param name="OutChannels">Channels of its output.</param>
/// <param name="Input">Spatial size of the input.</param>
/// <param name="Kernel">Kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">PyTorch's padding (0 in Keras mode).</param>
/// <param name="OutputPadding">PyTorch's output_padding (0 in Keras mode).</param>
/// <param name="Dilation">Dilation.</param>
/// <param name="XSpec">The input values as given: numbers, or ones / arange / linspace:a:b / randn:seed.</param>
/// <param name="WSpec">The weight values as given, in PyTorch's [in, out, kH, kW] order.</param>
/// <param name="X">The input values, [InChannels, H, W] row-major.</param>
/// <param name="WeightValues">The weight values, [InChannels, OutChannels, kH, kW] row-major.</param>
/// <param name="Preset">The preset the state came from, if unchanged.</param>
public sealed record Setup(
    int Rank, Convention Convention, string KerasPadding, DType DType, int InChannels, int OutChannels,
    Pair Input, Pair Kernel, Pair Stride, Pair Padding, Pair OutputPadding, Pair Dilation,
    string XSpec, string WSpec, double[] X, double[] WeightValues, string? Preset)
{
    /// <summary>The input tensor [1, C_in, H, W] (H = 1 in 1-d).</summary>
    public Tensor InputTensor() => Torch.FromArray(X, 1, InChannels, Input.H, Input.W).To(DType);

    /// <summary>The weight tensor [C_in, C_out, kH, kW] (kH = 1 in 1-d).</summary>
    public Tensor WeightTensor() => Torch.FromArray(WeightValues, InChannels, OutChannels, Kernel.H, Kernel.W).To(DType);

    /// <summary>True in Keras mode.</summary>
    public bool IsKeras => Convention == Convention.Keras;

    /// <summary>The state as a query string, without the preset (every value explicit).</summary>
    public string ToQuery()
    {
        string P(Pair p) => Rank == 1 ? p.W.ToString() : $"{p.H},{p.W}";
        var parts = new List<string>
        {
            $"rank={Rank}", $"conv={(IsKeras ? "keras" : "pytorch")}", $"dtype={(DType == DType.Float64 ? "float64" : "float32")}",
            $"cin={InChannels}", $"cout={OutChannels}", $"in={P(Input)}", $"k={P(Kernel)}", $"s={P(Stride)}",
            IsKeras ? $"p={KerasPadding}" : $"p={P(Padding)}", $"op={P(OutputPadding)}", $"d={P(Dilation)}",
            $"x={Uri.EscapeDataString(XSpec)}", $"w={Uri.EscapeDataString(WSpec)}",
        };
        return string.Join("&", parts);
    }
}
