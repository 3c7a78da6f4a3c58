using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace MiniTorch.IO;

/// <summary>
/// MiniTorch's bridge to ImageSharp. Decodes image files (PNG, JPEG, GIF, BMP, TIFF, WebP, TGA, PBM) into float32
/// tensors [C, H, W] in [0, 1], within the budgets of a <see cref="ReadLimits"/>: the header is
/// identified first and its size checked against <see cref="ReadLimits.MaxPixels"/>; only then is the
/// image decoded, with an allocator whose total is bounded by what that size needs.
/// </summary>
/// <remarks>
/// Channels follow torchvision: JPEG gives 1 (grayscale) or 3, as <c>torchvision.io.decode_jpeg</c>;
/// PBM gives 1; every other format gives RGB, as torchvision's ImageFolder loader
/// (<c>PIL.Image.convert("RGB")</c>). Samples are v / 255. Animated GIF and multi-page TIFF give their first frame.
/// </remarks>
internal static class ImageSharpCodec
{
    /// <summary>The formats, for messages.</summary>
    public const string Formats = "PNG, JPEG, GIF, BMP, TIFF, WebP, TGA, PGM, PPM, PBM";

    // Decoder memory allowed per pixel of the declared size (the decoded image needs at most 8 bytes
    // per pixel, JPEG's coefficient planes 2 per component), plus a fixed allowance for tables.
    private const long BytesPerPixel = 32, FixedAllowance = 16 << 20;

    private static readonly Configuration Base = CreateBase();

    private static Configuration CreateBase()
    {
        var c = new Configuration(new JpegConfigurationModule(), new GifConfigurationModule(),
            new BmpConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule(), new TgaConfigurationModule(), new PbmConfigurationModule());
        // First frame only, metadata (EXIF, ICC, XMP, text) skipped: less work and less attack surface.
        c.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        c.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        c.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        c.ImageFormatsManager.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        return c;
    }

    /// <summary>
    /// Decodes <paramref name="data"/> (the whole file). Every failure is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static Tensor Decode(byte[] data, ReadLimits limits)
    {
        if (data.Length == 0) throw new InvalidDataException("the file is empty, not an image");
        CheckBmp(data, data.Length, limits);
        var (info, format) = Identify(new MemoryStream(data, writable: false), Math.Min(limits.MaxBytes, FixedAllowance + 2L * data.Length));
        limits.CheckPixels(format.Name, info.Width, info.Height);
        int channels = Channels(format, info.Metadata);
        long pixels = (long)info.Width * info.Height;
        limits.CheckBytes($"{format.Name} image {info.Width}x{info.Height}x{channels} as float32", 4 * channels * pixels);
        var allocator = new BudgetAllocator(Math.Min(limits.MaxBytes, FixedAllowance + BytesPerPixel * pixels), $"{format.Name} image {info.Width}x{info.Height}");
        var config = Base.Clone();
        config.MemoryAllocator = allocator;
        return Run(format, () => channels == 1 ? Convert(Image.Load<L8>(config, data), 1) : Convert(Image.Load<Rgb24>(config, data), 3));
    }

    /// <summary>
    /// Encodes 8-bit pixels, interleaved row-major ([H, W, channels], 1 = gray or 3 = RGB), as a baseline
    /// JPEG of the given quality (1-100) with 4:2:0 chroma subsampling for colour, as libjpeg's defaults.
    /// </summary>
    public static void EncodeJpeg(Stream stream, byte[] pixels, int width, int height, int channels, int quality)
    {
        var encoder = new JpegEncoder { Quality = quality, ColorType = channels == 1 ? JpegColorType.Luminance : JpegColorType.YCbCrRatio420 };
        using Image image = channels == 1 ? Image.LoadPixelData<L8>(Base, pixels, width, height) : Image.LoadPixelData<Rgb24>(Base, pixels, width, height);
        image.Save(stream, encoder);
    }

    /// <summary>
    /// The most bytes a file of an ImageSharp format can plausibly hold given its header: 16 bytes per
    /// declared pixel (more than any of these formats needs uncompressed) plus 16 MiB of metadata,
    /// after checking the size against the pixel budget. Reads only the header from <paramref name="stream"/>.
    /// </summary>
    public static long MaxFileLength(Stream stream, long fileLength, ReadLimits limits)
    {
        Span<byte> head = stackalloc byte[34];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        CheckBmp(head[..n], fileLength, limits);
        stream.Position = 0;
        var (info, format) = Identify(stream, Math.Min(limits.MaxBytes, FixedAllowance));
        limits.CheckPixels(format.Name, info.Width, info.Height);
        return 16L * info.Width * info.Height + FixedAllowance;
    }

    /// <summary>The header's size and format (reading no pixel data), within a small allocation budget.</summary>
    private static (IImageInfo Info, IImageFormat Format) Identify(Stream stream, long allocationBudget)
    {
        var config = Base.Clone();
        config.MemoryAllocator = new BudgetAllocator(allocationBudget, "image header");
        IImageFormat? format = null;
        var info = Run(null, () => Image.Identify(config, stream, out format));
        if (info is null || format is null) throw new InvalidDataException($"not an image in a format MiniTorch reads ({Formats}): the signature is unknown");
        return (info, format);
    }

    /// <summary>
    /// Runs ImageSharp, turning whatever its decoders throw on a malformed file (their own
    /// ImageFormatException, or an index or argument error from deep inside) into <see cref="InvalidDataException"/>.
    /// </summary>
    private static T Run<T>(IImageFormat? format, Func<T> decode)
    {
        try { return decode(); }
        catch (InvalidDataException) { throw; }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException or OperationCanceledException))
        {
            string kind = e is ImageFormatException ? "" : $" ({e.GetType().Name} inside ImageSharp)";
            throw new InvalidDataException($"{format?.Name ?? "image"} file is malformed or unsupported{kind}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks a BMP's header before ImageSharp sees it: the size against the pixel budget, and that an
    /// uncompressed raster fits in the file (ImageSharp 2.1 fills a truncated BMP with zeros instead of
    /// failing; Pillow reports "image file is truncated").
    /// </summary>
    private static void CheckBmp(ReadOnlySpan<byte> b, long fileLength, ReadLimits limits)
    {
        if (b.Length < 26 || b[0] != 'B' || b[1] != 'M') return;
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(b[10..]), dib = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]);
        long width, height;
        int bpp;
        uint compression = 0;
        if (dib == 12)
        {
            (width, height, bpp) = (BinaryPrimitives.ReadUInt16LittleEndian(b[18..]), BinaryPrimitives.ReadUInt16LittleEndian(b[20..]), BinaryPrimitives.ReadUInt16LittleEndian(b[24..]));
        }
        else
        {
            if (b.Length < 34) throw new InvalidDataException($"BMP header is truncated: {b.Length} bytes");
            (width, height, bpp) = (BinaryPrimitives.ReadInt32LittleEndian(b[18..]), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(b[22..])), BinaryPrimitives.ReadUInt16LittleEndian(b[28..]));
            compression = BinaryPrimitives.ReadUInt32LittleEndian(b[30..]);
        }
        limits.CheckPixels("BMP", width, height);
        // BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS: rows of whole 32-bit words.
        if (compression is 0 or 3 or 6 && bpp is 1 or 2 or 4 or 8 or 16 or 24 or 32)
        {
            long need = (width * bpp + 31) / 32 * 4 * height;
            if (offset > fileLength || need > fileLength - offset)
                throw new InvalidDataException($"BMP pixel data is truncated: {width}x{height} at {bpp} bits needs {need} bytes from offset {offset}, the file has {fileLength}");
        }
    }

    /// <summary>The tensor's channels, following torchvision (see the class remarks).</summary>
    private static int Channels(IImageFormat format, ImageMetadata metadata)
    {
        if (format == JpegFormat.Instance) return metadata.GetJpegMetadata().ColorType == JpegColorType.Luminance ? 1 : 3;
        if (format == PbmFormat.Instance) return metadata.GetPbmMetadata().ColorType == PbmColorType.Rgb ? 3 : 1;
        return 3;
    }

    // v / 255 for every byte: a division, as torchvision's x / 255 (a multiplication by 1/255 rounds differently).
    private static readonly float[] Scale8 = Enumerable.Range(0, 256).Select(v => v / 255f).ToArray();

    /// <summary>Deinterleaves 8-bit pixels [H, W, C] into planes [C, H, W] of v / 255.</summary>
    private static Tensor Convert<TPixel>(Image<TPixel> image, int channels) where TPixel : unmanaged, IPixel<TPixel>
    {
        using (image)
        {
            int h = image.Height, w = image.Width;
            long plane = (long)h * w;
            var output = GC.AllocateUninitializedArray<float>(checked((int)(channels * plane)));
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < h; y++)
                {
                    var samples = MemoryMarshal.AsBytes(rows.GetRowSpan(y));
                    for (int c = 0; c < channels; c++)
                    {
                        var dst = output.AsSpan((int)(c * plane + (long)y * w), w);
                        for (int x = 0, i = c; x < w; x++, i += channels) dst[x] = Scale8[samples[i]];
                    }
                }
            });
            return new Tensor(new Storage.TensorStorage<float>(output), [channels, h, w]);
        }
    }
}
