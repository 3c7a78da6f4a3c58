namespace MiniTorch.Benchmarks;

/// <summary>
/// `quick-conv fsrcnn-scales`: FSRCNN's upscaling layer ConvTranspose2d(56, 1, 9, stride s, padding 4,
/// outputPadding s − 1) at scales 3 and 4 onto a 2160×3840 output, and scale 2 in float64 (on a
/// half-size input, to keep the process within a few GB): the fused one-channel path's other shapes.
/// </summary>
internal static class FsrcnnScales
{
    public static IEnumerable<(string Name, Action Run, double Flops)> Rows()
    {
        var s3 = ConvCase<float>.ConvTranspose2d(1, 56, 720, 1280, 1, 9, 3, 4, 2);
        yield return ("FSRCNN x3 layer float32 720x1280", s3.ConvolveTransposed, s3.Flops);
        var s4 = ConvCase<float>.ConvTranspose2d(1, 56, 540, 960, 1, 9, 4, 4, 3);
        yield return ("FSRCNN x4 layer float32 540x960", s4.ConvolveTransposed, s4.Flops);
        var d2 = ConvCase<double>.ConvTranspose2d(1, 56, 540, 960, 1, 9, 2, 4, 1);
        yield return ("FSRCNN x2 layer float64 540x960", d2.ConvolveTransposed, d2.Flops);
    }
}
