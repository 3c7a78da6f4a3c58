using System.Text;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

public class PgmTests
{
    [Theory]
    [InlineData("gray")]
    [InlineData("gray16")]
    [InlineData("ascii")]
    public void Load_PythonMadePgm_MatchesPixels(string key) =>
        PngTests.AssertPixels(IOGolden.Json.GetProperty("pgm").GetProperty(key), Pgm.Load(IOGolden.File($"py_{key}.pgm")));

    [Theory]
    [InlineData(true, 255)]
    [InlineData(false, 255)]
    [InlineData(true, 1000)]
    [InlineData(false, 65535)]
    [InlineData(true, 1)]
    public void RoundTrip_ExactOnTheMaxvalGrid(bool binary, int maxval)
    {
        var rng = new Random(maxval);
        var values = Enumerable.Range(0, 6 * 15).Select(_ => rng.Next(maxval + 1) / (float)maxval).ToArray();
        var image = Torch.FromArray(values, 1, 6, 15);
        var decoded = Pgm.Decode(Pgm.Encode(image, binary, maxval));
        Assert.Equal(new[] { 1, 6, 15 }, decoded.Shape);
        Assert.Equal(values, decoded.ToArray());
    }

    [Fact]
    public void Save_AsciiWithComments_Parses()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mt_{Guid.NewGuid():N}.pgm");
        try
        {
            Pgm.Save(Torch.FromArray(new float[] { 0, 0.5f, 1 }, 1, 3), path, binary: false, maxval: 4);
            Assert.Equal("P2\n3 1\n4\n0 2 4\n", File.ReadAllText(path)); // 0.5·4 + 0.5 = 2.5 → 2
            var t = Pgm.Decode("P2 #c\n3#x\n 1 4\n0 2\n#mid\n4"u8);
            Assert.Equal(new[] { 0f, 0.5f, 1 }, t.ToArray());
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("P3\n1 1\n255\n0", "expected the magic number P2 or P5")]
    [InlineData("P5\n2 2\n255\n\x01\x02", "truncated")]
    [InlineData("P2\n2 2\n255\n1 2 3", "samples cannot fit")]
    [InlineData("P2\n2 2\n255\n1 2 3      ", "ends before its sample")]
    [InlineData("P2\n2 1\n15\n1 16", "value 16 above maxval 15")]
    [InlineData("P5\n1 1\n0\n\x00", "maxval 0 is out of range")]
    [InlineData("P5\n1 1\n70000\n\x00\x00", "maxval 70000 is out of range")]
    [InlineData("P5\n0 3\n255\n", "invalid dimensions 0x3")]
    [InlineData("P5\n65536 65536\n255\n", "more than the limit of 89478485")]
    [InlineData("P5\n99999999999 1\n255\n", "width is too large")]
    [InlineData("P5\n1 x\n255\n", "height expected at byte 5")]
    [InlineData("P5\n1 1\n255", "must end with a whitespace")]
    public void Decode_Invalid_ThrowsNamingTheProblem(string text, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => Pgm.Decode(Encoding.Latin1.GetBytes(text)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Encode_WrongShapeOrMaxval_Throws()
    {
        Assert.Contains("[1, H, W] or [H, W], got [3, 2, 2]", Assert.Throws<ArgumentException>(() => Pgm.Encode(Torch.Zeros(3, 2, 2))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Pgm.Encode(Torch.Zeros(2, 2), maxval: 0));
    }
}
