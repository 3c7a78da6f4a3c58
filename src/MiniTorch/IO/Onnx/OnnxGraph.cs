using System.Runtime.InteropServices;

namespace MiniTorch.IO;

/// <summary>One ONNX node: an operator with named inputs, outputs and attributes.</summary>
internal sealed class OnnxNode(string opType, string name, string[] inputs, string[] outputs)
{
    public string OpType { get; } = opType;
    public string Name { get; } = name;
    public string[] Inputs { get; } = inputs;
    public string[] Outputs { get; } = outputs;

    /// <summary>Attributes in insertion order; values are long, float, string, long[] or float[].</summary>
    public List<(string Name, object Value)> Attributes { get; } = [];

    public OnnxNode With(string attribute, object value) { Attributes.Add((attribute, value)); return this; }
}

/// <summary>
/// The graph being exported: nodes in topological order, initializers (weights as raw little-endian
/// data), the input and the output. <see cref="ToModelProto"/> encodes it as an ONNX ModelProto.
/// </summary>
internal sealed class OnnxGraph
{
    // TensorProto.DataType values from onnx.proto.
    public const int Float = 1, Int64 = 7;

    private readonly List<OnnxNode> _nodes = [];
    private readonly List<(string Name, long[] Dims, int DataType, byte[] Raw)> _initializers = [];
    private readonly HashSet<string> _names = [];
    private int _counter;

    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>A value name not used yet, derived from <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        string name = hint;
        while (!_names.Add(name)) name = $"{hint}_{++_counter}";
        return name;
    }

    public OnnxNode Add(string opType, string nameHint, string[] inputs, string output)
    {
        var node = new OnnxNode(opType, Fresh(nameHint.Length == 0 ? opType : nameHint), inputs, [output]);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Adds a float32 initializer holding <paramref name="t"/>'s values with the given dims (default: its shape).</summary>
    public string Initializer(string nameHint, Tensor t, long[]? dims = null)
    {
        var values = t.To(DType.Float32).Contiguous().ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw_data is little-endian");
        string name = Fresh(nameHint);
        _initializers.Add((name, dims ?? t.Shape.Select(d => (long)d).ToArray(), Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return name;
    }

    /// <summary>Adds an int64 initializer (shapes, pads, sizes).</summary>
    public string Int64Initializer(string nameHint, long[] values)
    {
        string name = Fresh(nameHint);
        _initializers.Add((name, [values.Length], Int64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
        return name;
    }

    /// <summary>
    /// Encodes the ModelProto. Dims are longs (fixed) or strings (symbolic, dim_param).
    /// </summary>
    public byte[] ToModelProto(int opset, string input, object[] inputDims, string output, object[] outputDims, string graphName)
    {
        var w = new ProtoWriter();
        w.Int(1, IrVersion(opset));                       // ModelProto.ir_version
        w.String(2, "MiniTorch");                         // producer_name
        w.String(3, typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "0"); // producer_version
        w.Message(7, g =>                                 // graph
        {
            foreach (var node in _nodes) g.Message(1, n => WriteNode(n, node));
            g.String(2, graphName);
            foreach (var init in _initializers) g.Message(5, t => WriteTensor(t, init.Name, init.Dims, init.DataType, init.Raw));
            g.Message(11, v => WriteValueInfo(v, input, inputDims));
            g.Message(12, v => WriteValueInfo(v, output, outputDims));
        });
        w.Message(8, o => { o.String(1, ""); o.Int(2, opset); }); // opset_import (default domain)
        return w.ToArray();
    }

    // The IR version that introduced each opset (onnx/helper.py's VERSION_TABLE).
    private static long IrVersion(int opset) => opset switch { <= 14 => 7, <= 18 => 8, _ => 9 };

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (var i in node.Inputs) w.String(1, i);
        foreach (var o in node.Outputs) w.String(2, o);
        w.String(3, node.Name);
        w.String(4, node.OpType);
        foreach (var (name, value) in node.Attributes) w.Message(5, a => WriteAttribute(a, name, value));
    }

    private static void WriteAttribute(ProtoWriter w, string name, object value)
    {
        // AttributeProto: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, type = 20.
        w.String(1, name);
        switch (value)
        {
            case float f: w.Float(2, f); w.Int(20, 1); break;
            case long i: w.Int(3, i); w.Int(20, 2); break;
            case string s: w.String(4, s); w.Int(20, 3); break;
            case float[] fs: foreach (var f in fs) w.Float(7, f); w.Int(20, 6); break;
            case long[] ints: w.Ints(8, ints); w.Int(20, 7); break;
            default: throw new ArgumentException($"unsupported ONNX attribute value {value.GetType().Name} for '{name}'");
        }
    }

    private static void WriteTensor(ProtoWriter w, string name, long[] dims, int dataType, byte[] raw)
    {
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
        w.Ints(1, dims);
        w.Int(2, dataType);
        w.String(8, name);
        w.Bytes(9, raw);
    }

    private static void WriteValueInfo(ProtoWriter w, string name, object[] dims)
    {
        // ValueInfoProto.name = 1, .type = 2 → TypeProto.tensor_type = 1 → elem_type = 1, shape = 2 → dim = 1 → dim_value = 1 | dim_param = 2.
        w.String(1, name);
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int(1, Float);
            tensor.Message(2, shape =>
            {
                foreach (var d in dims)
                    shape.Message(1, dim => { if (d is string p) dim.String(2, p); else dim.Int(1, Convert.ToInt64(d)); });
            });
        }));
    }
}
