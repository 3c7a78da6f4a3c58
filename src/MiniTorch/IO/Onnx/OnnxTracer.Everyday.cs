using MiniTorch.Nn;

namespace MiniTorch.IO;

/// <summary>
/// The ONNX mapping of the everyday layers (softmax family, activations, pooling, norms, pixel
/// shuffle, unflatten). Layers ONNX has an operator for map to it; the others are written as the
/// small operator graphs PyTorch's exporter also uses (GELU with Erf, SiLU as x·σ(x), …). Forms
/// ONNX cannot express exactly (a divisor override, adaptive windows that do not tile the input)
/// are refused with a message naming the module.
/// </summary>
internal sealed partial class OnnxTracer
{
    private const string EverydaySupported =
        "Softmax, LogSoftmax, Softmin, ELU, SELU, CELU, GELU, SiLU, Mish, Softsign, Hardtanh, ReLU6, Hardsigmoid, Hardswish, Threshold, LogSigmoid, GLU, " +
        "MaxPool1d/2d/3d, AvgPool1d/2d/3d, AdaptiveAvgPool1d/2d/3d and AdaptiveMaxPool1d/2d (tiling windows), BatchNorm1d/3d, InstanceNorm1d/2d/3d, LayerNorm, GroupNorm, " +
        "PixelShuffle, PixelUnshuffle, Unflatten, Identity, Dropout1d/2d/3d";

    /// <summary>The output name of <paramref name="m"/>'s nodes, or null if it is not an everyday layer.</summary>
    private string? EverydayLayer(Module m, string path, string x, Tensor value, Tensor y) => m switch
    {
        Nn.Softmax sm => Node("Softmax", path, [x]).With("axis", (long)SoftmaxAxis(sm.Dim, value.Dim)).Outputs[0],
        LogSoftmax ls => Node("LogSoftmax", path, [x]).With("axis", (long)SoftmaxAxis(ls.Dim, value.Dim)).Outputs[0],
        Softmin sn => Node("Softmax", path, [Simple("Neg", path + ".neg", x)]).With("axis", (long)SoftmaxAxis(sn.Dim, value.Dim)).Outputs[0],
        ELU elu => Node("Elu", path, [x]).With("alpha", (float)elu.Alpha).Outputs[0],
        SELU => Node("Selu", path, [x]).With("alpha", (float)Kernels.Pointwise.SeluAlpha).With("gamma", (float)Kernels.Pointwise.SeluScale).Outputs[0],
        CELU celu => Node("Celu", path, [x]).With("alpha", (float)celu.Alpha).Outputs[0],
        GELU gelu => Gelu(gelu, path, x),
        SiLU => Binary("Mul", path, x, Simple("Sigmoid", path + ".sigmoid", x)),
        Mish => Binary("Mul", path, x, Simple("Tanh", path + ".tanh", Simple("Softplus", path + ".softplus", x))),
        Softsign => Simple("Softsign", path, x),
        Hardtanh ht => Clip(path, x, ht.MinVal, ht.MaxVal),
        ReLU6 => Clip(path, x, 0, 6),
        Hardsigmoid => Node("HardSigmoid", path, [x]).With("alpha", 1f / 6).With("beta", 0.5f).Outputs[0],
        Hardswish => opset >= 14 ? Simple("HardSwish", path, x)
            : Binary("Mul", path, x, Node("HardSigmoid", path + ".hardsigmoid", [x]).With("alpha", 1f / 6).With("beta", 0.5f).Outputs[0]),
        Threshold th => Node("Where", path, [Binary("Greater", path + ".greater", x, Constant(path + ".threshold", th.ThresholdValue)), x,
                                             Constant(path + ".value", th.Value)]).Outputs[0],
        LogSigmoid => Simple("Neg", path, Simple("Softplus", path + ".softplus", Simple("Neg", path + ".neg", x))),
        GLU glu => Glu(glu, path, x, value),
        MaxPool1d p => Pool("MaxPool", path, x, [p.KernelSize], [p.Stride], [p.Padding], [p.Dilation], p.CeilMode, null),
        MaxPool2d p => Pool("MaxPool", path, x, Ints(p.KernelSize), Ints(p.Stride), Ints(p.Padding), Ints(p.Dilation), p.CeilMode, null),
        MaxPool3d p => Pool("MaxPool", path, x, Ints(p.KernelSize), Ints(p.Stride), Ints(p.Padding), Ints(p.Dilation), p.CeilMode, null),
        AvgPool1d p => Pool("AveragePool", path, x, [p.KernelSize], [p.Stride], [p.Padding], null, p.CeilMode, p.CountIncludePad),
        AvgPool2d p => p.DivisorOverride is null ? Pool("AveragePool", path, x, Ints(p.KernelSize), Ints(p.Stride), Ints(p.Padding), null, p.CeilMode, p.CountIncludePad) : Refuse(path, "AvgPool2d with divisor_override has no ONNX AveragePool equivalent"),
        AvgPool3d p => p.DivisorOverride is null ? Pool("AveragePool", path, x, Ints(p.KernelSize), Ints(p.Stride), Ints(p.Padding), null, p.CeilMode, p.CountIncludePad) : Refuse(path, "AvgPool3d with divisor_override has no ONNX AveragePool equivalent"),
        AdaptiveAvgPool1d or AdaptiveAvgPool2d or AdaptiveAvgPool3d => Adaptive("AveragePool", "GlobalAveragePool", path, x, value, y),
        AdaptiveMaxPool1d or AdaptiveMaxPool2d => Adaptive("MaxPool", "GlobalMaxPool", path, x, value, y),
        InstanceNormBase inorm => InstanceNorm(inorm, path, x, value),
        Nn.LayerNorm ln => LayerNorm(ln, path, x),
        GroupNorm gn => GroupNorm(gn, path, x, value),
        PixelShuffle ps when value.Dim == 4 => Node("DepthToSpace", path, [x]).With("blocksize", (long)ps.UpscaleFactor).With("mode", "CRD").Outputs[0],
        PixelUnshuffle pu when value.Dim == 4 => PixelUnshuffle(pu, path, x, value, y),
        Unflatten => Reshape(path, x, y),
        Embedding => Refuse(path, "Embedding takes int64 ids, and the exporter's graph input is float32"),
        _ => null,
    };

    private static long[] Ints(Size2 s) => [s.H, s.W];
    private static long[] Ints(Size3 s) => [s.D, s.H, s.W];

    private static string Refuse(string path, string why) => throw new NotSupportedException($"ONNX export of '{path}': {why}");

    private static int SoftmaxAxis(int? dim, int rank) => Shape.WrapDim(dim ?? (rank is 0 or 1 or 3 ? 0 : 1), rank);

    private string Binary(string op, string path, string a, string b) => Node(op, path, [a, b]).Outputs[0];

    private string Constant(string path, double v) => graph.Initializer(path, Torch.Scalar(v));

    private string Clip(string path, string x, double min, double max) => Node("Clip", path, [x, Constant(path + ".min", min), Constant(path + ".max", max)]).Outputs[0];

    private string Reshape(string path, string x, Tensor y)
    {
        SizeAgnostic = false;
        return Node("Reshape", path, [x, graph.Int64Initializer(path + ".shape", y.Shape.Select(d => (long)d).ToArray())]).Outputs[0];
    }

    /// <summary>GELU as PyTorch exports it: x·½(1 + erf(x/√2)), or the tanh form with x + 0.044715x³.</summary>
    private string Gelu(GELU gelu, string path, string x)
    {
        string half = Binary("Mul", path + ".half", x, Constant(path + ".c_half", 0.5));
        string inner;
        if (gelu.Approximate == GeluApproximate.None)
            inner = Simple("Erf", path + ".erf", Binary("Div", path + ".scale", x, Constant(path + ".c_sqrt2", Math.Sqrt(2))));
        else
        {
            string cube = Binary("Mul", path + ".cube", x, Binary("Mul", path + ".square", x, x));
            string poly = Binary("Add", path + ".poly", x, Binary("Mul", path + ".kappa", cube, Constant(path + ".c_kappa", 0.044715)));
            inner = Simple("Tanh", path + ".tanh", Binary("Mul", path + ".beta", poly, Constant(path + ".c_beta", Math.Sqrt(2 / Math.PI))));
        }
        return Binary("Mul", path, half, Binary("Add", path + ".one_plus", inner, Constant(path + ".c_one", 1)));
    }

    /// <summary>GLU: the first half of the split dimension times σ(the second half), with Slice.</summary>
    private string Glu(GLU glu, string path, string x, Tensor value)
    {
        int axis = Shape.WrapDim(glu.Dim, value.Dim), half = value.ShapeRef[axis] / 2;
        string Slice(string name, long start, long end) => Node("Slice", path + "." + name,
            [x, graph.Int64Initializer(path + "." + name + "_starts", [start]), graph.Int64Initializer(path + "." + name + "_ends", [end]),
             graph.Int64Initializer(path + "." + name + "_axes", [axis])]).Outputs[0];
        return Binary("Mul", path, Slice("a", 0, half), Simple("Sigmoid", path + ".sigmoid", Slice("b", half, 2 * half)));
    }

    private string Pool(string op, string path, string x, long[] kernel, long[] stride, long[] padding, long[]? dilation, bool ceilMode, bool? countIncludePad)
    {
        var node = Node(op, path, [x])
            .With("ceil_mode", ceilMode ? 1L : 0L);
        if (countIncludePad is { } cip) node.With("count_include_pad", cip ? 1L : 0L);
        if (dilation is not null) node.With("dilations", dilation);
        return node.With("kernel_shape", kernel)
            .With("pads", padding.Concat(padding).ToArray())
            .With("strides", stride).Outputs[0];
    }

    /// <summary>Adaptive pooling as a global pool (output 1) or a pool whose windows tile the input (input divisible by output).</summary>
    private string Adaptive(string op, string global, string path, string x, Tensor value, Tensor y)
    {
        int rank = value.Dim - 2;
        if (rank < 1) return Refuse(path, "adaptive pooling is exported for batched inputs only");
        var inSize = value.ShapeRef[2..];
        var outSize = y.ShapeRef[2..];
        if (outSize.All(o => o == 1)) return Simple(global, path, x);
        if (inSize.Zip(outSize).Any(p => p.First % p.Second != 0))
            return Refuse(path, $"adaptive pooling from {Shape.Format(inSize)} to {Shape.Format(outSize)} has windows of different sizes, which ONNX pooling cannot express");
        SizeAgnostic = false;
        var k = inSize.Zip(outSize, (i, o) => (long)(i / o)).ToArray();
        return Pool(op, path, x, k, k, new long[rank], op == "MaxPool" ? Enumerable.Repeat(1L, rank).ToArray() : null, false, op == "MaxPool" ? null : false);
    }

    private string InstanceNorm(InstanceNormBase norm, string path, string x, Tensor value)
    {
        if (value.Dim != norm switch { InstanceNorm1d => 3, InstanceNorm2d => 4, _ => 5 })
            return Refuse(path, "instance norm is exported for batched inputs only");
        var dtype = value.DType;
        string scale = graph.Initializer(Join(path, "weight"), norm.Weight ?? Torch.Ones([norm.NumFeatures], dtype));
        string bias = graph.Initializer(Join(path, "bias"), norm.Bias ?? Torch.Zeros([norm.NumFeatures], dtype));
        if (norm.TrackRunningStats)
            return Node("BatchNormalization", path, [x, scale, bias, graph.Initializer(Join(path, "running_mean"), norm.RunningMean!),
                                                     graph.Initializer(Join(path, "running_var"), norm.RunningVar!)])
                .With("epsilon", (float)norm.Eps).Outputs[0];
        return Node("InstanceNormalization", path, [x, scale, bias]).With("epsilon", (float)norm.Eps).Outputs[0];
    }

    private string LayerNorm(Nn.LayerNorm ln, string path, string x)
    {
        if (opset < 17) return Refuse(path, $"LayerNorm needs LayerNormalization (opset 17), got opset {opset}");
        var dtype = (ln.Weight ?? Torch.Zeros(1)).DType;
        string scale = graph.Initializer(Join(path, "weight"), ln.Weight ?? Torch.Ones(ln.NormalizedShape, dtype));
        string bias = graph.Initializer(Join(path, "bias"), ln.Bias ?? Torch.Zeros(ln.NormalizedShape, dtype));
        return Node("LayerNormalization", path, [x, scale, bias]).With("axis", (long)-ln.NormalizedShape.Length).With("epsilon", (float)ln.Eps).Outputs[0];
    }

    /// <summary>GroupNorm as InstanceNormalization over [N, G, rest] (unit scale, zero bias), reshaped back, then the per-channel affine map.</summary>
    private string GroupNorm(GroupNorm gn, string path, string x, Tensor value)
    {
        SizeAgnostic = false;
        string grouped = Node("Reshape", path + ".group", [x, graph.Int64Initializer(path + ".group_shape", [0, gn.NumGroups, -1])]).Outputs[0];
        string normed = Node("InstanceNormalization", path + ".norm",
            [grouped, graph.Initializer(path + ".ones", Torch.Ones([gn.NumGroups])), graph.Initializer(path + ".zeros", Torch.Zeros([gn.NumGroups]))])
            .With("epsilon", (float)gn.Eps).Outputs[0];
        string y = Node("Reshape", path, [normed, graph.Int64Initializer(path + ".shape", value.Shape.Select(d => (long)d).ToArray())]).Outputs[0];
        if (gn.Weight is null) return y;
        var channel = Enumerable.Repeat(1L, value.Dim - 1).ToArray();
        channel[0] = gn.NumChannels;
        y = Binary("Mul", path + ".weight", y, graph.Initializer(Join(path, "weight"), gn.Weight, channel));
        return Binary("Add", path + ".bias", y, graph.Initializer(Join(path, "bias"), gn.Bias!, channel));
    }

    /// <summary>PixelUnshuffle as PyTorch's exporter writes it: Reshape to [N, C, H/r, r, W/r, r], Transpose, Reshape.</summary>
    private string PixelUnshuffle(PixelUnshuffle pu, string path, string x, Tensor value, Tensor y)
    {
        SizeAgnostic = false;
        int r = pu.DownscaleFactor;
        var s = value.ShapeRef;
        string split = Node("Reshape", path + ".split", [x, graph.Int64Initializer(path + ".split_shape", [s[0], s[1], s[2] / r, r, s[3] / r, r])]).Outputs[0];
        string moved = Node("Transpose", path + ".transpose", [split]).With("perm", new long[] { 0, 1, 3, 5, 2, 4 }).Outputs[0];
        return Reshape(path, moved, y);
    }
}
