using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MiniTorch.Storage;

namespace MiniTorch.IO;

/// <summary>
/// Moves tensor elements to and from little-endian bytes (the byte order of safetensors and of
/// '&lt;f4'/'&lt;f8' .npy files), in row-major order, whatever the tensor's strides.
/// </summary>
internal static class TensorBytes
{
    public static int ElementSize(DType dtype) => dtype is DType.Float64 or DType.Int64 ? 8 : dtype == DType.Bool ? 1 : 4;

    /// <summary>Writes the elements of <paramref name="tensor"/> in C order, little-endian.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        var c = tensor.Detach().Contiguous();
        switch (c.DType)
        {
            case DType.Float32: WriteSpan(stream, c.Span<float>()); break;
            case DType.Float64: WriteSpan(stream, c.Span<double>()); break;
            case DType.Int64: WriteSpan(stream, c.Span<long>()); break;
            default: throw new NotSupportedException($"writing {c.DType} tensors is not supported");
        }
    }

    private static void WriteSpan<T>(Stream stream, Span<T> values) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian) { stream.Write(MemoryMarshal.AsBytes(values)); return; }
        var swapped = values.ToArray();
        Swap<T>(MemoryMarshal.AsBytes(swapped.AsSpan()));
        stream.Write(MemoryMarshal.AsBytes(swapped.AsSpan()));
    }

    /// <summary>
    /// Reads <c>numel(shape)</c> elements. The caller has already checked that the stream holds
    /// that many bytes, so the allocation is bounded by the real file length.
    /// </summary>
    public static Tensor Read(Stream stream, DType dtype, int[] shape, bool bigEndian = false)
    {
        int numel = Shape.Numel(shape);
        TensorStorage storage = dtype == DType.Float32 ? Fill<float>(stream, numel, bigEndian) : Fill<double>(stream, numel, bigEndian);
        return new Tensor(storage, shape);
    }

    /// <summary>Reads little-endian int64 elements into a float64 tensor; values beyond ±2^53 (not exact in float64) are an error.</summary>
    public static Tensor ReadInt64AsFloat64(Stream stream, int[] shape, string name)
    {
        int numel = Shape.Numel(shape);
        var raw = new long[numel];
        try { stream.ReadExactly(MemoryMarshal.AsBytes(raw.AsSpan())); }
        catch (EndOfStreamException) { throw new InvalidDataException($"unexpected end of file while reading {numel} elements of tensor data"); }
        var values = new double[numel];
        for (int i = 0; i < numel; i++)
        {
            long v = BitConverter.IsLittleEndian ? raw[i] : BinaryPrimitives.ReverseEndianness(raw[i]);
            if (v > (1L << 53) || v < -(1L << 53)) throw new InvalidDataException($"I64 tensor '{name}' holds {v}, which float64 cannot represent exactly");
            values[i] = v;
        }
        return new Tensor(new TensorStorage<double>(values), shape);
    }

    private static TensorStorage<T> Fill<T>(Stream stream, int numel, bool bigEndian) where T : unmanaged
    {
        var data = new T[numel];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        try { stream.ReadExactly(bytes); }
        catch (EndOfStreamException) { throw new InvalidDataException($"unexpected end of file while reading {numel} elements of tensor data"); }
        if (bigEndian == BitConverter.IsLittleEndian) Swap<T>(bytes);
        return new TensorStorage<T>(data);
    }

    private static void Swap<T>(Span<byte> bytes) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, int>(bytes), MemoryMarshal.Cast<byte, int>(bytes));
        else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, long>(bytes), MemoryMarshal.Cast<byte, long>(bytes));
    }
}
