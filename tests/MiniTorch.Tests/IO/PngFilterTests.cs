using FsCheck;
using FsCheck.Fluent;
using MiniTorch.IO;

namespace MiniTorch.Tests.IO;

/// <summary>The vectorised PNG filters against their byte-by-byte definition, and the filter choice.</summary>
public class PngFilterTests
{
    private static readonly Gen<(byte[] Row, byte[] Prior, int Bpp)> Rows =
        from bpp in Gen.Elements(1, 2, 3, 4, 6, 8)
        from length in Gen.Choose(1, 90)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from smooth in Gen.Elements(true, false)
        select Make(bpp, length, seed, smooth);

    /// <summary>The FsCheck Arbitrary of <see cref="Rows"/>.</summary>
    public static class Arbitraries
    {
        /// <summary>Random rows, their prior rows and bytes per pixel.</summary>
        public static Arbitrary<(byte[] Row, byte[] Prior, int Bpp)> Rows() => PngFilterTests.Rows.ToArbitrary();
    }

    private static (byte[], byte[], int) Make(int bpp, int length, int seed, bool smooth)
    {
        var rng = new Random(seed);
        var row = new byte[length];
        var prior = new byte[length];
        // Smooth rows (small residuals) make the filters' sums close, so the tie rule matters too.
        for (int i = 0; i < length; i++)
        {
            row[i] = (byte)(smooth ? 120 + rng.Next(-3, 4) : rng.Next(256));
            prior[i] = (byte)(smooth ? 120 + rng.Next(-3, 4) : rng.Next(256));
        }
        return (row, prior, bpp);
    }

    private static long ReferenceSum(byte[] values) => values.Sum(v => (long)Math.Abs((int)(sbyte)v));

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void Filter_EveryType_EqualsTheByteByByteDefinition_AndUnfiltersBack((byte[] Row, byte[] Prior, int Bpp) t)
    {
        for (int type = 0; type < 5; type++)
        {
            var fast = new byte[t.Row.Length];
            var reference = new byte[t.Row.Length];
            PngFilter.Filter(type, t.Row, t.Prior, t.Bpp, fast);
            PngFilter.FilterReference(type, t.Row, t.Prior, t.Bpp, reference);
            Assert.Equal(reference, fast);
            PngFilter.Unfilter(type, fast, t.Prior, t.Bpp);
            Assert.Equal(t.Row, fast);
        }
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(Arbitraries)])]
    public void Choose_PicksTheFirstFilterWithTheSmallestSignedSum((byte[] Row, byte[] Prior, int Bpp) t)
    {
        var sums = Enumerable.Range(0, 5).Select(type =>
        {
            var d = new byte[t.Row.Length];
            PngFilter.FilterReference(type, t.Row, t.Prior, t.Bpp, d);
            return ReferenceSum(d);
        }).ToList();
        Assert.Equal(sums.IndexOf(sums.Min()), PngFilter.Choose(t.Row, t.Prior, t.Bpp, new byte[t.Row.Length]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(65_536)]
    [InlineData(200_003)]
    public void SumOfSignedMagnitudes_EqualsScalarSum_IncludingMinus128(int length)
    {
        var rng = new Random(length);
        var values = new byte[length];
        rng.NextBytes(values);
        for (int i = 0; i < length; i += 7) values[i] = 128; // −128 as a signed byte
        Assert.Equal(ReferenceSum(values), PngFilter.SumOfSignedMagnitudes(values));
    }
}
