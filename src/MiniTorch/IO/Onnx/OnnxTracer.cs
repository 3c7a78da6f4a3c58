using MiniTorch.Nn;

namespace MiniTorch.IO;

/// <summary>
/// Maps modules to ONNX nodes. Each layer is also run on the traced value, so every node knows its
/// input's concrete shape and the export can be checked against the model's Forward.
/// </summary>
internal sealed partial class OnnxTracer(OnnxGraph graph, int opset)
{
    /// <summary>False once a node fixes the spatial size (Resize to a size, Reshape), so the input dims must be static.</summary>
    public bool SizeAgnostic { get; private set; } = true;

    public (string Name, Tensor Value) Emit(Module m, string path, string x, Tensor value)
    {
        switch (m)
        {
            case Sequential seq:
                int i = 0;
                foreach (var child in seq) (x, value) = Emit(child, Join(path, (i++).ToString(System.Globalization.CultureInfo.InvariantCulture)), x, value);
                return (x, value);
            case IOnnxChain chain:
                var names = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
                foreach (var (childName, child) in m.NamedChildren()) names[child] = childName;
                foreach (var step in chain.OnnxSteps())
                    (x, value) = Emit(step, Join(path, names.TryGetValue(step, out var n) ? n : step.GetType().Name), x, value);
                return (x, value);
            case Dropout or Dropout1d or Dropout2d or Dropout3d or Identity:
                return (x, value); // identity in eval mode
        }
        var y = m.Forward(value);
        string name = m switch
        {
            Conv1d or Conv2d or Conv3d => Conv((ConvModule)m, path, x, value),
            ConvTranspose1d or ConvTranspose2d or ConvTranspose3d => ConvTranspose((ConvModule)m, path, x, OutputPadding(m), value.Dim),
            BatchNormBase bn => BatchNorm(bn, path, x),
            ReLU => Simple("Relu", path, x),
            Tanh => Simple("Tanh", path, x),
            Sigmoid => Simple("Sigmoid", path, x),
            LeakyReLU lr => Node("LeakyRelu", path, [x]).With("alpha", (float)lr.NegativeSlope).Outputs[0],
            PReLU pr => PRelu(pr, path, x, value),
            Linear lin => Linear(lin, path, x, value),
            Flatten fl => Flatten(fl, path, x, value, y),
            ZeroPad2d pad => Pad(path, x, value.Dim, [pad.Padding.Top, pad.Padding.Left], [pad.Padding.Bottom, pad.Padding.Right], "constant"),
            Upsample up => Resize(up, path, x, value, y),
            _ when EverydayLayer(m, path, x, value, y) is { } everyday => everyday,
            _ => throw new NotSupportedException(
                $"ONNX export does not support module '{(path.Length == 0 ? "(root)" : path)}' of type {m.GetType().Name}; " +
                "supported: Sequential, IOnnxChain, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, BatchNorm2d, ReLU, LeakyReLU, PReLU, Tanh, Sigmoid, Linear, Flatten, ZeroPad2d, Upsample, Dropout, " + EverydaySupported),
        };
        return (name, y);
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private OnnxNode Node(string op, string path, string[] inputs) => graph.Add(op, path, inputs, graph.Fresh(path.Length == 0 ? op : path + "_out"));

    private string Simple(string op, string path, string x) => Node(op, path, [x]).Outputs[0];

    /// <summary>
    /// Conv in any rank. The padding comes from <c>Shape.ConvPaddings</c>, where 'same' is resolved,
    /// so ONNX gets PyTorch's uneven split as explicit begin/end pads. A padding mode other than zeros
    /// is a Pad node first and an unpadded Conv, as PyTorch computes it.
    /// </summary>
    private string Conv(ConvModule conv, string path, string x, Tensor value)
    {
        var (before, after) = Shape.ConvPaddings(conv.PaddingArg, conv.KernelArray, conv.StrideArray, conv.DilationArray);
        if (conv.PaddingMode != PaddingMode.Zeros)
        {
            string mode = conv.PaddingMode switch
            {
                PaddingMode.Reflect => "reflect",
                PaddingMode.Replicate => "edge",
                _ when opset >= 19 => "wrap",
                _ => throw new NotSupportedException($"ONNX export of '{path}': padding_mode='circular' needs Pad mode 'wrap' (opset 19), got opset {opset}"),
            };
            x = Pad(path + ".pad", x, value.Dim, before, after, mode);
            (before, after) = (new int[before.Length], new int[after.Length]);
        }
        var inputs = new List<string> { x, graph.Initializer(Join(path, "weight"), conv.Weight) };
        if (conv.Bias is { } b) inputs.Add(graph.Initializer(Join(path, "bias"), b));
        return Node("Conv", path, [.. inputs])
            .With("dilations", Longs(conv.DilationArray))
            .With("group", (long)conv.Groups)
            .With("kernel_shape", Longs(conv.KernelArray))
            .With("pads", Longs([.. before, .. after]))
            .With("strides", Longs(conv.StrideArray)).Outputs[0];
    }

    private static long[] Longs(int[] values) => Array.ConvertAll(values, v => (long)v);

    private static int[] OutputPadding(Module m) => m switch
    {
        ConvTranspose1d t => [t.OutputPadding],
        ConvTranspose2d t => [t.OutputPadding.H, t.OutputPadding.W],
        ConvTranspose3d t => [t.OutputPadding.D, t.OutputPadding.H, t.OutputPadding.W],
        _ => throw new ArgumentException("not a transposed convolution", nameof(m)),
    };

    /// <summary>
    /// ConvTranspose in any rank. PyTorch crops p from both sides of the full (H−1)s + d(k−1) + 1 output
    /// and then extends the end by output_padding; ONNX's pads = [begin…, end…] crop begin and end
    /// separately and output_padding extends the end, so PyTorch's (p, op) is pads [p…, p…] with
    /// output_padding op, and both give (H−1)s − 2p + d(k−1) + op + 1. ONNX Runtime rejects
    /// output_padding ≥ stride, which PyTorch allows when dilation > stride: then the end crop shrinks
    /// to p − op, or, for op > p, a zero Pad and a bias Add extend the output. Keras' 'same'/'valid' map
    /// to uneven pads, or to output_padding where they extend the output instead of cropping it.
    /// </summary>
    private string ConvTranspose(ConvModule deconv, string path, string x, int[] explicitOutputPadding, int inputRank)
    {
        int rank = deconv.KernelArray.Length;
        var (k, s, d) = (deconv.KernelArray, deconv.StrideArray, deconv.DilationArray);
        var begin = new long[rank];
        var end = new long[rank];
        var outputPadding = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            if (deconv.PaddingArg.IsSame)
            {
                var (first, last) = Shape.KerasTransposeSameCrop(k[i], s[i], d[i]);
                (begin[i], end[i], outputPadding[i]) = (first, Math.Max(last, 0), Math.Max(-last, 0));
            }
            else if (deconv.PaddingArg.IsValid)
                outputPadding[i] = Math.Max(s[i] - (d[i] * (k[i] - 1) + 1), 0);
            else
            {
                int p = deconv.PaddingArg.Amounts[i], op = explicitOutputPadding[i];
                (begin[i], end[i], outputPadding[i]) = (p, p, op);
                // PyTorch allows op below stride or dilation, ONNX Runtime only below the stride: crop op less at
                // the end instead (PyTorch crops p at the start and p − op at the end), as far as p allows.
                if (op >= s[i]) (end[i], outputPadding[i]) = (Math.Max(p - op, 0), Math.Max(op - p, 0));
            }
        }
        // Positions past the full output hold only the bias. Where they still reach the stride (op > p,
        // dilation > stride), that axis is computed uncropped by a bias-free ConvTranspose, then a Pad crops
        // p at the start (a negative pad; p may exceed the full output) and adds op − p zeros at the end,
        // and the bias is added after it.
        var cropBefore = new int[rank];
        var extend = new int[rank];
        for (int i = 0; i < rank; i++)
            if (outputPadding[i] >= s[i])
            {
                (cropBefore[i], extend[i]) = (-(int)begin[i], (int)outputPadding[i]);
                (begin[i], outputPadding[i]) = (0, 0);
            }
        bool extends = extend.Any(e => e > 0);
        var inputs = new List<string> { x, graph.Initializer(Join(path, "weight"), deconv.Weight) };
        if (deconv.Bias is { } b && !extends) inputs.Add(graph.Initializer(Join(path, "bias"), b));
        string y = Node("ConvTranspose", path, [.. inputs])
            .With("dilations", Longs(d))
            .With("group", (long)deconv.Groups)
            .With("kernel_shape", Longs(k))
            .With("output_padding", outputPadding)
            .With("pads", (long[])[.. begin, .. end])
            .With("strides", Longs(s)).Outputs[0];
        if (!extends) return y;
        y = Pad(path + ".output_padding", y, inputRank, cropBefore, extend, "constant");
        if (deconv.Bias is not { } bias) return y;
        long[] biasDims = [bias.Numel, .. Enumerable.Repeat(1L, rank)];
        return Node("Add", path + ".bias", [y, graph.Initializer(Join(path, "bias"), bias, biasDims)]).Outputs[0];
    }

    private string BatchNorm(BatchNormBase bn, string path, string x)
    {
        if (bn.RunningMean is null || bn.RunningVar is null)
            throw new NotSupportedException($"ONNX export of '{path}': {bn.GetType().Name} without running statistics normalises with batch statistics in eval mode, which ONNX's BatchNormalization does not do");
        var dtype = bn.RunningMean.DType;
        string scale = graph.Initializer(Join(path, "weight"), bn.Weight ?? Torch.Ones([bn.NumFeatures], dtype));
        string bias = graph.Initializer(Join(path, "bias"), bn.Bias ?? Torch.Zeros([bn.NumFeatures], dtype));
        string mean = graph.Initializer(Join(path, "running_mean"), bn.RunningMean);
        string var = graph.Initializer(Join(path, "running_var"), bn.RunningVar);
        return Node("BatchNormalization", path, [x, scale, bias, mean, var])
            .With("epsilon", (float)bn.Eps)
            .With("momentum", (float)(1 - (bn.Momentum ?? 0.1))).Outputs[0]; // ONNX's momentum weighs the old statistics; unused in inference
    }

    /// <summary>PRelu: the slope broadcasts from the right in ONNX, so a per-channel weight [C] becomes [C, 1, …, 1].</summary>
    private string PRelu(PReLU pr, string path, string x, Tensor value)
    {
        long[] dims = pr.NumParameters == 1 || value.Dim < 2 ? [pr.NumParameters]
            : [pr.NumParameters, .. Enumerable.Repeat(1L, value.Dim - 2)];
        return Node("PRelu", path, [x, graph.Initializer(Join(path, "weight"), pr.Weight, dims)]).Outputs[0];
    }

    private string Linear(Linear lin, string path, string x, Tensor value)
    {
        if (value.Dim == 2)
        {
            var inputs = new List<string> { x, graph.Initializer(Join(path, "weight"), lin.Weight) };
            if (lin.Bias is { } b) inputs.Add(graph.Initializer(Join(path, "bias"), b));
            return Node("Gemm", path, [.. inputs]).With("transB", 1L).Outputs[0];
        }
        // Any other rank: MatMul with the transposed weight, then Add (broadcast over leading dims).
        string wt = graph.Initializer(Join(path, "weight_t"), lin.Weight.T.Contiguous());
        string y = Node("MatMul", path, [x, wt]).Outputs[0];
        return lin.Bias is { } bias ? Node("Add", path + ".bias", [y, graph.Initializer(Join(path, "bias"), bias)]).Outputs[0] : y;
    }

    private string Flatten(Flatten fl, string path, string x, Tensor value, Tensor y)
    {
        int start = Shape.WrapDim(fl.StartDim, Math.Max(value.Dim, 1));
        int end = Shape.WrapDim(fl.EndDim, Math.Max(value.Dim, 1));
        if (start == 1 && end == value.Dim - 1) return Node("Flatten", path, [x]).With("axis", 1L).Outputs[0];
        // Other ranges are a Reshape to the traced shape, which fixes the input size.
        SizeAgnostic = false;
        string shape = graph.Int64Initializer(Join(path, "shape"), y.Shape.Select(d => (long)d).ToArray());
        return Node("Reshape", path, [x, shape]).Outputs[0];
    }

    /// <summary>Pad over the last <c>before.Length</c> dimensions; ONNX pads are [x1_begin, x2_begin, …, x1_end, x2_end] over all dimensions.</summary>
    private string Pad(string path, string x, int rank, int[] before, int[] after, string mode)
    {
        var pads = new long[2 * rank];
        for (int i = 0; i < before.Length; i++)
        {
            pads[rank - before.Length + i] = before[i];
            pads[2 * rank - before.Length + i] = after[i];
        }
        return Node("Pad", path, [x, graph.Int64Initializer(Join(path, "pads"), pads)]).With("mode", mode).Outputs[0];
    }

    /// <summary>
    /// Resize with the attributes that reproduce <see cref="F.Interpolate"/>'s index formulas:
    /// nearest src = ⌊dst/scale⌋ is asymmetric + floor; nearest-exact src = ⌊(dst + ½)/scale⌋ is
    /// half_pixel ((dst + ½)/scale − ½) + round_prefer_ceil (⌊v + ½⌋); bilinear/bicubic are
    /// half_pixel or align_corners with cubic_coeff_a = −0.75. A scale factor that PyTorch uses as
    /// given (recompute_scale_factor not true) is passed as scales; otherwise the traced output size is.
    /// </summary>
    private string Resize(Upsample up, string path, string x, Tensor value, Tensor y)
    {
        if (value.Dim != 4) throw new NotSupportedException($"ONNX export of '{path}': Upsample is exported for 4-D inputs only, got {value.Dim}-D");
        bool alignCorners = up.AlignCorners == true;
        string coordinates, mode, nearestMode = "floor";
        switch (up.Mode)
        {
            case InterpolationMode.Nearest: (mode, coordinates) = ("nearest", "asymmetric"); break;
            case InterpolationMode.NearestExact: (mode, coordinates, nearestMode) = ("nearest", "half_pixel", "round_prefer_ceil"); break;
            case InterpolationMode.Bilinear: (mode, coordinates) = ("linear", alignCorners ? "align_corners" : "half_pixel"); break;
            case InterpolationMode.Bicubic: (mode, coordinates) = ("cubic", alignCorners ? "align_corners" : "half_pixel"); break;
            default: throw new NotSupportedException($"ONNX export of '{path}': Upsample mode '{up.Mode.PyTorchName()}' has no exact ONNX Resize equivalent");
        }
        string roi = "", scales = "", sizes = "";
        if (up.ScaleFactor is { } f && up.RecomputeScaleFactor != true && !alignCorners)
            scales = graph.Initializer(Join(path, "scales"), Torch.FromArray(new float[] { 1, 1, (float)f, (float)f }, 4));
        else
        {
            SizeAgnostic = false;
            sizes = graph.Int64Initializer(Join(path, "sizes"), y.Shape.Select(d => (long)d).ToArray());
        }
        string[] inputs = sizes.Length > 0 ? [x, roi, scales, sizes] : [x, roi, scales];
        var node = Node("Resize", path, inputs)
            .With("coordinate_transformation_mode", coordinates)
            .With("mode", mode);
        if (mode == "nearest") node.With("nearest_mode", nearestMode);
        if (mode == "cubic") node.With("cubic_coeff_a", -0.75f);
        return node.Outputs[0];
    }
}
