namespace ConvTransposeTour;

/// <summary>
/// The seven steps of the tour. Each prints PyTorch-style tensors with one explanatory sentence,
/// and the key numbers come back in a <see cref="TourResult"/> so a test can check them.
/// </summary>
public static partial class Tour
{
    /// <summary>Runs all seven steps, printing to <paramref name="output"/> and writing the PNGs into <paramref name="folder"/>.</summary>
    public static TourResult Run(TextWriter output, string folder)
    {
        var tour = new Printer(output);
        Directory.CreateDirectory(folder);
        var (seed, copies, count) = Step1Scatter(tour);
        var (zero, stridedOnes) = Step2ZeroInsertion(tour);
        var (matrixError, matrixShape) = Step3Matrix(tour);
        var sizes = Step4OutputSizes(tour);
        var keras = Step5Keras(tour);
        var (left, right, gradError) = Step6Adjoint(tour);
        var (overlaps, grid, stridedStd, resizeStd, pictures) = Step7Checkerboard(tour, folder);
        return new TourResult
        {
            SeedOutput = seed, SumOfCopies = copies, CopyCount = count,
            ZeroInsertionOutput = zero, StridedOnesOutput = stridedOnes,
            MatrixError = matrixError, MatrixShape = matrixShape, Sizes = sizes,
            KerasConv = keras.Conv, KerasValid = keras.Valid, KerasValidStride2 = keras.ValidStride2, KerasSame = keras.Same,
            AdjointLeft = left, AdjointRight = right, GradientError = gradError,
            Overlaps = overlaps, OverlapGrid = grid, StridedInteriorStd = stridedStd, ResizeInteriorStd = resizeStd, Pictures = pictures,
        };
    }

    /// <summary>Writes headings, sentences and tensors in the notebooks' style.</summary>
    private sealed class Printer(TextWriter output)
    {
        public void Step(int number, string title)
        {
            output.WriteLine();
            output.WriteLine($"===== Step {number}: {title} =====");
        }

        public void Say(string sentence)
        {
            output.WriteLine();
            output.WriteLine(sentence);
        }

        public void Show(string label, Tensor t) => output.WriteLine($"{label}: {t}");

        public void Line(string text) => output.WriteLine(text);
    }

    /// <summary>max |a − b| over all elements (shapes must agree).</summary>
    internal static double MaxAbsDiff(Tensor a, Tensor b) => Difference(a, b).Item();

    /// <summary>(a − b).abs().max() as PyTorch computes and prints it, e.g. <c>tensor(7.6294e-06)</c>.</summary>
    internal static Tensor Difference(Tensor a, Tensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape)) throw new InvalidOperationException($"shapes differ: {Shape.Format(a.Shape)} vs {Shape.Format(b.Shape)}");
        using var _ = Torch.NoGrad();
        return (a.Detach() - b.Detach()).Abs().Max();
    }

    private static double Dot(Tensor a, Tensor b) => a.ToDoubleArray().Zip(b.ToDoubleArray(), (u, v) => u * v).Sum();
}
