using MiniTorch;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace SuperResolution;

/// <summary>
/// FSRCNN (Dong, Loy and Tang, "Accelerating the Super-Resolution Convolutional Neural Network",
/// ECCV 2016) on one channel: feature extraction, shrinking, m mapping layers, expanding, and a
/// transposed convolution that upscales by <c>scale</c>.
/// </summary>
/// <remarks>
/// The children are named as in the common PyTorch implementation (yjn870/FSRCNN-pytorch:
/// <c>first_part</c>, <c>mid_part</c>, <c>last_part</c>), so its state dicts load by name, e.g.
/// <c>first_part.0.weight</c>. The deconvolution's padding 4 and output padding scale − 1 make the
/// output exactly scale·H × scale·W: (H − 1)·scale − 8 + 9 + scale − 1 = scale·H.
/// </remarks>
public sealed class FSRCNN : Module, IOnnxChain
{
    /// <summary>Creates the network, initialised as the reference implementation does.</summary>
    /// <param name="scale">The upscaling factor (the deconvolution's stride).</param>
    /// <param name="d">Feature channels (LR feature dimension).</param>
    /// <param name="s">Shrunk channels.</param>
    /// <param name="m">Mapping layers.</param>
    /// <param name="generator">Random source for the initialisation.</param>
    public FSRCNN(int scale, int d = 56, int s = 12, int m = 4, Generator? generator = null)
    {
        if (scale < 1) throw new ArgumentException($"FSRCNN: scale must be at least 1, got {scale}");
        if (d < 1 || s < 1 || m < 0) throw new ArgumentException($"FSRCNN: need d ≥ 1, s ≥ 1, m ≥ 0, got d={d}, s={s}, m={m}");
        (Scale, D, S, M) = (scale, d, s, m);
        FirstPart = RegisterModule("first_part", new Sequential(new Conv2d(1, d, 5, padding: 2, generator: generator), new PReLU(d)));
        var mid = new Sequential(new Conv2d(d, s, 1, generator: generator), new PReLU(s));
        for (int i = 0; i < m; i++) mid.Append(new Conv2d(s, s, 3, padding: 1, generator: generator)).Append(new PReLU(s));
        mid.Append(new Conv2d(s, d, 1, generator: generator)).Append(new PReLU(d));
        MidPart = RegisterModule("mid_part", mid);
        LastPart = RegisterModule("last_part", new ConvTranspose2d(d, 1, 9, stride: scale, padding: 4, outputPadding: scale - 1, generator: generator));
        InitializeWeights(generator);
    }

    /// <summary>The upscaling factor.</summary>
    public int Scale { get; }
    /// <summary>Feature channels.</summary>
    public int D { get; }
    /// <summary>Shrunk channels.</summary>
    public int S { get; }
    /// <summary>Mapping layers.</summary>
    public int M { get; }

    /// <summary>Conv 5×5 to d channels, then PReLU.</summary>
    public Sequential FirstPart { get; }
    /// <summary>Shrink, m mapping convolutions and expand, each followed by PReLU.</summary>
    public Sequential MidPart { get; }
    /// <summary>The upscaling transposed convolution.</summary>
    public ConvTranspose2d LastPart { get; }

    /// <summary>
    /// The reference initialisation: conv weights ~ N(0, 2/(out·kH·kW)) (He, fan-out), zero biases,
    /// deconvolution weight ~ N(0, 0.001²).
    /// </summary>
    private void InitializeWeights(Generator? generator)
    {
        foreach (var conv in FirstPart.Concat(MidPart).OfType<Conv2d>())
        {
            Init.Normal(conv.Weight, 0, Math.Sqrt(2.0 / (conv.OutChannels * conv.KernelSize.H * conv.KernelSize.W)), generator);
            Init.Zeros(conv.Bias!);
        }
        Init.Normal(LastPart.Weight, 0, 0.001, generator);
        Init.Zeros(LastPart.Bias!);
    }

    /// <summary>
    /// Re-initialises channel 0 of every layer so that the network starts as bicubic upscaling
    /// (exact away from the borders for scale 2; a 9-tap truncation of it for larger scales): the
    /// convolutions pass the input through channel 0 (PReLU is the identity on luma ≥ 0) and the
    /// deconvolution's channel-0 kernel holds the bicubic taps. The other channels keep their
    /// random weights but start with zero influence on the output.
    /// </summary>
    /// <remarks>
    /// Tap k of the 9×9 kernel weighs the input pixel at distance t = (4 − k − ½)/scale + ½ from
    /// PyTorch's bicubic source coordinate (dst + ½)/scale − ½, with the cubic of A = −0.75.
    /// </remarks>
    public FSRCNN InitializeAsBicubic()
    {
        using var _ = Torch.NoGrad();
        foreach (var conv in FirstPart.Concat(MidPart).OfType<Conv2d>())
        {
            var w = conv.Weight;
            var row = w[0];
            var taps = new float[row.Numel];
            taps[(conv.KernelSize.H / 2) * conv.KernelSize.W + conv.KernelSize.W / 2] = 1; // input channel 0, centre tap
            row.CopyFrom(Torch.FromArray(taps, row.Shape));
            conv.Bias![0].CopyFrom(Torch.Scalar(0));
        }
        var k1 = new float[9];
        for (int k = 0; k < 9; k++) k1[k] = (float)Cubic((4 - k - 0.5) / Scale + 0.5);
        var kernel = new float[81];
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++) kernel[i * 9 + j] = k1[i] * k1[j];
        LastPart.Weight.CopyFrom(Torch.ZerosLike(LastPart.Weight));
        LastPart.Weight[0][0].CopyFrom(Torch.FromArray(kernel, 9, 9));
        LastPart.Bias!.CopyFrom(Torch.ZerosLike(LastPart.Bias));
        return this;
    }

    // Keys' cubic convolution kernel with A = −0.75 (PyTorch's bicubic).
    private static double Cubic(double t)
    {
        const double a = -0.75;
        t = Math.Abs(t);
        return t <= 1 ? ((a + 2) * t - (a + 3)) * t * t + 1
             : t < 2 ? ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
             : 0;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => LastPart.Call(MidPart.Call(FirstPart.Call(input)));

    /// <inheritdoc />
    public IEnumerable<Module> OnnxSteps() => [FirstPart, MidPart, LastPart];

    /// <inheritdoc />
    public override string ToString() => $"FSRCNN(scale={Scale}, d={D}, s={S}, m={M})";
}
