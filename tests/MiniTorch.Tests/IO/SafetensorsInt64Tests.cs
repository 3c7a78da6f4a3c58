using System.Buffers.Binary;
using MiniTorch.IO;
using MiniTorch.Nn;

namespace MiniTorch.Tests.IO;

/// <summary>PyTorch saves BatchNorm's num_batches_tracked as int64; such files must load.</summary>
public class SafetensorsInt64Tests
{
    private static byte[] Int64Bytes(params long[] values)
    {
        var data = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), values[i]);
        return data;
    }

    [Fact]
    public void Load_I64Tensor_BecomesExactFloat64()
    {
        var bytes = SafetensorsTests.Build("{\"n\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[0,24]}}", Int64Bytes(7, -2, 1L << 53));
        var t = Safetensors.Load(new MemoryStream(bytes))["n"];
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(new[] { 7.0, -2.0, 9007199254740992.0 }, t.ToDoubleArray());
    }

    [Fact]
    public void Load_I64BeyondFloat64Precision_IsInvalidData()
    {
        var bytes = SafetensorsTests.Build("{\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", Int64Bytes(long.MinValue));
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(new MemoryStream(bytes)));
        Assert.Contains("cannot represent exactly", e.Message);
    }

    [Fact]
    public void LoadStateDict_PyTorchBatchNormWithInt64Counter_Loads()
    {
        // The layout torch.save(bn.state_dict()) → safetensors produces for BatchNorm2d(2) after 5 steps.
        var floats = new float[] { 1.5f, 0.5f, 0.1f, -0.1f, 0.2f, 0.3f, 0.9f, 1.1f };
        var data = new byte[floats.Length * 4 + 8];
        for (int i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), floats[i]);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(32), 5);
        var header = "{\"weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
                     "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}," +
                     "\"running_mean\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}," +
                     "\"running_var\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}," +
                     "\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[32,40]}}";
        var state = Safetensors.Load(new MemoryStream(SafetensorsTests.Build(header, data)));
        var bn = new BatchNorm2d(2);
        bn.LoadStateDict(state);
        var sd = bn.StateDict();
        Assert.Equal(5.0, sd["num_batches_tracked"].Item());
        Assert.Equal(new[] { 0.9f, 1.1f }, sd["running_var"].ToArray());
    }
}
