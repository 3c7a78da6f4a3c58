using FsCheck;
using FsCheck.Fluent;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

public class OnnxExportTests
{
    private static OnnxModel Export(Module model, Tensor input, int opset = 17) => OnnxModel.Parse(Onnx.ToBytes(model, input, opset));

    private static Dictionary<string, object> Attrs(OnnxModel m, string opType, int ordinal = 0) =>
        m.Nodes.Where(n => n.OpType == opType).ElementAt(ordinal).Attributes;

    [Fact]
    public void Export_Generator_WritesGraphInitializersAndHeader()
    {
        var (model, shape) = OnnxModels.Create("generator");
        var m = Export(model, OnnxModels.Input(shape));
        Assert.Equal(8, m.IrVersion);
        Assert.Equal("MiniTorch", m.ProducerName);
        Assert.Equal([("", 17L)], m.Opsets);
        Assert.Equal(["ConvTranspose", "BatchNormalization", "Relu", "ConvTranspose", "Tanh", "Identity"], m.Nodes.Select(n => n.OpType));
        // Every node reads the previous node's output; the first reads the graph input.
        Assert.Equal("input", m.Nodes[0].Inputs[0]);
        for (int i = 1; i < m.Nodes.Count; i++) Assert.Equal(m.Nodes[i - 1].Outputs[0], m.Nodes[i].Inputs[0]);
        Assert.Equal("output", m.Nodes[^1].Outputs[0]);
        Assert.Equal([("input", 1, new List<object> { "N", 8L, "H", "W" })], m.Inputs.Select(i => (i.Name, i.ElemType, i.Dims)).ToList(), new ValueInfoComparer());
        Assert.Equal(new List<object> { "N", 3L, "H_out", "W_out" }, m.Outputs[0].Dims);
        // Initializers are the state dict's tensors, bit for bit, under PyTorch's names.
        foreach (var (name, value) in model.StateDict().Where(kv => kv.Key != "1.num_batches_tracked"))
        {
            Assert.True(m.Initializers.ContainsKey(name), $"missing initializer {name}");
            Assert.Equal(value.Shape.Select(d => (long)d), m.Initializers[name].Dims);
            Assert.Equal(value.ToArray(), m.Initializers[name].Floats());
        }
        var bn = Attrs(m, "BatchNormalization");
        Assert.Equal(1e-5f, (float)bn["epsilon"]);
        Assert.Equal(["input", "1.weight", "1.bias", "1.running_mean", "1.running_var"], m.Nodes[1].Inputs.Skip(0).Take(1).Concat(m.Nodes[1].Inputs.Skip(1)).Select((s, i) => i == 0 ? "input" : s));
    }

    private sealed class ValueInfoComparer : IEqualityComparer<(string, int, List<object>)>
    {
        public bool Equals((string, int, List<object>) a, (string, int, List<object>) b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.SequenceEqual(b.Item3);
        public int GetHashCode((string, int, List<object>) v) => v.Item1.GetHashCode();
    }

    [Fact]
    public void Export_Discriminator_MapsConvPReluPaddingModeAndGemm()
    {
        var (model, shape) = OnnxModels.Create("discriminator");
        var m = Export(model, OnnxModels.Input(shape));
        Assert.Equal(["Conv", "LeakyRelu", "Conv", "PRelu", "Pad", "Conv", "PRelu", "Flatten", "Gemm", "Sigmoid", "Identity"], m.Nodes.Select(n => n.OpType));
        var c0 = Attrs(m, "Conv");
        Assert.Equal([2L, 2], (long[])c0["strides"]);
        Assert.Equal([1L, 1, 1, 1], (long[])c0["pads"]);
        Assert.Equal([4L, 4], (long[])c0["kernel_shape"]);
        var c1 = Attrs(m, "Conv", 1);
        Assert.Equal([2L, 2], (long[])c1["dilations"]);
        Assert.Equal(2L, c1["group"]);
        Assert.Equal([2L, 2, 2, 2], (long[])c1["pads"]);
        Assert.Equal(0.2f, (float)Attrs(m, "LeakyRelu")["alpha"]);
        // Reflect padding is an explicit Pad (over N, C, H, W) followed by an unpadded Conv, as PyTorch runs it.
        Assert.Equal("reflect", Attrs(m, "Pad")["mode"]);
        Assert.Equal([0L, 0, 1, 1, 0, 0, 1, 1], m.Initializers[m.Nodes[4].Inputs[1]].Longs());
        Assert.Equal([0L, 0, 0, 0], (long[])Attrs(m, "Conv", 2)["pads"]);
        // PRelu's per-channel slope broadcasts from the right, so it is stored as [C, 1, 1].
        Assert.Equal([8L, 1, 1], m.Initializers["3.weight"].Dims);
        Assert.Equal([1L], m.Initializers["5.weight"].Dims);
        Assert.Equal(1L, Attrs(m, "Gemm")["transB"]);
        Assert.Equal(1L, Attrs(m, "Flatten")["axis"]);
        Assert.Equal(new List<object> { 2L, 1L }, m.Outputs[0].Dims);
    }

    [Fact]
    public void Export_Resize_AttributesReproduceInterpolateModes()
    {
        var (model, shape) = OnnxModels.Create("resize");
        var m = Export(model, OnnxModels.Input(shape));
        Assert.Equal(["Pad", "Resize", "Pad", "Conv", "Resize", "Resize", "Resize", "Resize", "Resize", "Identity"], m.Nodes.Select(n => n.OpType));
        var resizes = m.Nodes.Where(n => n.OpType == "Resize").ToList();
        string Mode(int i, string key) => (string)resizes[i].Attributes[key];
        Assert.Equal(("nearest", "asymmetric", "floor"), (Mode(0, "mode"), Mode(0, "coordinate_transformation_mode"), Mode(0, "nearest_mode")));
        Assert.Equal(("nearest", "half_pixel", "round_prefer_ceil"), (Mode(1, "mode"), Mode(1, "coordinate_transformation_mode"), Mode(1, "nearest_mode")));
        Assert.Equal(("linear", "half_pixel"), (Mode(2, "mode"), Mode(2, "coordinate_transformation_mode")));
        Assert.Equal(("linear", "align_corners"), (Mode(3, "mode"), Mode(3, "coordinate_transformation_mode")));
        Assert.Equal(("cubic", "half_pixel", -0.75f), (Mode(4, "mode"), Mode(4, "coordinate_transformation_mode"), (float)resizes[4].Attributes["cubic_coeff_a"]));
        // Scale factors go in as scales (roi empty); an explicit size goes in as sizes.
        Assert.Equal(["", ""], resizes[0].Inputs.Skip(1).Take(1).Append(resizes[3].Inputs[2]));
        Assert.Equal([1f, 1, 2, 2], m.Initializers[resizes[0].Inputs[2]].Floats());
        Assert.Equal([1f, 1, 0.5f, 0.5f], m.Initializers[resizes[2].Inputs[2]].Floats());
        Assert.Equal([1L, 2, 7, 9], m.Initializers[resizes[3].Inputs[3]].Longs());
        // A fixed output size pins the graph to the example's size: no symbolic dims.
        Assert.Equal(new List<object> { 1L, 2L, 5L, 4L }, m.Inputs[0].Dims);
        Assert.Equal(new List<object> { 1L, 2L, 10L, 13L }, m.Outputs[0].Dims);
        // ZeroPad2d((left 1, right 2, top 0, bottom 1)) → ONNX [N, C, H, W begins, then ends].
        Assert.Equal([0L, 0, 0, 1, 0, 0, 1, 2], m.Initializers[m.Nodes[0].Inputs[1]].Longs());
        Assert.Equal("constant", m.Nodes[0].Attributes["mode"]);
        Assert.Equal("edge", m.Nodes[2].Attributes["mode"]);
    }

    [Fact]
    public void Export_ConvTranspose_PadsAndOutputPaddingFollowTheDocumentedMapping()
    {
        var (model, shape) = OnnxModels.Create("deconv");
        var m = Export(model, OnnxModels.Input(shape));
        var a0 = Attrs(m, "ConvTranspose");
        Assert.Equal([2L, 2, 2, 2], (long[])a0["pads"]);
        Assert.Equal([2L, 2], (long[])a0["output_padding"]);
        Assert.Equal([3L, 3], (long[])a0["strides"]);
        Assert.Equal(2L, a0["group"]);
        var a1 = Attrs(m, "ConvTranspose", 1);
        Assert.Equal([1L, 3, 1, 3], (long[])a1["pads"]);
        Assert.Equal([1L, 0], (long[])a1["output_padding"]);
        Assert.Equal([1L, 2], (long[])a1["dilations"]);
        Assert.Equal([3L, 5], (long[])a1["kernel_shape"]);
        Assert.Equal([6L, 2, 3, 5], m.Initializers["1.weight"].Dims);
    }

    /// <summary>ONNX's ConvTranspose output size, from the spec: s(in − 1) + output_padding + d(k − 1) + 1 − pad_begin − pad_end.</summary>
    private static long OnnxConvTransposeSize(long input, long k, long s, long d, long padBegin, long padEnd, long outputPadding) =>
        s * (input - 1) + outputPadding + d * (k - 1) + 1 - padBegin - padEnd;

    [Property(MaxTest = 150)]
    public Property Export_ConvTranspose_RandomConfigurations_OnnxOutputSizeEqualsPyTorchs()
    {
        var gen = from k in Gen.Choose(1, 5)
                  from s in Gen.Choose(1, 4)
                  from d in Gen.Choose(1, 3)
                  from p in Gen.Choose(0, 3)
                  from op in Gen.Choose(0, 3)
                  from h in Gen.Choose(1, 5)
                  from keras in Gen.Choose(0, 2)
                  select (k, s, d, p, op, h, keras);
        return Prop.ForAll(Arb.From(gen), c =>
        {
            var (k, s, d, p, op, h, keras) = c;
            Padding2d padding = keras switch { 1 => Padding2d.Same, 2 => Padding2d.Valid, _ => p };
            if (keras != 0) op = 0;
            var layer = new ConvTranspose2d(1, 1, k, s, padding, op % Math.Max(s, d), dilation: d, generator: new Generator(1));
            Tensor y;
            try { y = layer.Call(Torch.Ones([1, 1, h, h])); }
            catch (ArgumentException) { return; } // configurations PyTorch rejects (output too small)
            var m = Export(new Sequential(layer), Torch.Ones([1, 1, h, h]));
            var a = Attrs(m, "ConvTranspose");
            var pads = (long[])a["pads"];
            var outputPadding = (long[])a["output_padding"];
            // Rows that output_padding cannot add (it must stay below the stride in ONNX Runtime) come from a Pad
            // after it, which crops at the start (negative) and adds zeros at the end.
            var extra = m.Nodes.FirstOrDefault(n => n.OpType == "Pad") is { } pad ? m.Initializers[pad.Inputs[1]].Longs() : new long[8];
            Assert.True(y.Size(2) == OnnxConvTransposeSize(h, k, s, d, pads[0], pads[2], outputPadding[0]) + extra[2] + extra[6],
                        $"pads {string.Join(",", pads)} op {string.Join(",", outputPadding)} then pad {string.Join(",", extra)}, padding {padding}");
            Assert.True(outputPadding[0] < s && outputPadding[1] < s, "ONNX output_padding must stay below the stride");
            Assert.Equal(y.Size(3), OnnxConvTransposeSize(h, k, s, d, pads[1], pads[3], outputPadding[1]) + extra[3] + extra[7]);
        });
    }

    [Fact]
    public void Export_LinearOn3d_IsMatMulWithTransposedWeightThenAdd_AndFlattenRangeIsReshape()
    {
        var lin = new Linear(6, 5, generator: new Generator(4));
        var m = Export(new Sequential(new Flatten(2, 3), lin), OnnxModels.Input([2, 4, 2, 3]));
        Assert.Equal(["Reshape", "MatMul", "Add", "Identity"], m.Nodes.Select(n => n.OpType));
        Assert.Equal([2L, 4, 6], m.Initializers[m.Nodes[0].Inputs[1]].Longs());
        Assert.Equal([6L, 5], m.Initializers["1.weight_t"].Dims);
        Assert.Equal(lin.Weight.T.Contiguous().ToArray(), m.Initializers["1.weight_t"].Floats());
        Assert.Equal(lin.Bias!.ToArray(), m.Initializers["1.bias"].Floats());
        // A Reshape fixes the size, so the dims are the example's.
        Assert.Equal(new List<object> { 2L, 4L, 2L, 3L }, m.Inputs[0].Dims);
    }

    [Fact]
    public void Export_BatchNormWithoutAffine_WritesUnitScaleAndZeroBias()
    {
        var m = Export(new Sequential(new BatchNorm2d(3, affine: false, eps: 1e-3)), OnnxModels.Input([1, 3, 2, 2]));
        var node = m.Nodes[0];
        Assert.Equal("BatchNormalization", node.OpType);
        Assert.Equal([1f, 1, 1], m.Initializers[node.Inputs[1]].Floats());
        Assert.Equal([0f, 0, 0], m.Initializers[node.Inputs[2]].Floats());
        Assert.Equal(1e-3f, (float)node.Attributes["epsilon"]);
        var noStats = new Sequential(new BatchNorm2d(3, trackRunningStats: false));
        Assert.Contains("'0'", Assert.Throws<NotSupportedException>(() => Onnx.ToBytes(noStats, OnnxModels.Input([2, 3, 2, 2]))).Message);
    }

    [Fact]
    public void Export_RestoresEveryModulesTrainingFlag()
    {
        var (model, shape) = OnnxModels.Create("generator");
        var seq = (Sequential)model;
        seq[1].Eval();
        Onnx.ToBytes(model, OnnxModels.Input(shape));
        Assert.True(model.Training);
        Assert.False(seq[1].Training);
        Assert.True(seq[0].Training);
    }

    [Fact]
    public void Export_DoesNotChangeRunningStatistics()
    {
        var (model, shape) = OnnxModels.Create("generator");
        var before = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToDoubleArray());
        Onnx.ToBytes(model, OnnxModels.Input(shape));
        foreach (var (k, v) in model.StateDict()) Assert.Equal(before[k], v.ToDoubleArray());
    }

    private sealed class Doubler : Module
    {
        public override Tensor Forward(Tensor input) => input * 2.0;
    }

    private sealed class Chain : Module, IOnnxChain
    {
        private readonly Conv2d _conv;
        private readonly ReLU _relu;
        private readonly bool _lie;

        public Chain(bool lie)
        {
            _conv = RegisterModule("conv", new Conv2d(1, 2, 3, generator: new Generator(2)));
            _relu = RegisterModule("act", new ReLU());
            _lie = lie;
        }

        public IEnumerable<Module> OnnxSteps() => [_conv, _relu];

        public override Tensor Forward(Tensor input) => _lie ? _conv.Call(input) : _relu.Call(_conv.Call(input));
    }

    [Fact]
    public void Export_UnsupportedModule_ErrorNamesTheModule()
    {
        var model = new Sequential(new Conv2d(1, 1, 3), new Sequential(new ReLU(), new Doubler()));
        var e = Assert.Throws<NotSupportedException>(() => Onnx.ToBytes(model, Torch.Ones([1, 1, 5, 5])));
        Assert.Contains("module '1.1' of type Doubler", e.Message);
        Assert.True(model.Training);
    }

    [Fact]
    public void Export_Chain_UsesChildNamesAndChecksForward()
    {
        var m = Export(new Chain(lie: false), Torch.Ones([1, 1, 5, 5]));
        Assert.Equal(["Conv", "Relu", "Identity"], m.Nodes.Select(n => n.OpType));
        Assert.Contains("conv.weight", m.Initializers.Keys);
        var e = Assert.Throws<InvalidOperationException>(() => Onnx.ToBytes(new Chain(lie: true), Torch.Ones([1, 1, 5, 5])));
        Assert.Contains("Chain.Forward does not equal its traced chain", e.Message);
    }

    [Fact]
    public void Export_BadArguments_Throw()
    {
        var model = new Sequential(new ReLU());
        Assert.Throws<ArgumentOutOfRangeException>(() => Onnx.ToBytes(model, Torch.Ones([1, 1, 2, 2]), opset: 12));
        var area = new Sequential(new Upsample(scaleFactor: 0.5, mode: InterpolationMode.Area));
        Assert.Contains("'area'", Assert.Throws<NotSupportedException>(() => Onnx.ToBytes(area, Torch.Ones([1, 1, 4, 4]))).Message);
        var circular = new Sequential(new Conv2d(1, 1, 3, padding: 1, paddingMode: PaddingMode.Circular));
        Assert.Contains("opset 19", Assert.Throws<NotSupportedException>(() => Onnx.ToBytes(circular, Torch.Ones([1, 1, 4, 4]))).Message);
    }

    [Fact]
    public void Export_WritesTheFileAtomically()
    {
        string dir = Directory.CreateTempSubdirectory("onnx").FullName;
        try
        {
            var (model, shape) = OnnxModels.Create("discriminator");
            string path = Path.Combine(dir, "d.onnx");
            Onnx.Export(model, OnnxModels.Input(shape), path);
            Assert.Equal(Onnx.ToBytes(model, OnnxModels.Input(shape)), File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, true); }
    }
}
