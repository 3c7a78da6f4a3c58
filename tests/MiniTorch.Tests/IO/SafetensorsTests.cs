using System.Buffers.Binary;
using System.Text;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

public class SafetensorsTests
{
    internal static byte[] Build(string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        return bytes;
    }

    private static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var ms = new MemoryStream();
        Safetensors.Save(tensors, ms, metadata);
        return ms.ToArray();
    }

    private static InvalidDataException LoadFails(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => Safetensors.Load(new MemoryStream(bytes)));

    [Fact]
    public void Load_PythonMadeFile_MatchesValuesOrderAndMetadata()
    {
        var file = Safetensors.LoadFile(IOGolden.File("py_state.safetensors"));
        var expected = IOGolden.Json.GetProperty("py_state");
        Assert.Equal(expected.GetProperty("order").EnumerateArray().Select(e => e.GetString()), file.Tensors.Keys);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("gen_io.py", file.Metadata["source"]);
        foreach (var prop in expected.GetProperty("tensors").EnumerateObject())
        {
            var t = file.Tensors[prop.Name];
            Assert.Equal(prop.Value.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32, t.DType);
            Assert.Equal(IOGolden.Ints(prop.Value.GetProperty("shape")), t.Shape);
            Assert.Equal(IOGolden.Doubles(prop.Value.GetProperty("values")), t.ToDoubleArray());
        }
    }

    [Fact]
    public void Save_MatchesReferenceImplementationBytes()
    {
        // The expected bytes are the reference implementation's own unit tests (safetensors/src/tensor.rs).
        var attn = new Dictionary<string, Tensor> { ["attn.0"] = Torch.Arange(6).Reshape(1, 2, 3) };
        var expected = Build("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]);
        Assert.Equal(64, expected[0]);
        Assert.Equal(expected, Serialize(attn));
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32], Serialize(new Dictionary<string, Tensor>()));
        var meta = Serialize(new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal(Build("{\"__metadata__\":{\"framework\":\"pt\"}}     ", []), meta);
        // A shorter name forces seven spaces of padding before the data.
        var forced = Serialize(new Dictionary<string, Tensor> { ["attn0"] = Torch.Arange(6).Reshape(1, 1, 2, 3) });
        Assert.Equal(72, forced[0]);
        Assert.Equal("       "u8.ToArray(), forced[(8 + 65)..(8 + 72)]);
    }

    [Fact]
    public void Save_OrdersByDescendingAlignmentThenName()
    {
        var dict = new Dictionary<string, Tensor>
        {
            ["b"] = Torch.Ones([2]), ["a"] = Torch.Ones([1]), ["z64"] = Torch.Ones([1], DType.Float64),
            ["c64"] = Torch.Ones([3], DType.Float64), ["B"] = Torch.Ones([1]),
        };
        var loaded = Safetensors.Load(new MemoryStream(Serialize(dict)));
        Assert.Equal(new[] { "c64", "z64", "B", "a", "b" }, loaded.Keys);
    }

    [Fact]
    public void RoundTrip_WithMetadata_KeepsValuesShapesDtypes()
    {
        var g = new Generator(3);
        var dict = new OrderedDictionary<string, Tensor>
        {
            ["w"] = Torch.Randn([3, 4], g),
            ["w_t"] = Torch.Randn([4, 3], g, DType.Float64).T, // non-contiguous view
            ["scalar"] = Torch.Scalar(-2.5, DType.Float64),
            ["empty"] = Torch.Zeros([2, 0, 3]),
            ["ünïcode name"] = Torch.Full([2], 0.25),
        };
        var meta = new Dictionary<string, string> { ["epoch"] = "12", ["note"] = "quote \" and\nnewline" };
        var path = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.Save(dict, path, meta);
            var file = Safetensors.LoadFile(path);
            Assert.Equal(meta, file.Metadata);
            Assert.Equal(dict.Count, file.Tensors.Count);
            foreach (var (k, v) in dict)
            {
                Assert.Equal(v.DType, file.Tensors[k].DType);
                Assert.Equal(v.Shape, file.Tensors[k].Shape);
                Assert.Equal(v.ToDoubleArray(), file.Tensors[k].ToDoubleArray());
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Save_ReservedNameOrNullTensor_Throws()
    {
        Assert.Throws<ArgumentException>(() => Serialize(new Dictionary<string, Tensor> { ["__metadata__"] = Torch.Ones(1) }));
        Assert.Throws<ArgumentNullException>(() => Serialize(new Dictionary<string, Tensor> { ["x"] = null! }));
    }

    [Fact]
    public void Load_HeaderOutOfOrderButContiguous_SortsByOffset()
    {
        var data = new byte[12];
        BitConverter.GetBytes(1f).CopyTo(data, 0);
        BitConverter.GetBytes(2.0).CopyTo(data, 4);
        var bytes = Build("{\"second\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[4,12]},\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", data);
        var loaded = Safetensors.Load(new MemoryStream(bytes));
        Assert.Equal(new[] { "first", "second" }, loaded.Keys);
        Assert.Equal(2.0, loaded["second"].Item());
    }

    private const string One = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    [Theory]
    [InlineData("{\"x\":{\"dtype\":\"XYZ\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unknown dtype 'XYZ'")]
    [InlineData("{\"x\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8, "dtype BF16; MiniTorch loads only F32, F64 and (as float64) I64")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes but its data_offsets [0, 8] span 8")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12, "cover 8 bytes but the file holds 12")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "reach beyond the 4 bytes")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "leave a gap")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlap entry 'x'")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "end before they begin")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", 8, "names 'x' twice")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "invalid shape entry -2")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, "larger than MiniTorch supports")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "no \"data_offsets\" pair")]
    [InlineData("{\"__metadata__\":{\"k\":3}}", 0, "value of 'k' must be a string")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", 8, "not valid JSON")]
    [InlineData("[1, 2]", 0, "must be a JSON object")]
    public void Load_LyingOrInvalidHeader_ThrowsInvalidData(string header, int dataBytes, string message)
    {
        var e = LoadFails(Build(header, new byte[dataBytes]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Load_AbsurdOrTruncatedHeaderLength_ThrowsBeforeAllocating()
    {
        var bytes = Build(One, new byte[8]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);
        Assert.Contains("exceeds the limit of 100000000", LoadFails(bytes).Message);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.Contains("exceeds the limit", LoadFails(bytes).Message);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 5000);
        Assert.Contains("exceeds the", LoadFails(bytes).Message);
        Assert.Contains("file too small", LoadFails(bytes[..5]).Message);
    }

    [Fact]
    public void Load_InvalidUtf8InHeader_ThrowsInvalidData()
    {
        // Found by the fuzzer: System.Text.Json only notices bad UTF-8 inside strings when they are read.
        var bytes = Build("{\"__metadata__\":{\"k\":\"v\"}}", []);
        bytes[8 + 22] = 0xD1; // the "v"
        Assert.Contains("not valid UTF-8", LoadFails(bytes).Message);
    }

    [Fact]
    public void Load_TruncatedFile_ThrowsInvalidData()
    {
        var full = Serialize(new Dictionary<string, Tensor> { ["a"] = Torch.Ones([3, 3]), ["b"] = Torch.Ones([2], DType.Float64) });
        for (int cut = 0; cut < full.Length; cut += 7) LoadFails(full[..cut]);
    }

    [Fact]
    public void ModuleSaveLoadSafetensors_RoundTripsAndReportsMismatches()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}.safetensors");
        try
        {
            var source = new IOGolden.TinyNet();
            source.SaveSafetensors(path);
            var target = new IOGolden.TinyNet();
            foreach (var p in target.Parameters()) p.CopyFrom(Torch.ZerosLike(p));
            target.LoadSafetensors(path);
            foreach (var ((name, a), (_, b)) in source.StateDict().Zip(target.StateDict()))
                Assert.True(a.ToDoubleArray().SequenceEqual(b.ToDoubleArray()), name);

            Safetensors.Save(new Dictionary<string, Tensor> { ["extra"] = Torch.Ones(1), ["scale"] = Torch.Scalar(9, DType.Float64) }, path);
            var e = Assert.Throws<ArgumentException>(() => target.LoadSafetensors(path));
            Assert.Contains("Missing key(s) in state_dict: \"empty\", \"main.weight\"", e.Message);
            Assert.Contains("Unexpected key(s) in state_dict: \"extra\"", e.Message);
            target.LoadSafetensors(path, strict: false);
            Assert.Equal(9.0, target.StateDict()["scale"].Item());
        }
        finally { File.Delete(path); }
    }
}
