namespace Dcgan.Data;

/// <summary>Parses the <c>--data</c> argument and loads the images it names.</summary>
public static class DataSource
{
    /// <summary>The argument's help text.</summary>
    public static readonly string Help = "shapes (built-in, default), shapes:COUNT, fashion-mnist[:DIR] (Debian's dataset-fashion-mnist, or IDX files in DIR), mnist:DIR (IDX files, optionally .gz) or folder:DIR (every image in DIR with one of the extensions "
        + string.Join(" ", MiniTorch.IO.ImageIO.ImageExtensions) + ", decoded by ImageSharp or MiniTorch's PNG/PGM codecs)";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the data set.</summary>
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST's ten classes, in label order.</summary>
    public static readonly string[] FashionMnistClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads <paramref name="spec"/>: <c>shapes[:COUNT]</c>, <c>mnist:DIR</c> or <c>folder:DIR</c>.
    /// <paramref name="defaultCount"/> is the size of the procedural set when no count is given;
    /// <paramref name="limit"/> caps the number of images read from files.
    /// </summary>
    public static ImageSet Load(string spec, int defaultCount, long seed, int? limit = null)
    {
        int colon = spec.IndexOf(':');
        string kind = colon < 0 ? spec : spec[..colon];
        string arg = colon < 0 ? "" : spec[(colon + 1)..];
        switch (kind.ToLowerInvariant())
        {
            case "shapes":
                int count = defaultCount;
                if (arg.Length > 0 && (!int.TryParse(arg, out count) || count <= 0 || count > Training.TrainConfig.MaxDataCount))
                    throw new DataException($"--data shapes:COUNT expects a positive image count of at most {Training.TrainConfig.MaxDataCount}, got '{arg}'");
                return ShapesDataset.Generate(count, seed);
            case "mnist":
                if (arg.Length == 0) throw new DataException("--data mnist:DIR needs a directory");
                return MnistIdx.Load(arg, limit);
            case "fashion-mnist":
                string dir = arg.Length > 0 ? arg : DebianFashionMnist;
                if (arg.Length == 0 && !Directory.Exists(dir))
                    throw new DataException($"Fashion-MNIST is not installed at {DebianFashionMnist}: install it with 'apt-get install dataset-fashion-mnist' or give its directory as fashion-mnist:DIR");
                var set = MnistIdx.Load(dir, limit);
                return set.Labels is null || set.NumClasses != FashionMnistClasses.Length ? set : new ImageSet(set.PixelData, set.Labels, FashionMnistClasses, $"Fashion-MNIST '{dir}' ({set.Count} images)");
            case "folder":
                if (arg.Length == 0) throw new DataException("--data folder:DIR needs a directory");
                return ImageFolder.Load(arg, limit);
            default:
                throw new DataException($"unknown data source '{spec}'; expected {Help}");
        }
    }
}
