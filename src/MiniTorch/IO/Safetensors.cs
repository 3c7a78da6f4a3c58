using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MiniTorch.IO;

/// <summary>The contents of a safetensors file: tensors in file (data offset) order and the optional <c>__metadata__</c>.</summary>
/// <param name="Tensors">The tensors by name, in the order of their data in the file.</param>
/// <param name="Metadata">The string-to-string <c>__metadata__</c> map (empty when the file has none).</param>
public sealed record SafetensorsFile(OrderedDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensors by name, in the order of their data in the file.</summary>
    public OrderedDictionary<string, Tensor> Tensors { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Tensors);
    /// <summary>The string-to-string <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Metadata);
}

/// <summary>
/// Reads and writes the safetensors format of Hugging Face (the format PyTorch models are shared
/// in): an 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor bytes.
/// </summary>
/// <remarks>
/// <para>Header: <c>{"__metadata__":{…},"name":{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]},…}</c>,
/// offsets relative to the start of the data section, little-endian C-order data.</para>
/// <para>The writer follows the reference implementation (safetensors' Rust <c>prepare</c>): tensors sorted
/// by descending dtype alignment (F64 before F32), then by name (byte-wise on UTF-8); the data
/// written contiguously in that order; compact JSON with <c>__metadata__</c> first (when given);
/// the header padded with spaces to a multiple of 8 bytes so the data is 8-byte aligned. For ASCII
/// names without control characters the bytes equal the reference writer's; other names may be
/// escaped differently by System.Text.Json, which is still valid JSON for every reader.</para>
/// <para>The reader validates everything before allocating tensor memory: header length at most
/// 100 MB and within the file, valid JSON, known dtypes, shape × dtype size equal to the offsets
/// span, offsets contiguous from 0 and covering the data section exactly. Any violation throws
/// <see cref="InvalidDataException"/>. F32 and F64 tensors load as they are; I64 tensors (such as
/// PyTorch's <c>num_batches_tracked</c>) load as float64 when every value is within ±2^53.</para>
/// </remarks>
public static class Safetensors
{
    /// <summary>The largest header accepted, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderSize = 100_000_000;

    private const string MetadataKey = "__metadata__";

    // Element sizes of every dtype the format defines, so that a valid file with, say, BF16 data
    // gets "unsupported dtype BF16" rather than "unknown dtype".
    private static readonly Dictionary<string, int> KnownDTypes = new()
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1, ["I16"] = 2, ["U16"] = 2,
        ["F16"] = 2, ["BF16"] = 2, ["I32"] = 4, ["U32"] = 4, ["F32"] = 4, ["F64"] = 8, ["I64"] = 8, ["U64"] = 8,
    };

    /// <summary>Saves <paramref name="tensors"/> (and optional string metadata) to <paramref name="path"/>, atomically.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(path);
        var (header, ordered) = Prepare(tensors, metadata);
        AtomicFile.Write(path, s => WriteBody(s, header, ordered));
    }

    /// <summary>Writes <paramref name="tensors"/> in safetensors format to <paramref name="stream"/>.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(stream);
        var (header, ordered) = Prepare(tensors, metadata);
        WriteBody(stream, header, ordered);
    }

    /// <summary>Loads the tensors of a safetensors file, in file order.</summary>
    /// <param name="path">The file (a regular file; symbolic links are followed).</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static OrderedDictionary<string, Tensor> Load(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return LoadFile(path, limits).Tensors;
    }

    /// <summary>Loads the tensors of a safetensors file and its <c>__metadata__</c>.</summary>
    /// <param name="path">The file (a regular file; symbolic links are followed).</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    /// <exception cref="InvalidDataException">The file is malformed, over budget or not a regular file; the message names the file and the field.</exception>
    public static SafetensorsFile LoadFile(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = RegularFile.Open(path);
        return RegularFile.Named(path, () => LoadFile(stream, limits));
    }

    /// <summary>Reads the tensors of a safetensors file from a seekable stream, in file order.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static OrderedDictionary<string, Tensor> Load(Stream stream, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return LoadFile(stream, limits).Tensors;
    }

    /// <summary>Reads a safetensors file (tensors and metadata) from a seekable stream, from its current position to its end.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="limits">The byte budget (default <see cref="ReadLimits.Default"/>).</param>
    public static SafetensorsFile LoadFile(Stream stream, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        limits ??= ReadLimits.Default;
        if (!stream.CanSeek) throw new ArgumentException("safetensors reading needs a seekable stream", nameof(stream));
        long start = stream.Position, available = stream.Length - start;
        if (available < 8) throw new InvalidDataException($"file too small for a safetensors file: {available} bytes, the 8-byte header length is missing");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderSize) throw new InvalidDataException($"safetensors header length {n} exceeds the limit of {MaxHeaderSize} bytes");
        if ((long)n > available - 8) throw new InvalidDataException($"safetensors header length {n} exceeds the {available - 8} bytes that follow it in the file");
        limits.CheckBytes("safetensors header", (long)n);
        var headerBytes = new byte[n];
        stream.ReadExactly(headerBytes);
        var (entries, metadata) = ParseHeader(headerBytes);
        long dataLength = available - 8 - (long)n;
        ValidateLayout(entries, dataLength);
        // I64 tensors are read as int64 and converted into a float64 tensor of the same size.
        limits.CheckBytes("safetensors tensor data", dataLength + entries.Where(e => e.FromInt64).Sum(e => e.End - e.Begin));
        var tensors = new OrderedDictionary<string, Tensor>();
        foreach (var e in entries)
            tensors.Add(e.Name, e.FromInt64 ? TensorBytes.ReadInt64AsFloat64(stream, e.Shape, e.Name) : TensorBytes.Read(stream, e.DType, e.Shape));
        return new SafetensorsFile(tensors, metadata);
    }

    private sealed record Entry(string Name, DType DType, int[] Shape, long Begin, long End, bool FromInt64 = false);

    private static (List<Entry>, IReadOnlyDictionary<string, string>) ParseHeader(byte[] header)
    {
        // System.Text.Json validates UTF-8 lazily (GetString would throw InvalidOperationException), so check it up front.
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw new InvalidDataException("safetensors header is not valid UTF-8");
        CheckStrings(header);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new InvalidDataException($"safetensors header is not valid JSON: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"safetensors header must be a JSON object, got {doc.RootElement.ValueKind}");
            var metadata = new OrderedDictionary<string, string>();
            var entries = new List<Entry>();
            var seen = new HashSet<string>();
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(prop.Name)) throw new InvalidDataException($"safetensors header names '{prop.Name}' twice");
                if (prop.Name == MetadataKey) { if (prop.Value.ValueKind != JsonValueKind.Null) ParseMetadata(prop.Value, metadata); }
                else entries.Add(ParseEntry(prop.Name, prop.Value));
            }
            return (entries, metadata);
        }
    }

    /// <summary>
    /// Checks that every string and name of the header is valid Unicode once unescaped. An escape of a
    /// lone UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON syntax but names no character; safetensors'
    /// own reader (serde_json) rejects it, and System.Text.Json would throw InvalidOperationException
    /// only when the string is read.
    /// </summary>
    private static void CheckStrings(byte[] header)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
                try { reader.GetString(); }
                catch (InvalidOperationException)
                {
                    string what = reader.TokenType == JsonTokenType.PropertyName ? "name" : "string";
                    throw new InvalidDataException($"safetensors header has a {what} at byte {reader.TokenStartIndex} with an escaped lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not a character");
                }
            }
        }
        catch (JsonException e) { throw new InvalidDataException($"safetensors header is not valid JSON: {e.Message}", e); }
    }

    private static void ParseMetadata(JsonElement value, OrderedDictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"safetensors {MetadataKey} must be an object of strings, got {value.ValueKind}");
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"safetensors {MetadataKey} value of '{p.Name}' must be a string, got {p.Value.ValueKind}");
            if (!metadata.TryAdd(p.Name, p.Value.GetString()!)) throw new InvalidDataException($"safetensors {MetadataKey} names '{p.Name}' twice");
        }
    }

    private static Entry ParseEntry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"safetensors entry '{name}' must be an object, got {value.ValueKind}");
        if (!value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw new InvalidDataException($"safetensors entry '{name}' has no string \"dtype\"");
        if (!value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"safetensors entry '{name}' has no array \"shape\"");
        if (!value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new InvalidDataException($"safetensors entry '{name}' has no \"data_offsets\" pair");
        string dtypeName = dt.GetString()!;
        if (!KnownDTypes.TryGetValue(dtypeName, out int elementSize)) throw new InvalidDataException($"safetensors entry '{name}' has unknown dtype '{dtypeName}'");
        DType dtype = dtypeName switch
        {
            "F32" => DType.Float32,
            "F64" => DType.Float64,
            // PyTorch stores counters such as BatchNorm's num_batches_tracked as I64; they load as
            // float64, exactly, as long as they stay within ±2^53.
            "I64" => DType.Float64,
            _ => throw new InvalidDataException($"safetensors entry '{name}' has dtype {dtypeName}; MiniTorch loads only F32, F64 and (as float64) I64"),
        };
        var shape = new int[sh.GetArrayLength()];
        long numel = 1;
        int i = 0;
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long size) || size < 0)
                throw new InvalidDataException($"safetensors entry '{name}' has an invalid shape entry {d.GetRawText()}");
            if (size > int.MaxValue) throw new InvalidDataException($"safetensors entry '{name}' has dimension {size}, larger than MiniTorch supports");
            shape[i++] = (int)size;
            numel = numel == 0 || size == 0 ? 0 : numel <= int.MaxValue / size ? numel * size : long.MaxValue;
        }
        if (numel > int.MaxValue) throw new InvalidDataException($"safetensors entry '{name}' of shape {Shape.Format(shape)} has more than {int.MaxValue} elements");
        long begin = ReadOffset(name, off[0]), end = ReadOffset(name, off[1]);
        if (end < begin) throw new InvalidDataException($"safetensors entry '{name}' has data_offsets [{begin}, {end}] that end before they begin");
        if (end - begin != numel * elementSize)
            throw new InvalidDataException($"safetensors entry '{name}' of dtype {dtypeName} and shape {Shape.Format(shape)} needs {numel * elementSize} bytes but its data_offsets [{begin}, {end}] span {end - begin}");
        return new Entry(name, dtype, shape, begin, end, dtypeName == "I64");
    }

    private static long ReadOffset(string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v) || v < 0)
            throw new InvalidDataException($"safetensors entry '{name}' has an invalid data offset {e.GetRawText()}");
        return v;
    }

    /// <summary>Sorts entries by offset and checks that they tile the data section exactly, as the reference reader does.</summary>
    private static void ValidateLayout(List<Entry> entries, long dataLength)
    {
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        string previous = "the start of the data";
        foreach (var e in entries)
        {
            if (e.Begin < expected) throw new InvalidDataException($"safetensors entry '{e.Name}' data_offsets [{e.Begin}, {e.End}] overlap {previous} (which ends at {expected})");
            if (e.Begin > expected) throw new InvalidDataException($"safetensors entry '{e.Name}' data_offsets [{e.Begin}, {e.End}] leave a gap after {previous} (which ends at {expected})");
            if (e.End > dataLength) throw new InvalidDataException($"safetensors entry '{e.Name}' data_offsets [{e.Begin}, {e.End}] reach beyond the {dataLength} bytes of data in the file");
            expected = e.End;
            previous = $"entry '{e.Name}'";
        }
        if (expected != dataLength)
            throw new InvalidDataException($"safetensors data_offsets cover {expected} bytes but the file holds {dataLength} bytes of tensor data");
    }

    private static (byte[] Header, List<KeyValuePair<string, Tensor>> Ordered) Prepare(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var (name, t) in tensors)
        {
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved for metadata and cannot name a tensor");
            if (t is null) throw new ArgumentNullException(nameof(tensors), $"tensor '{name}' is null");
        }
        // Descending alignment (F64 before F32), then name compared byte-wise on UTF-8, like Rust's String ordering.
        var ordered = tensors.Select(kv => (Key: Encoding.UTF8.GetBytes(kv.Key), Pair: kv))
            .OrderByDescending(x => TensorBytes.ElementSize(x.Pair.Value.DType))
            .ThenBy(x => x.Key, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)))
            .Select(x => x.Pair).ToList();
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is not null)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in ordered)
            {
                long n = (long)t.Numel * TensorBytes.ElementSize(t.DType);
                w.WriteStartObject(name);
                w.WriteString("dtype", t.DType switch
                {
                    DType.Float64 => "F64",
                    DType.Float32 => "F32",
                    DType.Int64 => "I64", // as PyTorch writes num_batches_tracked; it loads back as float64
                    _ => throw new NotSupportedException($"safetensors: tensor '{name}' is {t.DType}; MiniTorch writes F32, F64 and I64"),
                });
                w.WriteStartArray("shape");
                foreach (var d in t.ShapeRef) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + n);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += n;
            }
            w.WriteEndObject();
        }
        // Pad with spaces so the data section starts 8-byte aligned (8 + header length ≡ 0 mod 8).
        int length = (int)json.Length, padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        json.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return (header, ordered);
    }

    private static void WriteBody(Stream stream, byte[] header, List<KeyValuePair<string, Tensor>> ordered)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (_, t) in ordered) TensorBytes.Write(stream, t);
    }
}
