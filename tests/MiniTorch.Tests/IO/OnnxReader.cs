using System.Buffers.Binary;
using System.Text;

namespace MiniTorch.Tests.IO;

/// <summary>
/// A small ONNX ModelProto reader for the tests, independent of the exporter's writer: it decodes the
/// protobuf wire format (accepting packed and unpacked repeated ints) and keeps the fields the tests check.
/// Field numbers are onnx.proto's.
/// </summary>
internal sealed class OnnxModel
{
    public long IrVersion;
    public string ProducerName = "";
    public List<(string Domain, long Version)> Opsets = [];
    public string GraphName = "";
    public List<OnnxNodeInfo> Nodes = [];
    public Dictionary<string, OnnxTensorInfo> Initializers = [];
    public List<(string Name, int ElemType, List<object> Dims)> Inputs = [], Outputs = [];

    public static OnnxModel Parse(byte[] bytes)
    {
        var m = new OnnxModel();
        foreach (var f in Fields(bytes))
            switch (f.Number)
            {
                case 1: m.IrVersion = (long)f.Varint; break;
                case 2: m.ProducerName = f.Text; break;
                case 7: m.ParseGraph(f.Bytes); break;
                case 8:
                    string domain = ""; long version = 0;
                    foreach (var o in Fields(f.Bytes)) if (o.Number == 1) domain = o.Text; else if (o.Number == 2) version = (long)o.Varint;
                    m.Opsets.Add((domain, version));
                    break;
            }
        return m;
    }

    private void ParseGraph(byte[] bytes)
    {
        foreach (var f in Fields(bytes))
            switch (f.Number)
            {
                case 1: Nodes.Add(OnnxNodeInfo.Parse(f.Bytes)); break;
                case 2: GraphName = f.Text; break;
                case 5: var t = OnnxTensorInfo.Parse(f.Bytes); Initializers.Add(t.Name, t); break;
                case 11: Inputs.Add(ValueInfo(f.Bytes)); break;
                case 12: Outputs.Add(ValueInfo(f.Bytes)); break;
            }
    }

    private static (string, int, List<object>) ValueInfo(byte[] bytes)
    {
        string name = ""; int elem = 0; var dims = new List<object>();
        foreach (var f in Fields(bytes))
        {
            if (f.Number == 1) name = f.Text;
            if (f.Number != 2) continue;
            foreach (var tensor in Fields(f.Bytes).Where(x => x.Number == 1))
                foreach (var tf in Fields(tensor.Bytes))
                {
                    if (tf.Number == 1) elem = (int)tf.Varint;
                    if (tf.Number == 2)
                        foreach (var dim in Fields(tf.Bytes).Where(x => x.Number == 1))
                            foreach (var d in Fields(dim.Bytes))
                                dims.Add(d.Number == 1 ? (long)d.Varint : d.Text);
                }
        }
        return (name, elem, dims);
    }

    internal readonly record struct Field(int Number, int WireType, ulong Varint, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
        public float Float => BinaryPrimitives.ReadSingleLittleEndian(Bytes);
    }

    internal static IEnumerable<Field> Fields(byte[] data)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            ulong tag = ReadVarint(data, ref pos);
            int number = (int)(tag >> 3), wire = (int)(tag & 7);
            switch (wire)
            {
                case 0: yield return new Field(number, 0, ReadVarint(data, ref pos), []); break;
                case 1: yield return new Field(number, 1, 0, data[pos..(pos + 8)]); pos += 8; break;
                case 2:
                    int len = checked((int)ReadVarint(data, ref pos));
                    yield return new Field(number, 2, 0, data[pos..(pos + len)]);
                    pos += len;
                    break;
                case 5: yield return new Field(number, 5, 0, data[pos..(pos + 4)]); pos += 4; break;
                default: throw new InvalidDataException($"unknown protobuf wire type {wire} at byte {pos}");
            }
        }
    }

    internal static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[pos++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return v;
        }
    }

    /// <summary>A repeated int64 field's values, packed (wire type 2) or not (wire type 0).</summary>
    internal static IEnumerable<long> Ints(Field f)
    {
        if (f.WireType == 0) { yield return (long)f.Varint; yield break; }
        int pos = 0;
        while (pos < f.Bytes.Length) yield return (long)ReadVarint(f.Bytes, ref pos);
    }
}

internal sealed class OnnxNodeInfo
{
    public List<string> Inputs = [], Outputs = [];
    public string Name = "", OpType = "";
    public Dictionary<string, object> Attributes = [];

    public static OnnxNodeInfo Parse(byte[] bytes)
    {
        var n = new OnnxNodeInfo();
        foreach (var f in OnnxModel.Fields(bytes))
            switch (f.Number)
            {
                case 1: n.Inputs.Add(f.Text); break;
                case 2: n.Outputs.Add(f.Text); break;
                case 3: n.Name = f.Text; break;
                case 4: n.OpType = f.Text; break;
                case 5: var (name, value) = Attribute(f.Bytes); n.Attributes.Add(name, value); break;
            }
        return n;
    }

    private static (string, object) Attribute(byte[] bytes)
    {
        string name = ""; long type = 0; float fl = 0; long i = 0; string s = "";
        var ints = new List<long>(); var floats = new List<float>();
        foreach (var f in OnnxModel.Fields(bytes))
            switch (f.Number)
            {
                case 1: name = f.Text; break;
                case 2: fl = f.Float; break;
                case 3: i = (long)f.Varint; break;
                case 4: s = f.Text; break;
                case 7: floats.Add(f.Float); break;
                case 8: ints.AddRange(OnnxModel.Ints(f)); break;
                case 20: type = (long)f.Varint; break;
            }
        object value = type switch
        {
            1 => fl, 2 => i, 3 => s, 6 => floats.ToArray(), 7 => ints.ToArray(),
            _ => throw new InvalidDataException($"attribute {name}: unexpected type {type}"),
        };
        return (name, value);
    }

    public long[] Ints(string attribute) => (long[])Attributes[attribute];
}

internal sealed class OnnxTensorInfo
{
    public string Name = "";
    public List<long> Dims = [];
    public int DataType;
    public byte[] Raw = [];

    public static OnnxTensorInfo Parse(byte[] bytes)
    {
        var t = new OnnxTensorInfo();
        foreach (var f in OnnxModel.Fields(bytes))
            switch (f.Number)
            {
                case 1: t.Dims.AddRange(OnnxModel.Ints(f)); break;
                case 2: t.DataType = (int)f.Varint; break;
                case 8: t.Name = f.Text; break;
                case 9: t.Raw = f.Bytes; break;
            }
        return t;
    }

    public float[] Floats()
    {
        Assert.Equal(1, DataType);
        var v = new float[Raw.Length / 4];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(Raw.AsSpan(4 * i));
        return v;
    }

    public long[] Longs()
    {
        Assert.Equal(7, DataType);
        var v = new long[Raw.Length / 8];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadInt64LittleEndian(Raw.AsSpan(8 * i));
        return v;
    }
}
