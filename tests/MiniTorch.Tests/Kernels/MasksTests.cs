using System.Numerics;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

public class MasksTests
{
    [Fact]
    public void GreaterAndEqualTo_MatchScalarDefinition_WithNaNsAndRemainders()
    {
        Check<float>();
        Check<double>();
    }

    private static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(7);
        T[] pool = [T.NaN, T.Zero, -T.Zero, T.One, -T.One, T.PositiveInfinity, T.CreateChecked(0.5)];
        foreach (int n in new[] { 0, 1, 7, 8, 15, 16, 17, 33, 100 })
        {
            var a = Enumerable.Range(0, n).Select(_ => pool[rng.Next(pool.Length)]).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => pool[rng.Next(pool.Length)]).ToArray();
            var s = pool[rng.Next(1, pool.Length)];
            var y = new T[n];
            new Elementwise.Greater().Run<T>(a, b, y);
            Assert.Equal(a.Zip(b, (x, z) => x > z ? T.One : T.Zero), y);
            new Elementwise.Greater().Run<T>(a, s, y);
            Assert.Equal(a.Select(x => x > s ? T.One : T.Zero), y);
            new Elementwise.Greater().Run<T>(s, b, y);
            Assert.Equal(b.Select(z => s > z ? T.One : T.Zero), y);
            new Elementwise.EqualTo().Run<T>(a, b, y);
            Assert.Equal(a.Zip(b, (x, z) => x == z ? T.One : T.Zero), y);
            new Elementwise.EqualTo().Run<T>(a, T.NaN, y);
            Assert.All(y, v => Assert.Equal(T.Zero, v));
            new Elementwise.EqualTo().Run<T>(-T.Zero, b, y);
            Assert.Equal(b.Select(z => z == T.Zero ? T.One : T.Zero), y);
        }
    }
}
