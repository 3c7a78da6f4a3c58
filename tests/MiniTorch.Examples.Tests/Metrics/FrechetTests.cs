using Dcgan.Metrics;

namespace MiniTorch.Examples.Tests.Metrics;

public class FrechetTests
{
    private static double[,] RandomFeatures(int n, int d, int seed, double shift = 0, double scale = 1)
    {
        var rng = new MiniTorch.Generator(seed);
        var f = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            double common = rng.NextDouble();
            for (int j = 0; j < d; j++) f[i, j] = shift + scale * (rng.NextDouble() + common * (j % 3)); // correlated columns
        }
        return f;
    }

    [Fact]
    public void Distance_IdenticalSets_IsZero()
    {
        var a = RandomFeatures(200, 16, 1);
        Assert.InRange(Frechet.Distance(a, a), 0, 1e-8);
    }

    [Fact]
    public void Distance_MatchesClosedForm_ForShiftedAndScaledSets()
    {
        var a = RandomFeatures(300, 8, 2);
        // Shift by c in every coordinate: d² = d·c² (covariances equal).
        var shifted = (double[,])a.Clone();
        for (int i = 0; i < 300; i++) for (int j = 0; j < 8; j++) shifted[i, j] += 0.5;
        Assert.Equal(8 * 0.25, Frechet.Distance(a, shifted), 8);
        // Scale about the mean by s: Σ₂ = s²Σ, so d² = Tr Σ (1 + s² − 2s) = (1 − s)² Tr Σ.
        var (mean, cov) = Frechet.Fit(a);
        var scaled = (double[,])a.Clone();
        for (int i = 0; i < 300; i++) for (int j = 0; j < 8; j++) scaled[i, j] = mean[j] + 3 * (a[i, j] - mean[j]);
        Assert.Equal(4 * cov.Trace(), Frechet.Distance(a, scaled), 8);
    }

    [Fact]
    public void Distance_OfDifferentDistributions_IsPositive_AndSymmetric()
    {
        var a = RandomFeatures(300, 6, 3);
        var b = RandomFeatures(300, 6, 4, shift: 0.2, scale: 1.5);
        double ab = Frechet.Distance(a, b);
        Assert.True(ab > 0.1, $"distance {ab}");
        Assert.Equal(ab, Frechet.Distance(b, a), 6);
    }

    [Fact]
    public void SqrtPsd_SquaresBack()
    {
        var (_, cov) = Frechet.Fit(RandomFeatures(100, 5, 5));
        var r = Frechet.SqrtPsd(cov);
        Assert.True((r * r - cov).FrobeniusNorm() < 1e-10);
    }

    [Fact]
    public void Coverage_IsLowForOneClass_AndOneForUniform()
    {
        Assert.Equal(0, ClassStats.Coverage([64, 0, 0, 0]), 12);
        Assert.Equal(1, ClassStats.Coverage([16, 16, 16, 16]), 12);
        Assert.InRange(ClassStats.Coverage([61, 1, 1, 1]), 0.05, 0.2);
    }

    [Fact]
    public void Confidence_AndHistogram_FromProbabilities()
    {
        var probs = new double[,] { { 0.9, 0.1, 0 }, { 0.2, 0.3, 0.5 }, { 0.6, 0.4, 0 } };
        Assert.Equal((0.9 + 0.5 + 0.6) / 3, ClassStats.Confidence(probs), 12);
        Assert.Equal([2, 0, 1], ClassStats.Histogram(probs));
    }
}
