namespace MiniTorch.Nn;

/// <summary>
/// What <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/> share, like PyTorch's <c>_ConvNd</c>:
/// the hyper-parameters, the weight and bias, and PyTorch's initialisation.
/// </summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5) on the weight tensor, i.e. weight ~
/// U(±1/√fan_in), and bias ~ U(±1/√fan_in), where fan_in is computed from the weight's own layout
/// (in/groups·kH·kW for Conv2d's [out, in/groups, kH, kW], out/groups·kH·kW for ConvTranspose2d's
/// [in, out/groups, kH, kW]).
/// </remarks>
public abstract class ConvModule : Module
{
    /// <summary>Validates the channel counts and creates the weight (of shape <paramref name="weightShape"/>) and bias.</summary>
    private protected ConvModule(int inChannels, int outChannels, Size2 kernelSize, Size2? stride, Padding2d? padding, Size2? dilation,
                                 int groups, bool bias, int[] weightShape, Generator? generator)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) =
            (inChannels, outChannels, kernelSize, stride ?? 1, padding ?? 0, dilation ?? 1, groups);
        var weight = Init.KaimingUniform(Torch.Zeros(weightShape), a: Math.Sqrt(5), generator: generator);
        RegisterParameter("weight", weight);
        int fanIn = Init.CalculateFanInAndFanOut(weight).FanIn;
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        RegisterParameter("bias", bias ? Init.Uniform(Torch.Zeros([outChannels]), -bound, bound, generator) : null);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel size.</summary>
    public Size2 KernelSize { get; }
    /// <summary>Stride.</summary>
    public Size2 Stride { get; }
    /// <summary>Padding (explicit, or 'same'/'valid').</summary>
    public Padding2d Padding { get; }
    /// <summary>Dilation.</summary>
    public Size2 Dilation { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }

    /// <summary>The learnable weight.</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The learnable bias [out], or null.</summary>
    public Tensor? Bias => GetParameter("bias");
}
