using BenchmarkDotNet.Attributes;
using MiniTorch.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace MiniTorch.Benchmarks;

/// <summary>
/// MiniTorch's hand-written PNG codec against ImageSharp 2.1.13's on a 4K RGB frame (what
/// SuperResolution's <c>upscale</c> writes), plus JPEG for reference. The encoders compare at the same
/// zlib level (6, which both call their default) with adaptive filtering; ImageSharp's fastest level
/// is shown too. Decoding compares MiniTorch's PNG reader (to a float tensor) with ImageSharp's (to
/// 8-bit pixels, no tensor).
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project tests/MiniTorch.Benchmarks -- --filter '*ImageCodec*'</c>.
/// The frame is a smooth gradient with 2% noise, which compresses like a photograph (about 10 MB).
/// </remarks>
[MemoryDiagnoser]
public class ImageCodecBenchmarks
{
    private const int Height = 2160, Width = 3840;
    private Tensor _frame = null!;
    private Image<Rgb24> _sharp = null!;
    private byte[] _png = null!, _jpeg = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        var px = new float[3 * Height * Width];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                    px[(c * Height + y) * Width + x] = (float)Math.Clamp(0.5 + 0.4 * Math.Sin(x * 0.003 * (c + 1) + y * 0.002) + 0.02 * (rng.NextDouble() - 0.5), 0, 1);
        _frame = Torch.FromArray(px, 3, Height, Width);
        _png = ImageIO.EncodePng(_frame);
        _jpeg = ImageIO.EncodeJpeg(_frame, quality: 95);
        _sharp = Image.Load<Rgb24>(_png);
    }

    [GlobalCleanup]
    public void Cleanup() => _sharp.Dispose();

    [Benchmark(Description = "PNG encode 4K, MiniTorch (zlib 6, rows filtered on all cores)")]
    public int EncodeMiniTorch() => ImageIO.EncodePng(_frame).Length;

    [Benchmark(Description = "PNG encode 4K, ImageSharp (zlib 6)")]
    public long EncodeImageSharp() => EncodeWith(PngCompressionLevel.DefaultCompression);

    [Benchmark(Description = "PNG encode 4K, ImageSharp (zlib 1, fastest)")]
    public long EncodeImageSharpFastest() => EncodeWith(PngCompressionLevel.BestSpeed);

    private long EncodeWith(PngCompressionLevel level)
    {
        using var stream = new MemoryStream();
        _sharp.Save(stream, new PngEncoder { CompressionLevel = level, ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8, FilterMethod = PngFilterMethod.Adaptive });
        return stream.Length;
    }

    [Benchmark(Description = "PNG decode 4K, MiniTorch (to a float tensor)")]
    public int DecodeMiniTorch() => Png.Decode(_png).Numel;

    [Benchmark(Description = "PNG decode 4K, ImageSharp (to Rgb24 pixels)")]
    public int DecodeImageSharp()
    {
        using var image = Image.Load<Rgb24>(_png);
        return image.Width;
    }

    [Benchmark(Description = "JPEG decode 4K, ImageSharp through ImageIO (to a float tensor)")]
    public int DecodeJpeg() => ImageIO.Decode(_jpeg).Numel;

    [Benchmark(Description = "JPEG encode 4K, ImageSharp through ImageIO (quality 95)")]
    public int EncodeJpeg() => ImageIO.EncodeJpeg(_frame, quality: 95).Length;
}
