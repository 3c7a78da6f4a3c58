using System.Text.Json;
using MiniTorch.Nn;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Conformance;

/// <summary>gen_conformance.py's op names mapped to MiniTorch's public API, written as a user would call it.</summary>
internal static class ConformanceOps
{
    private static Size2 S2(int[] v) => v.Length == 1 ? v[0] : (v[0], v[1]);
    private static Size3 S3(int[] v) => v.Length == 1 ? v[0] : (v[0], v[1], v[2]);
    private static int[]? IntsOrNull(Case c, string a) => c.Has(a) ? c.Ints(a) : null;
    private static Tensor[] Pair((Tensor A, Tensor B) p) => [p.A, p.B];
    private static Tensor? At(Case c, int i) => i < c.Inputs.Length ? c[i] : null;

    private static int?[] NullableInts(Case c, string a) =>
        c.Args.GetProperty(a).EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (int?)null : e.GetInt32()).ToArray();

    private static Reduction R(Case c) => c.Str("reduction") switch
    {
        "none" => Reduction.None, "sum" => Reduction.Sum, "mean" => Reduction.Mean, "batchmean" => Reduction.BatchMean,
        var r => throw new ArgumentException(r),
    };

    private static DType? DTypeArg(Case c) => c.Has("dtype") ? DType.Float64 : null;

    public static readonly Dictionary<string, Func<Case, Outcome>> Ops = new()
    {
        // Pooling
        ["max_pool1d"] = c => Pair(F.MaxPool1dWithIndices(c[0], c.Ints("k")[0], IntsOrNull(c, "s")?[0], c.Ints("p")[0], c.Ints("d")[0], c.Bool("ceil"))),
        ["max_pool2d"] = c => Pair(F.MaxPool2dWithIndices(c[0], S2(c.Ints("k")), IntsOrNull(c, "s") is { } s ? S2(s) : null, S2(c.Ints("p")), S2(c.Ints("d")), c.Bool("ceil"))),
        ["max_pool3d"] = c => Pair(F.MaxPool3dWithIndices(c[0], S3(c.Ints("k")), IntsOrNull(c, "s") is { } s ? S3(s) : null, S3(c.Ints("p")), S3(c.Ints("d")), c.Bool("ceil"))),
        ["avg_pool1d"] = c => new[] { F.AvgPool1d(c[0], c.Ints("k")[0], IntsOrNull(c, "s")?[0], c.Ints("p")[0], c.Bool("ceil"), c.Bool("cip")) },
        ["avg_pool2d"] = c => new[] { F.AvgPool2d(c[0], S2(c.Ints("k")), IntsOrNull(c, "s") is { } s ? S2(s) : null, S2(c.Ints("p")), c.Bool("ceil"), c.Bool("cip"), c.IntOrNull("div")) },
        ["avg_pool3d"] = c => new[] { F.AvgPool3d(c[0], S3(c.Ints("k")), IntsOrNull(c, "s") is { } s ? S3(s) : null, S3(c.Ints("p")), c.Bool("ceil"), c.Bool("cip"), c.IntOrNull("div")) },
        ["adaptive_avg_pool1d"] = c => new[] { F.AdaptiveAvgPool1d(c[0], c.Ints("out")[0]) },
        ["adaptive_avg_pool2d"] = c => { var o = NullableInts(c, "out"); return new[] { F.AdaptiveAvgPool2d(c[0], o[0], o[1]) }; },
        ["adaptive_avg_pool3d"] = c => { var o = NullableInts(c, "out"); return new[] { F.AdaptiveAvgPool3d(c[0], o[0], o[1], o[2]) }; },
        ["adaptive_max_pool1d"] = c => Pair(F.AdaptiveMaxPool1dWithIndices(c[0], c.Ints("out")[0])),
        ["adaptive_max_pool2d"] = c => { var o = NullableInts(c, "out"); return Pair(F.AdaptiveMaxPool2dWithIndices(c[0], o[0], o[1])); },
        ["adaptive_max_pool3d"] = c => { var o = NullableInts(c, "out"); return Pair(F.AdaptiveMaxPool3dWithIndices(c[0], o[0], o[1], o[2])); },
        ["max_unpool1d"] = c => new[] { F.MaxUnpool1d(c[0], c[1], c.Ints("k")[0], c.Ints("s")[0], c.Ints("p")[0], IntsOrNull(c, "size")) },
        ["max_unpool2d"] = c => new[] { F.MaxUnpool2d(c[0], c[1], S2(c.Ints("k")), S2(c.Ints("s")), S2(c.Ints("p")), IntsOrNull(c, "size")) },
        ["max_unpool3d"] = c => new[] { F.MaxUnpool3d(c[0], c[1], S3(c.Ints("k")), S3(c.Ints("s")), S3(c.Ints("p")), IntsOrNull(c, "size")) },

        // Softmax family and losses
        ["softmax"] = c => new[] { F.Softmax(c[0], c.IntOrNull("dim"), DTypeArg(c)) },
        ["log_softmax"] = c => new[] { F.LogSoftmax(c[0], c.IntOrNull("dim"), DTypeArg(c)) },
        ["softmin"] = c => new[] { F.Softmin(c[0], c.IntOrNull("dim"), DTypeArg(c)) },
        ["cross_entropy"] = c => new[] { F.CrossEntropy(c[0], c[1], At(c, 2), c.Int("ignore_index"), R(c), c.Double("label_smoothing")) },
        ["nll_loss"] = c => new[] { F.NllLoss(c[0], c[1], At(c, 2), c.Int("ignore_index"), R(c)) },
        ["mse_loss"] = c => new[] { F.MseLoss(c[0], c[1], R(c)) },
        ["l1_loss"] = c => new[] { F.L1Loss(c[0], c[1], R(c)) },
        ["smooth_l1_loss"] = c => new[] { F.SmoothL1Loss(c[0], c[1], R(c), c.Double("beta")) },
        ["huber_loss"] = c => new[] { F.HuberLoss(c[0], c[1], R(c), c.Double("delta")) },
        ["kl_div"] = c => new[] { F.KlDiv(c[0], c[1], R(c), c.Bool("log_target")) },

        // Activations
        ["elu"] = c => new[] { F.Elu(c[0], c.Double("alpha")) },
        ["selu"] = c => new[] { F.Selu(c[0]) },
        ["celu"] = c => new[] { F.Celu(c[0], c.Double("alpha")) },
        ["gelu"] = c => new[] { F.Gelu(c[0], c.Str("approximate")) },
        ["silu"] = c => new[] { F.Silu(c[0]) },
        ["mish"] = c => new[] { F.Mish(c[0]) },
        ["softplus"] = c => new[] { F.Softplus(c[0], c.Double("beta"), c.Double("threshold")) },
        ["softsign"] = c => new[] { F.Softsign(c[0]) },
        ["hardtanh"] = c => new[] { F.Hardtanh(c[0], c.Double("min_val"), c.Double("max_val")) },
        ["relu6"] = c => new[] { F.Relu6(c[0]) },
        ["hardsigmoid"] = c => new[] { F.Hardsigmoid(c[0]) },
        ["hardswish"] = c => new[] { F.Hardswish(c[0]) },
        ["threshold"] = c => new[] { F.Threshold(c[0], c.Double("threshold"), c.Double("value")) },
        ["logsigmoid"] = c => new[] { F.LogSigmoid(c[0]) },
        ["glu"] = c => new[] { F.Glu(c[0], c.Int("dim")) },
        ["leaky_relu"] = c => new[] { F.LeakyRelu(c[0], c.Double("negative_slope")) },
        ["relu"] = c => new[] { F.Relu(c[0]) },
        ["tanh"] = c => new[] { F.Tanh(c[0]) },
        ["sigmoid"] = c => new[] { F.Sigmoid(c[0]) },

        // Elementwise, indexing, integer dtype
        ["maximum"] = c => new[] { Torch.Maximum(c[0], c[1]) },
        ["minimum"] = c => new[] { Torch.Minimum(c[0], c[1]) },
        ["clamp_tensor"] = c => new[] { c.Str("bounds") switch
        {
            "minmax" => Torch.Clamp(c[0], c[1], c[2]),
            "min" => Torch.Clamp(c[0], c[1]),
            _ => Torch.Clamp(c[0], null, c[1]),
        } },
        ["clamp_scalar"] = c => new[] { Whole(c, "min") && Whole(c, "max")
            ? c[0].Clamp(c.Has("min") ? (long)c.Double("min") : null, c.Has("max") ? (long)c.Double("max") : null)
            : c[0].Clamp(c.DoubleOrNull("min"), c.DoubleOrNull("max")) },
        ["where"] = c => new[] { Torch.Where(c[0], c[1], c[2]) },
        ["where_scalar"] = c => new[] { Whole(c, "other") ? Torch.Where(c[0], c[1], (long)c.Double("other")) : Torch.Where(c[0], c[1], c.Double("other")) },
        ["argmax"] = c => new[] { Torch.Argmax(c[0], c.IntOrNull("dim"), c.Bool("keepdim")) },
        ["argmin"] = c => new[] { c[0].Argmin(c.IntOrNull("dim"), c.Bool("keepdim")) },
        ["repeat"] = c => new[] { c[0].Repeat(c.Ints("sizes")) },
        ["expand"] = c => new[] { c[0].Expand(c.Ints("sizes")) },
        ["tile"] = c => new[] { Torch.Tile(c[0], c.Ints("dims")) },
        ["gather"] = c => new[] { Torch.Gather(c[0], c.Int("dim"), c[1]) },
        ["index_select"] = c => new[] { Torch.IndexSelect(c[0], c.Int("dim"), c[1]) },
        ["flatten"] = c => new[] { Torch.Flatten(c[0], c.Int("start"), c.Int("end")) },
        ["unflatten"] = c => new[] { c[0].Unflatten(c.Int("dim"), c.Ints("sizes")) },

        // Binary ops and numbers (type promotion)
        ["add"] = c => new[] { c[0] + c[1] },
        ["sub"] = c => new[] { c[0] - c[1] },
        ["mul"] = c => new[] { c[0] * c[1] },
        ["div"] = c => new[] { c[0] / c[1] },
        ["pow"] = c => new[] { c[0].Pow(c[1]) },
        ["eq"] = c => new[] { c[0].Eq(c[1]) },
        ["lt"] = c => new[] { c[0] < c[1] },
        ["ge"] = c => new[] { c[0] >= c[1] },
        ["bitwise_and"] = c => new[] { c[0] & c[1] },
        ["scalar_add"] = c => new[] { Whole(c, "value") ? c[0] + (long)c.Double("value") : c[0] + c.Double("value") },
        ["scalar_sub"] = c => new[] { Whole(c, "value") ? c[0] - (long)c.Double("value") : c[0] - c.Double("value") },
        ["scalar_rsub"] = c => new[] { Whole(c, "value") ? (long)c.Double("value") - c[0] : c.Double("value") - c[0] },
        ["scalar_mul"] = c => new[] { Whole(c, "value") ? c[0] * (long)c.Double("value") : c[0] * c.Double("value") },
        ["scalar_div"] = c => new[] { Whole(c, "value") ? c[0] / (long)c.Double("value") : c[0] / c.Double("value") },
        ["scalar_pow"] = c => new[] { Whole(c, "value") ? c[0].Pow((long)c.Double("value")) : c[0].Pow(c.Double("value")) },

        // Embedding, norms, pixel shuffle
        ["embedding"] = c => new[] { F.Embedding(c[0], c[1], c.IntOrNull("padding_idx"), c.DoubleOrNull("max_norm"), c.Double("norm_type"), c.Bool("scale_grad_by_freq")), c[1].Detach() },
        ["layer_norm"] = c => new[] { F.LayerNorm(c[0], c.Ints("shape"), At(c, 1), At(c, 2), c.Double("eps")) },
        ["group_norm"] = c => new[] { F.GroupNorm(c[0], c.Int("groups"), At(c, 1), At(c, 2), c.Double("eps")) },
        ["instance_norm"] = c => Norm(c, (x, rm, rv, w, b) => F.InstanceNorm(x, rm, rv, w, b, c.Bool("use_input_stats"), c.Double("momentum"), c.Double("eps"))),
        ["batch_norm"] = c => Norm(c, (x, rm, rv, w, b) => F.BatchNorm(x, rm, rv, w, b, c.Bool("training"), c.Double("momentum"), c.Double("eps"))),
        ["pixel_shuffle"] = c => new[] { F.PixelShuffle(c[0], c.Int("r")) },
        ["pixel_unshuffle"] = c => new[] { F.PixelUnshuffle(c[0], c.Int("r")) },

        // Convolution
        ["conv1d"] = c => new[] { F.Conv1d(c[0], c[1], At(c, 2), c.Ints("stride")[0], Pad1(c), c.Ints("dilation")[0], c.Int("groups")) },
        ["conv2d"] = c => new[] { F.Conv2d(c[0], c[1], At(c, 2), S2(c.Ints("stride")), Pad2(c), S2(c.Ints("dilation")), c.Int("groups")) },
        ["conv3d"] = c => new[] { F.Conv3d(c[0], c[1], At(c, 2), S3(c.Ints("stride")), Pad3(c), S3(c.Ints("dilation")), c.Int("groups")) },
        ["conv_transpose1d"] = c => new[] { F.ConvTranspose1d(c[0], c[1], At(c, 2), c.Ints("stride")[0], Pad1(c), c.Ints("output_padding")[0], c.Int("groups"), c.Ints("dilation")[0]) },
        ["conv_transpose2d"] = c => new[] { F.ConvTranspose2d(c[0], c[1], At(c, 2), S2(c.Ints("stride")), Pad2(c), S2(c.Ints("output_padding")), c.Int("groups"), S2(c.Ints("dilation"))) },
        ["conv_transpose3d"] = c => new[] { F.ConvTranspose3d(c[0], c[1], At(c, 2), S3(c.Ints("stride")), Pad3(c), S3(c.Ints("output_padding")), c.Int("groups"), S3(c.Ints("dilation"))) },
        ["conv_module"] = ConvModuleCase,
        ["norm_module"] = NormModuleCase,
        ["module"] = ModuleCase,
        ["pad"] = c => new[] { F.Pad(c[0], c.Ints("pad"), c.Str("mode") switch
        {
            "constant" => PadMode.Constant, "reflect" => PadMode.Reflect, "replicate" => PadMode.Replicate, _ => PadMode.Circular,
        }, c.Double("value")) },
    };

    // A module built from PyTorch's keyword arguments; inputs: the forward inputs, the state dict, tensor arguments.
    private static Outcome ModuleCase(Case c)
    {
        int n = c.Int("inputs");
        var m = ModuleFactory.Create(c.Str("module"), c.Args.GetProperty("kwargs"), i => c[i]);
        var keys = c.Args.GetProperty("keys").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(keys, m.StateDict().Keys.ToArray());
        // print(module) as PyTorch prints it.
        if (c.Has("repr") && c.Args.GetProperty("repr").ValueKind == JsonValueKind.String && c.Str("repr") != m.ToString())
            throw new InvalidOperationException($"ToString() is {m}, PyTorch prints {c.Str("repr")}");
        if (keys.Length > 0)
        {
            m.To(c[n].DType);
            m.LoadStateDict(keys.Select((key, i) => (key, c[n + i])).ToDictionary(p => p.key, p => p.Item2));
        }
        if (c.Bool("eval")) m.Eval();
        return new[] { m is Loss loss ? loss.Forward(c[0], c[1]) : m.Forward(c[0]) };
    }

    // A number argument written as a Python int (no decimal point), so the C# call passes a long; absent counts as whole.
    private static bool Whole(Case c, string a) => !c.Has(a) || !c.Args.GetProperty(a).GetRawText().Contains('.');

    private static bool IsString(Case c, string a) => c.Args.GetProperty(a).ValueKind == JsonValueKind.String;
    private static Padding1d Pad1(Case c) => IsString(c, "padding") ? c.Str("padding") : c.Ints("padding")[0];
    private static Padding2d Pad2(Case c) => IsString(c, "padding") ? c.Str("padding") : S2(c.Ints("padding"));
    private static Padding3d Pad3(Case c) => IsString(c, "padding") ? c.Str("padding") : S3(c.Ints("padding"));

    // Inputs: x, then running mean and var when "running", then weight (and bias) by "affine".
    private static Outcome Norm(Case c, Func<Tensor, Tensor?, Tensor?, Tensor?, Tensor?, Tensor> f)
    {
        int n = c.Bool("running") ? 2 : 0;
        var rm = n > 0 ? c[1] : null;
        var rv = n > 0 ? c[2] : null;
        var y = f(c[0], rm, rv, At(c, 1 + n), At(c, 2 + n));
        return n > 0 ? new[] { y, rm!.Detach(), rv!.Detach() } : new[] { y };
    }

    private static PaddingMode Mode(string s) => s switch
    {
        "zeros" => PaddingMode.Zeros, "reflect" => PaddingMode.Reflect, "replicate" => PaddingMode.Replicate, "circular" => PaddingMode.Circular,
        _ => throw new ArgumentException(s),
    };

    private static Outcome ConvModuleCase(Case c)
    {
        int rank = c.Int("rank");
        bool t = c.Bool("transposed");
        int cin = c.Int("in"), cout = c.Int("out"), g = c.Int("groups");
        bool bias = c.Bool("bias");
        var k = c.Ints("k");
        var s = c.Ints("stride");
        var d = c.Ints("dilation");
        var mode = Mode(c.Str("padding_mode"));
        ConvModule m = (rank, t) switch
        {
            (1, false) => new Conv1d(cin, cout, k[0], s[0], Pad1(c), d[0], g, bias, mode),
            (2, false) => new Conv2d(cin, cout, S2(k), S2(s), Pad2(c), S2(d), g, bias, mode),
            (3, false) => new Conv3d(cin, cout, S3(k), S3(s), Pad3(c), S3(d), g, bias, mode),
            (1, true) => new ConvTranspose1d(cin, cout, k[0], s[0], Pad1(c), c.Ints("output_padding")[0], g, bias, d[0]),
            (2, true) => new ConvTranspose2d(cin, cout, S2(k), S2(s), Pad2(c), S2(c.Ints("output_padding")), g, bias, S2(d)),
            _ => new ConvTranspose3d(cin, cout, S3(k), S3(s), Pad3(c), S3(c.Ints("output_padding")), g, bias, S3(d)),
        };
        var keys = c.Args.GetProperty("keys").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(keys, m.StateDict().Keys.ToArray());
        // print(module) as PyTorch prints it.
        if (c.Has("repr") && c.Args.GetProperty("repr").ValueKind == JsonValueKind.String && c.Str("repr") != m.ToString())
            throw new InvalidOperationException($"ToString() is {m}, PyTorch prints {c.Str("repr")}");
        m.To(c[1].DType);
        m.LoadStateDict(keys.Select((key, i) => (key, c[1 + i])).ToDictionary(p => p.key, p => p.Item2));
        var size = IntsOrNull(c, "output_size");
        var y = m switch
        {
            ConvTranspose1d m1 => m1.Forward(c[0], size),
            ConvTranspose2d m2 => m2.Forward(c[0], size),
            ConvTranspose3d m3 => m3.Forward(c[0], size),
            _ => m.Forward(c[0]),
        };
        return new Outcome([y], [c[0], m.Weight, m.Bias]);
    }

    private static Outcome NormModuleCase(Case c)
    {
        int ch = c.Int("C");
        double eps = c.Double("eps");
        double? momentum = c.DoubleOrNull("momentum");
        bool affine = c.Bool("affine"), track = c.Bool("track");
        Module m = c.Str("kind") switch
        {
            "BatchNorm1d" => new BatchNorm1d(ch, eps, momentum, affine, track),
            "BatchNorm2d" => new BatchNorm2d(ch, eps, momentum, affine, track),
            "BatchNorm3d" => new BatchNorm3d(ch, eps, momentum, affine, track),
            "InstanceNorm1d" => new InstanceNorm1d(ch, eps, momentum!.Value, affine, track),
            "InstanceNorm2d" => new InstanceNorm2d(ch, eps, momentum!.Value, affine, track),
            var k => new InstanceNorm3d(ch, eps, momentum!.Value, affine, track) is var m3 && k == "InstanceNorm3d" ? m3 : throw new ArgumentException(k),
        };
        var keys = c.Args.GetProperty("keys").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(keys, m.StateDict().Keys.ToArray());
        // print(module) as PyTorch prints it.
        if (c.Has("repr") && c.Args.GetProperty("repr").ValueKind == JsonValueKind.String && c.Str("repr") != m.ToString())
            throw new InvalidOperationException($"ToString() is {m}, PyTorch prints {c.Str("repr")}");
        var train = c.Args.GetProperty("train").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        m.To(c[0].DType);
        m.LoadStateDict(keys.Select((key, i) => (key, c[train.Length + i])).ToDictionary(p => p.key, p => p.Item2));
        var outs = new List<Tensor>();
        for (int i = 0; i < train.Length; i++)
        {
            m.Train(train[i]);
            outs.Add(m.Forward(c[i]));
        }
        // The last step's output first (its gradient is the one recorded), then the others, then the state.
        return (Tensor[])[outs[^1], .. outs[..^1], .. m.StateDict().Values];
    }
}
