using MathNet.Numerics.LinearAlgebra;

namespace Dcgan.Metrics;

/// <summary>
/// The Fréchet distance between Gaussian fits of two feature sets (the formula behind FID):
/// d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^½).
/// </summary>
/// <remarks>
/// Σ₁Σ₂ is not symmetric, so its square root is taken in the similar, symmetric positive
/// semi-definite form: Tr (Σ₁Σ₂)^½ = Tr (Σ₁^½ Σ₂ Σ₁^½)^½. Both square roots then come from
/// symmetric eigen-decompositions (MathNet.Numerics), with tiny negative eigenvalues from
/// round-off clamped to zero; this avoids the complex results of a general matrix square root.
/// </remarks>
public static class Frechet
{
    /// <summary>Mean and covariance (divided by n − 1) of the rows of <paramref name="features"/>.</summary>
    public static (Vector<double> Mean, Matrix<double> Cov) Fit(double[,] features)
    {
        int n = features.GetLength(0), d = features.GetLength(1);
        if (n < 2) throw new ArgumentException($"a Gaussian fit needs at least 2 samples, got {n}");
        var x = Matrix<double>.Build.DenseOfArray(features);
        var mean = x.ColumnSums() / n;
        var centred = x - Matrix<double>.Build.Dense(n, d, (_, j) => mean[j]);
        var cov = centred.TransposeThisAndMultiply(centred) / (n - 1);
        return (mean, cov);
    }

    /// <summary>The Fréchet distance between the Gaussian fits of two feature sets (rows are samples).</summary>
    public static double Distance(double[,] a, double[,] b)
    {
        if (a.GetLength(1) != b.GetLength(1))
            throw new ArgumentException($"feature sets differ in width: {a.GetLength(1)} vs {b.GetLength(1)}");
        var (m1, s1) = Fit(a);
        var (m2, s2) = Fit(b);
        return Distance(m1, s1, m2, s2);
    }

    /// <summary>The Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).</summary>
    public static double Distance(Vector<double> m1, Matrix<double> s1, Vector<double> m2, Matrix<double> s2)
    {
        var sqrt1 = SqrtPsd(s1);
        var product = sqrt1 * s2 * sqrt1;
        var symmetric = (product + product.Transpose()) / 2; // remove round-off asymmetry
        double traceSqrt = symmetric.Evd(Symmetricity.Symmetric).EigenValues.Sum(l => Math.Sqrt(Math.Max(l.Real, 0)));
        double meanTerm = (m1 - m2).DotProduct(m1 - m2);
        double d2 = meanTerm + s1.Trace() + s2.Trace() - 2 * traceSqrt;
        return Math.Max(d2, 0); // tiny negative values are round-off of identical distributions
    }

    /// <summary>The symmetric square root of a symmetric positive semi-definite matrix.</summary>
    public static Matrix<double> SqrtPsd(Matrix<double> m)
    {
        var evd = ((m + m.Transpose()) / 2).Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var sqrtL = Matrix<double>.Build.DenseOfDiagonalArray(evd.EigenValues.Select(l => Math.Sqrt(Math.Max(l.Real, 0))).ToArray());
        return v * sqrtL * v.Transpose();
    }
}
