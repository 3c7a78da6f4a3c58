namespace SuperResolution;

/// <summary>
/// The built-in training images: anti-aliased discs, rectangles, thick lines and sinusoidal
/// gratings on shaded backgrounds. Edges are drawn from signed distances with a one-pixel ramp,
/// so every image is band-limited the way photographs of sharp edges are.
/// </summary>
public static class Procedural
{
    /// <summary>One grey image [H, W] in [0, 1] (row-major), fully determined by <paramref name="seed"/>.</summary>
    public static float[] Image(int height, int width, int seed)
    {
        var rng = new Random(seed);
        var img = new float[height * width];
        // Background: a gentle linear gradient.
        double g0 = rng.NextDouble(), gx = (rng.NextDouble() - 0.5) / width, gy = (rng.NextDouble() - 0.5) / height;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                img[y * width + x] = (float)Math.Clamp(g0 + gx * x + gy * y, 0, 1);
        int shapes = 6 + rng.Next(8);
        for (int k = 0; k < shapes; k++)
        {
            double value = rng.NextDouble();
            double cx = rng.NextDouble() * width, cy = rng.NextDouble() * height;
            double size = 3 + rng.NextDouble() * Math.Min(width, height) / 4;
            double angle = rng.NextDouble() * Math.PI;
            (double c, double s) = (Math.Cos(angle), Math.Sin(angle));
            int kind = rng.Next(4);
            double freq = 0.15 + rng.NextDouble() * 0.6, phase = rng.NextDouble() * 6.283;
            double halfW = size * (0.3 + rng.NextDouble()), halfH = size * (0.1 + rng.NextDouble() * 0.6), thick = 0.6 + rng.NextDouble() * 2;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double px = x + 0.5 - cx, py = y + 0.5 - cy;
                    double u = c * px + s * py, v = -s * px + c * py;
                    double sdf = kind switch
                    {
                        0 => Math.Sqrt(px * px + py * py) - size,                                      // disc
                        1 => Math.Max(Math.Abs(u) - halfW, Math.Abs(v) - halfH),                        // rotated rectangle
                        2 => Math.Max(Math.Abs(v) - thick / 2, Math.Abs(u) - size * 1.5),               // thick line segment
                        _ => Math.Sqrt(px * px + py * py) - size * 1.2,                                 // grating inside a disc
                    };
                    double coverage = Math.Clamp(0.5 - sdf, 0, 1);
                    if (coverage <= 0) continue;
                    double paint = kind == 3 ? 0.5 + 0.5 * Math.Sin(freq * u + phase) * value : value;
                    ref float p = ref img[y * width + x];
                    p = (float)(p * (1 - coverage) + Math.Clamp(paint, 0, 1) * coverage);
                }
        }
        return img;
    }
}
