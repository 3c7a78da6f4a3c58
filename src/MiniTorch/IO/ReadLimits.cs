namespace MiniTorch.IO;

/// <summary>
/// The budgets every reader checks before it allocates: the largest image (in pixels) and the largest
/// amount of data (in bytes) a file may make it allocate. Each reader derives the size it is about to
/// allocate from the file's header, checks it against these limits and against what the file can
/// really hold, and only then allocates; a file over a limit raises <see cref="InvalidDataException"/>.
/// </summary>
/// <remarks>
/// <para>The pixel limit plays the part of Pillow's <c>Image.MAX_IMAGE_PIXELS</c> (89,478,485 pixels,
/// about a quarter gigabyte of RGB bytes): an image with more pixels is refused from its header, before
/// any pixel is decoded, so a few-kilobyte decompression bomb costs nothing. (Pillow only warns between
/// one and two times its limit; MiniTorch refuses everything above the limit.)</para>
/// <para>The byte limit bounds what a header can make a reader allocate: the tensor data of a
/// safetensors or .npy file, the decompressed contents of a gzipped IDX file, the decoder buffers of an
/// image. Compressed data is inflated only up to the size the header declares.</para>
/// <para>Every reader takes an optional <see cref="ReadLimits"/>; without one it uses
/// <see cref="Default"/>, which a program can replace:
/// <c>ReadLimits.Default = ReadLimits.Default with { MaxPixels = 400_000_000 };</c></para>
/// </remarks>
public sealed record ReadLimits
{
    /// <summary>Pillow's default <c>Image.MAX_IMAGE_PIXELS</c>: <c>1024 · 1024 · 1024 / 4 / 3</c> = 89,478,485.</summary>
    public const long PillowMaxImagePixels = 1024L * 1024 * 1024 / 4 / 3;

    /// <summary>The default byte limit: 4 GiB.</summary>
    public const long DefaultMaxBytes = 4L << 30;

    private static ReadLimits _default = new();

    /// <summary>The limits readers use when they are given none. Replacing it affects every later read in the process.</summary>
    public static ReadLimits Default
    {
        get => Volatile.Read(ref _default);
        set => Volatile.Write(ref _default, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The largest image, in pixels (width × height), a reader accepts. Default <see cref="PillowMaxImagePixels"/>.</summary>
    public long MaxPixels
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPixels), $"MaxPixels must be positive, got {value}");
    } = PillowMaxImagePixels;

    /// <summary>The most bytes a file's header may make a reader allocate (tensor data, decompressed data, decoder buffers). Default 4 GiB.</summary>
    public long MaxBytes
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBytes), $"MaxBytes must be positive, got {value}");
    } = DefaultMaxBytes;

    /// <summary>Throws <see cref="InvalidDataException"/> unless a <paramref name="width"/> × <paramref name="height"/> image is within <see cref="MaxPixels"/> (and both are positive).</summary>
    /// <param name="format">The format, for the message ("PNG").</param>
    /// <param name="width">The width the header declares.</param>
    /// <param name="height">The height the header declares.</param>
    public void CheckPixels(string format, long width, long height)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (width <= 0 || height <= 0) throw new InvalidDataException($"{format} has invalid dimensions {width}x{height}");
        if (width > MaxPixels / height)
            throw new InvalidDataException($"{format} image {width}x{height} has {(Int128)width * height} pixels, more than the limit of {MaxPixels} (ReadLimits.MaxPixels; Pillow's default); a decompression bomb is refused before it is decoded");
    }

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="bytes"/> (what a header makes a reader allocate) is within <see cref="MaxBytes"/>.</summary>
    /// <param name="what">What would be allocated, for the message.</param>
    /// <param name="bytes">How many bytes.</param>
    public void CheckBytes(string what, long bytes)
    {
        ArgumentNullException.ThrowIfNull(what);
        if (bytes < 0 || bytes > MaxBytes)
            throw new InvalidDataException($"{what} needs {bytes} bytes, more than the limit of {MaxBytes} (ReadLimits.MaxBytes)");
    }
}
