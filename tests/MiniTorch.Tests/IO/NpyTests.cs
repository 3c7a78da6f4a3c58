using System.Buffers.Binary;
using System.Text;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

public class NpyTests
{
    private static Tensor RoundTrip(Tensor t)
    {
        using var ms = new MemoryStream();
        Npy.Save(t, ms);
        ms.Position = 0;
        return Npy.Load(ms);
    }

    /// <summary>A version-1.0 file with the given header text (padded as numpy does) and data bytes.</summary>
    internal static byte[] Build(string header, int dataBytes, byte major = 1)
    {
        int lenBytes = major == 1 ? 2 : 4;
        int hlen = header.Length + 1, total = hlen + 64 - (8 + lenBytes + hlen) % 64;
        var bytes = new byte[8 + lenBytes + total + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 }.CopyTo(bytes, 0);
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)total);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)total);
        Encoding.Latin1.GetBytes(header.PadRight(total - 1) + "\n").CopyTo(bytes, 8 + lenBytes);
        return bytes;
    }

    private static InvalidDataException LoadFails(byte[] bytes) => Assert.Throws<InvalidDataException>(() => Npy.Load(new MemoryStream(bytes)));

    [Theory]
    [InlineData("py_f32.npy", "f32", DType.Float32)]
    [InlineData("py_f64.npy", "f64", DType.Float64)]
    [InlineData("py_fortran.npy", "fortran", DType.Float64)]
    [InlineData("py_v2.npy", "f32", DType.Float32)]
    [InlineData("py_v3.npy", "f64", DType.Float64)]
    public void Load_NumpyFiles_MatchValues(string file, string key, DType dtype)
    {
        var t = Npy.Load(IOGolden.File(file));
        var e = IOGolden.Json.GetProperty("npy").GetProperty(key);
        Assert.Equal(dtype, t.DType);
        Assert.Equal(IOGolden.Ints(e.GetProperty("shape")), t.Shape);
        Assert.Equal(IOGolden.Doubles(e.GetProperty("values")), t.ToDoubleArray());
    }

    [Fact]
    public void Load_NumpyScalarAndEmpty_KeepShapes()
    {
        var s = Npy.Load(IOGolden.File("py_scalar.npy"));
        Assert.Empty(s.Shape);
        Assert.Equal(3.25, s.Item());
        var e = Npy.Load(IOGolden.File("py_empty.npy"));
        Assert.Equal(new[] { 0, 3 }, e.Shape);
        Assert.Equal(DType.Float64, e.DType);
    }

    [Fact]
    public void Load_IntegerArray_NamesTheDtype()
    {
        var e = Assert.Throws<InvalidDataException>(() => Npy.Load(IOGolden.File("py_int.npy")));
        Assert.Contains("'<i4'", e.Message);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void RoundTrip_KeepsValuesShapesAndDtype(DType dtype)
    {
        var g = new Generator(11);
        foreach (var shape in new[] { new int[0], [0], [3, 0, 2], [5], [2, 3, 4], [1, 1, 1, 7] })
        {
            var t = Torch.Randn(shape, g, dtype);
            var back = RoundTrip(t);
            Assert.Equal(dtype, back.DType);
            Assert.Equal(shape, back.Shape);
            Assert.Equal(t.ToDoubleArray(), back.ToDoubleArray());
        }
        var view = Torch.Randn([3, 4], g, dtype).T.Slice(1, 0, 3, 2);
        Assert.Equal(view.ToDoubleArray(), RoundTrip(view).ToDoubleArray());
    }

    [Fact]
    public void Save_ToPath_WritesNumpyLayout()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}.npy");
        try
        {
            Npy.Save(Torch.Ones([2, 3]), path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(128 + 24, bytes.Length); // 64-byte aligned header (with numpy's growth spaces), then 6 floats
            Assert.Equal('\n', (char)bytes[127]);
            Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Encoding.Latin1.GetString(bytes, 10, 118));
            Assert.Equal(Enumerable.Repeat(1.0, 6), Npy.Load(path).ToDoubleArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Load_BigEndianAndFortranHeaders_AreHonoured()
    {
        var bytes = Build("{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }", 48);
        int data = bytes.Length - 48;
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(data + 8 * i), i); // column-major 0..5
        var t = Npy.Load(new MemoryStream(bytes));
        Assert.Equal(new[] { 2, 3 }, t.Shape);
        Assert.Equal(new[] { 0.0, 2, 4, 1, 3, 5 }, t.ToDoubleArray());
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20, "= 24 bytes, but the file holds 20")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 28, "the file holds 28")]
    [InlineData("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", 4, "'<f2' is not supported")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8, "structured dtype")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", 0, "larger than MiniTorch supports")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, 2000000000), }", 0, "more than 2147483647 elements")]
    [InlineData("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", 8, "expected True or False")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", 8, "must name 'descr', 'fortran_order' and 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", 8, "expected a non-negative integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,), }", 8, "unexpected or repeated key 'shape'")]
    [InlineData("__import__('os')", 8, "expected '{'")]
    public void Load_LyingOrInvalidHeader_ThrowsInvalidData(string header, int dataBytes, string message)
    {
        Assert.Contains(message, LoadFails(Build(header, dataBytes)).Message);
    }

    [Fact]
    public void Load_BadMagicVersionOrHeaderLength_ThrowsInvalidData()
    {
        var good = Build("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
        Assert.Contains("magic", LoadFails([.. "NOTNUMPY"u8, 1, 0, 0, 0]).Message);
        var v9 = (byte[])good.Clone(); v9[6] = 9;
        Assert.Contains("version 9.0", LoadFails(v9).Message);
        var longHeader = (byte[])good.Clone(); BinaryPrimitives.WriteUInt16LittleEndian(longHeader.AsSpan(8), 60000);
        Assert.Contains("exceeds the", LoadFails(longHeader).Message);
        var v2 = Build("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4, major: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(v2.AsSpan(8), uint.MaxValue);
        Assert.Contains("exceeds the limit", LoadFails(v2).Message);
        for (int cut = 0; cut < good.Length; cut += 5) LoadFails(good[..cut]);
    }
}
