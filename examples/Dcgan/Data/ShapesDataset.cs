using MiniTorch;

namespace Dcgan.Data;

/// <summary>
/// The built-in data set: 32×32 grayscale line drawings of simple shapes (circle, square, triangle,
/// cross; see <see cref="ClassNames"/>) with random position, size, rotation and
/// stroke width, drawn white on black. Pixels are anti-aliased by 4×4 supersampling. The set is
/// generated from a seed in a second or so, so nothing is downloaded and runs are reproducible.
/// </summary>
public static class ShapesDataset
{
    /// <summary>The shape classes, in label order.</summary>
    public static readonly string[] ClassNames = ["circle", "square", "triangle", "cross"];

    private const int Supersample = 4;

    /// <summary>
    /// Generates <paramref name="count"/> images. Image <c>i</c> depends only on
    /// (<paramref name="seed"/>, i), so a larger set starts with the images of a smaller one.
    /// </summary>
    public static ImageSet Generate(int count, long seed, ShapeStyle? style = null)
    {
        style ??= new ShapeStyle();
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), "the shapes data set needs at least one image");
        var pixels = new float[count * ImageSet.Pixels];
        var labels = new int[count];
        // Images are independent, so they can be drawn in parallel without changing any pixel.
        Parallel.For(0, count, i =>
        {
            var rng = new Generator(seed * 1_000_003 + i);
            labels[i] = i % ClassNames.Length; // balanced classes
            Draw(labels[i], rng, pixels.AsSpan(i * ImageSet.Pixels, ImageSet.Pixels), style);
        });
        return new ImageSet(pixels, labels, ClassNames, $"shapes (procedural, {count} images, seed {seed})");
    }

    /// <summary>Draws one shape of class <paramref name="label"/> into a 32×32 buffer.</summary>
    public static void Draw(int label, Random rng, Span<float> image, ShapeStyle style)
    {
        const int n = ImageSet.Size;
        double radius = Uniform(rng, style.RadiusMin, style.RadiusMax);
        double stroke = Uniform(rng, style.StrokeMin, style.StrokeMax);
        double margin = radius + stroke / 2 + 1;
        // The centre moves at most CenterJitter pixels from the image centre (and never so far
        // that the shape leaves the image).
        double lo = Math.Max(margin, n / 2.0 - style.CenterJitter), hi = Math.Min(n - margin, n / 2.0 + style.CenterJitter);
        double cx = Uniform(rng, lo, Math.Max(lo, hi)), cy = Uniform(rng, lo, Math.Max(lo, hi));
        double angle = Uniform(rng, 0, 2 * Math.PI);
        Func<double, double, bool> inside = label switch
        {
            0 => Ring(cx, cy, radius, stroke),
            1 => PolygonOutline(RegularPolygon(cx, cy, radius, 4, angle), stroke),
            2 => PolygonOutline(RegularPolygon(cx, cy, radius, 3, angle), stroke),
            3 => Cross(cx, cy, radius, stroke, angle),
            _ => throw new ArgumentOutOfRangeException(nameof(label)),
        };
        // Coverage = fraction of the 4×4 sub-pixel centres that fall inside the stroke.
        const double step = 1.0 / Supersample;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                int hits = 0;
                for (int sy = 0; sy < Supersample; sy++)
                    for (int sx = 0; sx < Supersample; sx++)
                        if (inside(x + (sx + 0.5) * step, y + (sy + 0.5) * step)) hits++;
                image[y * n + x] = hits / (float)(Supersample * Supersample);
            }
    }

    private static double Uniform(Random rng, double lo, double hi) => lo + (hi - lo) * rng.NextDouble();

    private static Func<double, double, bool> Ring(double cx, double cy, double r, double w) =>
        (x, y) => Math.Abs(Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r) <= w / 2;

    private static Func<double, double, bool> Cross(double cx, double cy, double r, double w, double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return (x, y) =>
        {
            double u = c * (x - cx) + s * (y - cy), v = -s * (x - cx) + c * (y - cy);
            return (Math.Abs(u) <= r && Math.Abs(v) <= w / 2) || (Math.Abs(v) <= r && Math.Abs(u) <= w / 2);
        };
    }

    private static (double X, double Y)[] RegularPolygon(double cx, double cy, double r, int sides, double angle)
    {
        var pts = new (double, double)[sides];
        for (int k = 0; k < sides; k++)
        {
            double a = angle + 2 * Math.PI * k / sides;
            pts[k] = (cx + r * Math.Cos(a), cy + r * Math.Sin(a));
        }
        return pts;
    }

    // A point is on the outline when its distance to the nearest edge is at most half the stroke.
    private static Func<double, double, bool> PolygonOutline((double X, double Y)[] pts, double w) => (x, y) =>
    {
        double best = double.MaxValue;
        for (int k = 0; k < pts.Length; k++)
        {
            var (ax, ay) = pts[k];
            var (bx, by) = pts[(k + 1) % pts.Length];
            double dx = bx - ax, dy = by - ay;
            double t = Math.Clamp(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0, 1);
            double ex = ax + t * dx - x, ey = ay + t * dy - y;
            best = Math.Min(best, ex * ex + ey * ey);
        }
        return best <= w * w / 4;
    };
}

/// <summary>
/// The random ranges of the procedural shapes. The defaults keep shapes near the centre with
/// bold strokes: variety enough to be a real task (4 classes × position × size × rotation ×
/// stroke), small enough for a DCGAN to learn within the five-minute default run.
/// </summary>
/// <param name="RadiusMin">Smallest circumradius in pixels (cross: half the bar length).</param>
/// <param name="RadiusMax">Largest circumradius.</param>
/// <param name="StrokeMin">Thinnest stroke in pixels.</param>
/// <param name="StrokeMax">Thickest stroke.</param>
/// <param name="CenterJitter">How far (pixels) the centre may move from the image centre in x and in y.</param>
public sealed record ShapeStyle(double RadiusMin = 8, double RadiusMax = 12.5, double StrokeMin = 2.5, double StrokeMax = 4.5, double CenterJitter = 4);
