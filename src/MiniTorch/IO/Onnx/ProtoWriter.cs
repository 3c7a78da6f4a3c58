using System.Buffers.Binary;
using System.Text;

namespace MiniTorch.IO;

/// <summary>
/// A minimal protocol-buffers encoder: varints, little-endian fixed32 floats and length-delimited
/// fields (strings, bytes, packed repeated ints, nested messages). Enough to write an ONNX
/// ModelProto without a code generator; field numbers are the ones in onnx.proto.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _out = new();

    // Wire types of the protobuf encoding.
    private const int Varint = 0, Fixed32 = 5, Delimited = 2;

    public byte[] ToArray() => _out.ToArray();

    private void Tag(int field, int wireType) => RawVarint(((ulong)field << 3) | (uint)wireType);

    private void RawVarint(ulong value)
    {
        while (value >= 0x80) { _out.WriteByte((byte)(value | 0x80)); value >>= 7; }
        _out.WriteByte((byte)value);
    }

    /// <summary>An int32/int64/enum field (negative values take ten bytes, as protobuf specifies).</summary>
    public void Int(int field, long value) { Tag(field, Varint); RawVarint((ulong)value); }

    /// <summary>A float field (fixed32).</summary>
    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _out.Write(b);
    }

    /// <summary>A bytes field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value) { Tag(field, Delimited); RawVarint((ulong)value.Length); _out.Write(value); }

    /// <summary>A string field, UTF-8.</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// A repeated int64 field, one tag per element: onnx.proto is proto2 and does not mark these
    /// fields packed, so this is what the reference serializer writes (parsers accept both).
    /// </summary>
    public void Ints(int field, IEnumerable<long> values)
    {
        foreach (long v in values) Int(field, v);
    }

    /// <summary>A nested message field, written by <paramref name="body"/>.</summary>
    public void Message(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        Bytes(field, inner.ToArray());
    }
}
