using MiniTorch;

namespace Dcgan.Data;

/// <summary>
/// A set of 32×32 grayscale images held in memory, pixels in [0, 1], with optional class labels.
/// Every data source (procedural shapes, MNIST, an image folder) is turned into one of these, so
/// the trainer and the metrics never care where the pictures came from.
/// </summary>
public sealed class ImageSet
{
    /// <summary>Image side length: every image is <c>Size × Size</c>.</summary>
    public const int Size = 32;

    /// <summary>Pixels per image.</summary>
    public const int Pixels = Size * Size;

    /// <summary>Creates a set from row-major pixels (<c>count × 1024</c>, in [0, 1]).</summary>
    public ImageSet(float[] pixels, int[]? labels, string[] classNames, string source)
    {
        if (pixels.Length % Pixels != 0) throw new ArgumentException($"pixel count {pixels.Length} is not a multiple of {Pixels}");
        if (labels is not null && labels.Length != pixels.Length / Pixels)
            throw new ArgumentException($"{labels.Length} labels for {pixels.Length / Pixels} images");
        PixelData = pixels;
        Labels = labels;
        ClassNames = classNames;
        Source = source;
    }

    /// <summary>All pixels, image after image, in [0, 1].</summary>
    public float[] PixelData { get; }

    /// <summary>The class of each image, or null when the source has no labels.</summary>
    public int[]? Labels { get; }

    /// <summary>Class names (empty when unlabelled).</summary>
    public string[] ClassNames { get; }

    /// <summary>A short description of where the images came from, for logs.</summary>
    public string Source { get; }

    /// <summary>The number of images.</summary>
    public int Count => PixelData.Length / Pixels;

    /// <summary>The number of classes (0 when unlabelled).</summary>
    public int NumClasses => ClassNames.Length;

    /// <summary>One image's pixels.</summary>
    public ReadOnlySpan<float> Image(int index) => PixelData.AsSpan(index * Pixels, Pixels);

    /// <summary>
    /// The images at <paramref name="indices"/> as a float32 tensor [N, 1, 32, 32] scaled to
    /// [-1, 1], the range of the generator's Tanh output.
    /// </summary>
    public Tensor Batch(ReadOnlySpan<int> indices)
    {
        var data = new float[indices.Length * Pixels];
        for (int i = 0; i < indices.Length; i++)
        {
            var src = Image(indices[i]);
            var dst = data.AsSpan(i * Pixels, Pixels);
            for (int p = 0; p < Pixels; p++) dst[p] = src[p] * 2f - 1f;
        }
        return Torch.FromArray(data, indices.Length, 1, Size, Size);
    }

    /// <summary>The labels at <paramref name="indices"/>.</summary>
    public int[] BatchLabels(ReadOnlySpan<int> indices)
    {
        if (Labels is null) throw new InvalidOperationException($"the data set '{Source}' has no labels");
        var result = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) result[i] = Labels[indices[i]];
        return result;
    }

    /// <summary>The first <paramref name="count"/> images (or all, if fewer).</summary>
    public ImageSet Take(int count)
    {
        count = Math.Min(count, Count);
        return new ImageSet(PixelData.AsSpan(0, count * Pixels).ToArray(), Labels?.AsSpan(0, count).ToArray(), ClassNames, Source);
    }
}
