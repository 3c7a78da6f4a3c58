namespace Dcgan.Metrics;

/// <summary>Statistics of a classifier's predictions on a set of images.</summary>
public static class ClassStats
{
    /// <summary>The mean over samples of the largest class probability (rows of <paramref name="probs"/> sum to 1).</summary>
    public static double Confidence(double[,] probs)
    {
        int n = probs.GetLength(0), k = probs.GetLength(1);
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double best = 0;
            for (int j = 0; j < k; j++) best = Math.Max(best, probs[i, j]);
            sum += best;
        }
        return sum / n;
    }

    /// <summary>How many samples are predicted as each class (arg-max, first on ties).</summary>
    public static int[] Histogram(double[,] probs)
    {
        int n = probs.GetLength(0), k = probs.GetLength(1);
        var counts = new int[k];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < k; j++) if (probs[i, j] > probs[i, best]) best = j;
            counts[best]++;
        }
        return counts;
    }

    /// <summary>
    /// Class coverage: the entropy of the predicted-class histogram divided by log K, so 1 means
    /// every class is produced equally often and 0 means a single class (mode collapse).
    /// </summary>
    public static double Coverage(int[] histogram)
    {
        if (histogram.Length < 2) return 1;
        double total = histogram.Sum(), h = 0;
        foreach (var c in histogram)
            if (c > 0) { double p = c / total; h -= p * Math.Log(p); }
        return h / Math.Log(histogram.Length);
    }
}
