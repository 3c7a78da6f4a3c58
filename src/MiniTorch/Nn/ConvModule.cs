using MiniTorch.Kernels;

namespace MiniTorch.Nn;

/// <summary>
/// What every convolution layer shares, like PyTorch's <c>_ConvNd</c>: channels, groups, the weight
/// and bias with PyTorch's initialisation, and the rank-independent hyper-parameters the layers
/// expose in their own types (<see cref="Conv1d"/>, <see cref="Conv2d"/>, <see cref="Conv3d"/> and the
/// transposed three).
/// </summary>
/// <remarks>
/// Initialised as PyTorch does: kaiming_uniform(a = √5) on the weight tensor, i.e. weight ~
/// U(±1/√fan_in), and bias ~ U(±1/√fan_in), where fan_in is computed from the weight's own layout
/// (in/groups·Πk for a convolution's [out, in/groups, k…], out/groups·Πk for a transposed one's
/// [in, out/groups, k…]).
/// </remarks>
public abstract class ConvModule : Module
{
    /// <summary>Validates the arguments as PyTorch's <c>_ConvNd</c> does and creates the weight and bias.</summary>
    private protected ConvModule(int inChannels, int outChannels, int[] kernelSize, int[] stride, ConvPadding padding, int[] dilation,
                                 int groups, bool bias, bool transposed, PaddingMode paddingMode, Generator? generator, DType dtype = DType.Float32)
    {
        if (!Enum.IsDefined(paddingMode))
            throw new ArgumentOutOfRangeException(nameof(paddingMode), $"padding_mode must be one of {{'circular', 'replicate', 'reflect', 'zeros'}}, but got padding_mode='{paddingMode}'");
        Argument.Defined(dtype);
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"{GetType().Name}: dtype must be floating point, got {dtype.ScalarTypeName()}", nameof(dtype));
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        if (transposed && paddingMode != PaddingMode.Zeros)
            throw new ArgumentException($"Only \"zeros\" padding mode is supported for {GetType().Name}");
        if (!transposed && padding.IsSame && stride.Any(s => s != 1))
            throw new ArgumentException("padding='same' is not supported for strided convolutions");
        // Checked before the weights are drawn, so a bad call consumes no randomness.
        (InChannels, OutChannels, Groups, PaddingMode, Transposed) = (inChannels, outChannels, groups, paddingMode, transposed);
        (KernelArray, StrideArray, PaddingArg, DilationArray) = (kernelSize, stride, padding, dilation);
        int[] weightShape = transposed ? [inChannels, outChannels / groups, .. kernelSize] : [outChannels, inChannels / groups, .. kernelSize];
        var weight = Init.KaimingUniform(Torch.Zeros(weightShape, dtype), a: Math.Sqrt(5), generator: generator);
        RegisterParameter("weight", weight);
        int fanIn = Init.CalculateFanInAndFanOut(weight).FanIn;
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        RegisterParameter("bias", bias ? Init.Uniform(Torch.Zeros([outChannels], dtype), -bound, bound, generator) : null);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Groups.</summary>
    public int Groups { get; }
    /// <summary>How the input is padded (transposed convolutions support only <see cref="PaddingMode.Zeros"/>, as in PyTorch).</summary>
    public PaddingMode PaddingMode { get; }

    /// <summary>The learnable weight.</summary>
    public Tensor Weight => GetParameter("weight")!;

    /// <summary>The learnable bias [out], or null.</summary>
    public Tensor? Bias => GetParameter("bias");

    /// <summary>
    /// Which kernel computes each pass of this layer for an input of shape <paramref name="inputShape"/>
    /// (batched or unbatched, as <see cref="Module.Forward"/> takes it): one line for the layer and its
    /// geometry, then one per pass (the layer's forward, its input gradient and its weight gradient) naming
    /// the route and why it runs: the planner's choice on this machine's instruction set, or a route forced
    /// by the <c>MINITORCH_CONV_ROUTE</c> environment variable. The answer to "which kernel runs for this
    /// layer?" that PyTorch gives through <c>torch._C._select_conv_backend</c> or the profiler's op names.
    /// Nothing is computed; the routes are listed in docs/convolution.md.
    /// </summary>
    /// <param name="inputShape">The input's shape, e.g. <c>[4, 64, 8, 8, 8]</c> for a batch of four 64-channel 8³ volumes.</param>
    /// <returns>Four lines, e.g. <c>forward: DirectPhasePlanes (planner, Vector512)</c> for a ConvTranspose3d's forward.</returns>
    /// <exception cref="ArgumentException">The shape does not fit the layer (rank, channels, or an empty output), with the same message the forward would give.</exception>
    public string Describe(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        int rank = KernelArray.Length;
        string op = Transposed ? $"conv_transpose{rank}d" : $"conv{rank}d";
        int[] shape = Shape.CheckConvInputRank(inputShape, rank, op) ? [1, .. inputShape] : [.. inputShape];
        int[]? biasShape = Bias?.ShapeRef;
        ConvGeometry g;
        if (Transposed)
            g = Shape.ConvTranspose(shape, Weight.ShapeRef, biasShape, StrideArray, PaddingArg, OutputPaddingArray, Groups, DilationArray);
        else if (PaddingMode == PaddingMode.Zeros)
            g = Shape.Conv(shape, Weight.ShapeRef, biasShape, StrideArray, PaddingArg, DilationArray, Groups);
        else
        {
            // As the forward: padded by F.Pad first, then convolved without padding.
            var (before, after) = Shape.ConvPaddings(PaddingArg, KernelArray, StrideArray, DilationArray);
            for (int d = 0; d < rank; d++) shape[2 + d] += before[d] + after[d];
            g = Shape.Conv(shape, Weight.ShapeRef, biasShape, StrideArray, new ConvPadding(ConvPaddingKind.Explicit, new int[rank]), DilationArray, Groups);
        }
        // The transposed layer's forward is the geometry's input-gradient pass, and the other way round.
        var (forward, inputGrad) = Transposed ? (ConvPass.InputGrad, ConvPass.Forward) : (ConvPass.Forward, ConvPass.InputGrad);
        var output = Transposed ? g.BigShape : g.SmallShape;
        return $"{GetType().Name} on input {Shape.Format(inputShape)} -> {Shape.Format(output[(shape.Length - inputShape.Length)..])} ({g})\n"
               + $"  forward: {ConvPlanner.RouteAndReason(g, forward)}\n"
               + $"  input gradient: {ConvPlanner.RouteAndReason(g, inputGrad)}\n"
               + $"  weight gradient: {ConvPlanner.RouteAndReason(g, ConvPass.WeightGrad)}";
    }

    /// <summary>Whether the layer is a transposed convolution.</summary>
    private protected bool Transposed { get; }

    /// <summary>The transposed layers' output padding (zeros for a convolution).</summary>
    private protected virtual int[] OutputPaddingArray => new int[KernelArray.Length];

    internal int[] KernelArray { get; }
    internal int[] StrideArray { get; }
    internal ConvPadding PaddingArg { get; }
    internal int[] DilationArray { get; }

    /// <summary>
    /// The convolution's forward for every rank: with a padding mode other than zeros the input is
    /// padded with <see cref="F.Pad"/> first (by <c>Shape.ConvPaddings</c>, where 'same' is resolved)
    /// and then convolved without padding, as PyTorch does.
    /// </summary>
    private protected Tensor ConvForward(Tensor input, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (PaddingMode == PaddingMode.Zeros) return F.Convolution(op, input, Weight, Bias, StrideArray, PaddingArg, DilationArray, Groups);
        var (before, after) = Shape.ConvPaddings(PaddingArg, KernelArray, StrideArray, DilationArray);
        var pad = new int[2 * before.Length];
        for (int d = 0; d < before.Length; d++)
        {
            int fromLast = before.Length - 1 - d;
            (pad[2 * fromLast], pad[2 * fromLast + 1]) = (before[d], after[d]);
        }
        var mode = PaddingMode switch { PaddingMode.Reflect => PadMode.Reflect, PaddingMode.Replicate => PadMode.Replicate, _ => PadMode.Circular };
        return F.Convolution(op, F.Pad(input, pad, mode), Weight, Bias, StrideArray, new ConvPadding(ConvPaddingKind.Explicit, new int[before.Length]), DilationArray, Groups);
    }

    /// <summary>
    /// The transposed forward for every rank: <paramref name="outputSize"/> (spatial, or the whole
    /// shape) picks one of the sizes in [min, min + stride − 1] that the convolution maps back to the
    /// input size, like PyTorch's <c>output_size</c>; otherwise <paramref name="outputPadding"/> is used.
    /// </summary>
    private protected Tensor TransposedForward(Tensor input, int[]? outputSize, int[] outputPadding, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (outputSize is not null) outputPadding = OutputPaddingFor(input, outputSize, op);
        return F.TransposedConvolution(op, input, Weight, Bias, StrideArray, PaddingArg, outputPadding, Groups, DilationArray);
    }

    private int[] OutputPaddingFor(Tensor input, int[] outputSize, string op)
    {
        if (PaddingArg.IsSame || PaddingArg.IsValid)
            throw new ArgumentException($"outputSize cannot be combined with padding={PaddingArg}");
        Shape.CheckConvInputRank(input.ShapeRef, KernelArray.Length, op);
        return Shape.ConvTransposeOutputPadding(input.ShapeRef, outputSize, KernelArray, StrideArray, PaddingArg.Amounts, DilationArray);
    }
}
