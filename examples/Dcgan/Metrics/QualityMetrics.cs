using Dcgan.Data;
using Dcgan.Models;
using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Metrics;

/// <summary>Sample-quality figures of one set of images, as judged by the classifier.</summary>
/// <param name="Name">What the row measures.</param>
/// <param name="Confidence">Mean max-probability (how clearly each image shows some class).</param>
/// <param name="Coverage">Normalised entropy of the predicted classes (1: all classes equally, 0: one class).</param>
/// <param name="Frechet">Fréchet distance to the real images in the classifier's feature space.</param>
/// <param name="Histogram">How many images were predicted as each class.</param>
/// <param name="ClassNames">The classes' names, in the order of <paramref name="Histogram"/>.</param>
public sealed record QualityRow(string Name, double Confidence, double Coverage, double Frechet, int[] Histogram, string[] ClassNames);

/// <summary>Computes <see cref="QualityRow"/>s with a trained classifier.</summary>
public sealed class QualityMetrics(ShapeClassifier classifier, string[]? classNames = null, int batchSize = 256)
{
    /// <summary>The class names (the class index as text when none were given).</summary>
    public string[] ClassNames { get; } = classNames is { Length: > 0 } ? classNames : Enumerable.Range(0, classifier.NumClasses).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Features [n, 64] and class probabilities [n, K] of images in [-1, 1].</summary>
    public (double[,] Features, double[,] Probs) Analyse(Tensor images)
    {
        int n = images.Size(0);
        var features = new double[n, ShapeClassifier.FeatureSize];
        var probs = new double[n, classifier.NumClasses];
        classifier.Eval();
        using (Torch.NoGrad())
            for (int start = 0; start < n; start += batchSize)
            {
                int len = Math.Min(batchSize, n - start);
                var f = classifier.Features(images.Narrow(0, start, len));
                // Probabilities in float64 from the float32 logits, as the metrics are accumulated in double.
                var p = F.Softmax(classifier.Head.Forward(f).To(DType.Float64), 1).ToDoubleArray();
                var fa = f.ToDoubleArray();
                for (int i = 0; i < len; i++)
                {
                    for (int j = 0; j < ShapeClassifier.FeatureSize; j++) features[start + i, j] = fa[i * ShapeClassifier.FeatureSize + j];
                    for (int j = 0; j < classifier.NumClasses; j++) probs[start + i, j] = p[i * classifier.NumClasses + j];
                }
            }
        return (features, probs);
    }

    /// <summary>Scores <paramref name="images"/> against the features of real images.</summary>
    public QualityRow Row(string name, Tensor images, double[,] realFeatures)
    {
        var (features, probs) = Analyse(images);
        var histogram = ClassStats.Histogram(probs);
        return new QualityRow(name, ClassStats.Confidence(probs), ClassStats.Coverage(histogram), Frechet.Distance(realFeatures, features), histogram, ClassNames);
    }
}
