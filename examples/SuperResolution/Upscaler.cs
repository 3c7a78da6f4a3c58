using MiniTorch;
using MiniTorch.Nn;

namespace SuperResolution;

/// <summary>
/// Upscales whole images: the network runs on the luma, chroma is upscaled bicubically. The image
/// is cut into one horizontal stripe per thread, and each stripe is streamed through the network
/// in bands of rows (a <see cref="RowStream"/>), so activations stay a few rows high instead of
/// image-sized. Each stripe also reads the rows its receptive field reaches into its neighbours,
/// so the result equals one pass over the whole image, bit for bit.
/// </summary>
/// <remarks>
/// Why stripes rather than parallel kernels: a band of 20 rows gives each convolution too little
/// work to split evenly between threads on every call, while two independent stripes keep both
/// cores busy with no synchronisation at all. The kernels run single-threaded meanwhile
/// (<see cref="Torch.SetNumThreads"/>(1) for the duration, restored afterwards), which also applies
/// to other work on MiniTorch in the process while an image is being upscaled.
/// </remarks>
public static class Upscaler
{
    /// <summary>
    /// Input rows per band by default: 20 rows of a full-HD frame make 56-channel activations of ≈ 10 MB. A
    /// multiple of 5, because the upscaling layer's kernel computes each output phase in blocks of 5 rows
    /// (a band of n input rows is n rows per phase): bands of 16 computed 20 rows per phase and threw 4 away
    /// (<c>quick-sr bands</c>: 1-thread CPU time of the network ≈ 9 % lower with bands of 10, 15, 20 or 30 than with 16).
    /// </summary>
    public const int DefaultBand = 20;

    /// <summary>
    /// Upscales a luma plane [1, 1, H, W] to [1, 1, scale·H, scale·W], <paramref name="band"/> input rows at a
    /// time (0: the whole image in one pass of the model).
    /// </summary>
    public static Tensor UpscaleLuma(FSRCNN model, Tensor y, int band = DefaultBand, LayerProfile? profile = null)
    {
        CheckLuma(y);
        model.Eval();
        using var _ = Torch.NoGrad();
        int s = model.Scale;
        if (band <= 0) return profile is null ? model.Call(y) : Profiled(model, y, profile);
        var output = Torch.Zeros(1, 1, s * y.Size(2), s * y.Size(3));
        ForStripes(model, y.Size(2), band, profile, (r0, r1) =>
            StreamLuma(model, y, band, r0, r1, (row, rows) => output.Narrow(2, row, rows.Size(2)).CopyFrom(rows), profile));
        return output;
    }

    /// <summary>
    /// Runs the network over input rows [<paramref name="r0"/>, <paramref name="r1"/>) of <paramref name="y"/>
    /// [1, 1, H, W] in bands of <paramref name="band"/> rows, and hands every finished block of their output rows to
    /// <paramref name="sink"/> (first output row in the whole output, rows [1, 1, n, scale·W]), top to bottom.
    /// The rows handed over are reused afterwards: copy what you keep.
    /// </summary>
    /// <remarks>
    /// Output row r depends on input rows up to <see cref="RowStream.Delay"/> away (the stream's
    /// delay is its receptive radius), so the stream starts that many rows above r0 and ends that
    /// many below r1 (or at the image's edges, where the zero padding is real) and the rows it
    /// produces for the extra input are dropped.
    /// </remarks>
    public static void StreamLuma(FSRCNN model, Tensor y, int band, int r0, int r1, Action<int, Tensor> sink, LayerProfile? profile = null)
    {
        CheckLuma(y);
        int h = y.Size(2), s = model.Scale;
        if (band < 1) throw new ArgumentException($"band must be at least 1 row, got {band}");
        if (r0 < 0 || r1 > h || r0 >= r1) throw new ArgumentException($"rows [{r0}, {r1}) are not a non-empty part of an image {h} rows high");
        if (model.Training) model.Eval(); // stripes call this in parallel: only the first call may write
        using var _ = Torch.NoGrad();
        var stream = new RowStream(model, y.Size(3), profile);
        int start = Math.Max(0, r0 - stream.Delay), end = Math.Min(h, r1 + stream.Delay);
        int row = s * start, keepFrom = s * r0, keepTo = s * r1;
        for (int a = start; a < end; a += band)
        {
            int n = Math.Min(band, end - a);
            var rows = stream.Push(y.Narrow(2, a, n), last: a + n == end);
            if (rows is null) continue;
            int m = rows.Size(2), lo = Math.Max(row, keepFrom), hi = Math.Min(row + m, keepTo);
            if (hi > lo) sink(lo, rows.Narrow(2, lo - row, hi - lo));
            row += m;
        }
    }

    /// <summary>
    /// Calls <paramref name="body"/>(r0, r1) for one stripe of input rows per thread, in parallel, with
    /// single-threaded kernels. When profiling, the stripes run one after the other (still with
    /// single-threaded kernels), so every layer's CPU time is what it costs in a normal run.
    /// </summary>
    private static void ForStripes(FSRCNN model, int h, int band, LayerProfile? profile, Action<int, int> body)
    {
        int threads = Torch.GetNumThreads();
        // A stripe also computes the receptive radius of rows beyond each of its ends: keep stripes
        // tall enough that this stays small, and at least one band high.
        int delay = new RowStream(model, 1).Delay;
        int stripes = Math.Max(1, Math.Min(threads, h / Math.Max(band, 8 * delay)));
        (int, int) Stripe(int i) => ((int)((long)h * i / stripes), (int)((long)h * (i + 1) / stripes));
        if (stripes == 1 && profile is null)
        {
            body(0, h); // one thread, or an image too small to split: the kernels keep their threads
            return;
        }
        Torch.SetNumThreads(1);
        try
        {
            if (profile is not null)
                for (int i = 0; i < stripes; i++) { var (r0, r1) = Stripe(i); body(r0, r1); }
            else
                Parallel.For(0, stripes, new ParallelOptions { MaxDegreeOfParallelism = stripes }, i => { var (r0, r1) = Stripe(i); body(r0, r1); });
        }
        finally { Torch.SetNumThreads(threads); }
    }

    private static Tensor Profiled(FSRCNN model, Tensor x, LayerProfile profile)
    {
        int i = 0;
        foreach (var layer in model.FirstPart.Concat(model.MidPart).Append(model.LastPart))
            x = profile.Measure($"{i++,2} {LayerName(layer)}", () => layer.Call(x));
        return x;
    }

    /// <summary>A short name for a layer in profiles: <c>conv 3x3 12-&gt;12</c>, <c>prelu 12</c>.</summary>
    public static string LayerName(Module layer) => layer switch
    {
        ConvTranspose2d t => $"conv_t {t.KernelSize.H}x{t.KernelSize.W} {t.InChannels}->{t.OutChannels}",
        Conv2d c => $"conv {c.KernelSize.H}x{c.KernelSize.W} {c.InChannels}->{c.OutChannels}",
        PReLU p => $"prelu {p.NumParameters}",
        _ => layer.GetType().Name,
    };

    /// <summary>Upscales an image [C, H, W] (C = 1 or 3) in [0, 1]; returns [C, scale·H, scale·W] clamped to [0, 1].</summary>
    /// <param name="model">The network.</param>
    /// <param name="image">The image.</param>
    /// <param name="band">Input rows per band (0: the whole image in one pass).</param>
    /// <param name="profile">Where to add every step's costs (null: no accounting).</param>
    public static Tensor UpscaleImage(FSRCNN model, Tensor image, int band = DefaultBand, LayerProfile? profile = null)
    {
        if (image.Dim != 3 || image.Size(0) is not (1 or 3))
            throw new ArgumentException($"expected an image of shape [C, H, W] with C = 1 or 3, got [{string.Join(", ", image.Shape)}]");
        T Step<T>(string name, Func<T> f) => profile is null ? f() : profile.Measure(name, f);
        if (image.Size(0) == 1) return UpscaleLuma(model, image.Unsqueeze(0), band, profile).Squeeze(0).Clamp(0, 1);
        int s = model.Scale, h = image.Size(1), w = image.Size(2);
        if (band <= 0)
        {
            var (y, cbcr) = Step("RGB to YCbCr", () => ColorSpace.ToYAndCbCr(image));
            var yUp = UpscaleLuma(model, y, 0, profile);
            var cUp = Step("chroma bicubic", () => Bicubic(cbcr, s));
            return Step("YCbCr to RGB", () =>
            {
                var rgb = Torch.Zeros(3, s * h, s * w);
                ToRgbRows(yUp, cUp, 0, rgb, 0);
                return rgb;
            });
        }
        var output = Torch.Zeros(3, s * h, s * w);
        var source = image.To(DType.Float32).Contiguous();
        model.Eval();
        int delay = new RowStream(model, 1).Delay;
        ForStripes(model, h, band, profile, (r0, r1) =>
        {
            // Each stripe converts the rows it reads itself: the network's receptive radius (delay) and
            // bicubic's 2 rows beyond the stripe (clipped to the image, where PyTorch clamps too, so
            // interpolating rows [r0 − 2, r1 + 2) gives output rows [s·r0, s·r1) exactly).
            int lo = Math.Max(0, r0 - Math.Max(delay, 2)), hi = Math.Min(h, r1 + Math.Max(delay, 2));
            var (y, cbcr) = Step("RGB to YCbCr", () => ColorSpace.ToYAndCbCr(source, lo, hi - lo));
            int cLo = Math.Max(0, r0 - 2), cHi = Math.Min(h, r1 + 2);
            var chroma = Step("chroma bicubic", () => Bicubic(cbcr.Narrow(2, cLo - lo, cHi - cLo), s));
            // The stream on the stripe's rows starts and ends where it would on the whole image (lo and hi are
            // the rows it reads), so its rows are the same; row numbers are shifted by s·lo.
            StreamLuma(model, y, band, r0 - lo, r1 - lo, (row, luma) =>
                Step("YCbCr to RGB", () => ToRgbRows(luma, chroma, row + s * (lo - cLo), output, row + s * lo)), profile);
        });
        return output;
    }

    private static Tensor Bicubic(Tensor planes, int scale)
    {
        using var _ = Torch.NoGrad();
        return F.Interpolate(planes, scaleFactor: scale, mode: InterpolationMode.Bicubic);
    }

    // Writes the RGB of luma [1, 1, n, W'] and rows [first, first + n) of chroma [1, 2, ·, W'] into rows [row, row + n) of output [3, ·, W'].
    private static int ToRgbRows(Tensor luma, Tensor chroma, int first, Tensor output, int row)
    {
        int n = luma.Size(2), w = luma.Size(3), count = n * w;
        var yv = ColorSpace.Floats(luma.Contiguous());
        var c = ColorSpace.Floats(chroma.Contiguous());
        int plane = chroma.Size(2) * w;
        var o = ColorSpace.Floats(output);
        int outPlane = output.Size(1) * w;
        ColorSpace.ToRgbRows(yv, c.Slice(first * w, count), c.Slice(plane + first * w, count),
                             o.Slice(row * w, count), o.Slice(outPlane + row * w, count), o.Slice(2 * outPlane + row * w, count));
        return n;
    }

    private static void CheckLuma(Tensor y)
    {
        if (y.Dim != 4 || y.Size(0) != 1 || y.Size(1) != 1)
            throw new ArgumentException($"expected a luma plane of shape [1, 1, H, W], got [{string.Join(", ", y.Shape)}]");
    }
}
