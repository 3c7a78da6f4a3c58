using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Experimental;

/// <summary>
/// PROTOTYPE, private to the example until MiniTorch's DiffAugment lands (issue 12, library half).
/// Differentiable augmentation (Zhao et al., 2020) of a batch [N, C, H, W], as in the authors'
/// DiffAugment_pytorch.py: color (brightness, saturation, contrast), translation by up to 1/8 of
/// the image with zero fill, and cutout of a square half the image's side. Every random draw comes
/// from the given generator.
/// </summary>
public static class DiffAugment
{
    /// <summary>Applies the comma-separated <paramref name="policy"/> (color, translation, cutout).</summary>
    public static Tensor Apply(Tensor x, string policy, Generator rng)
    {
        foreach (var p in policy.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            x = p switch
            {
                "color" => Contrast(Saturation(Brightness(x, rng), rng), rng),
                "translation" => Translation(x, rng),
                "cutout" => Cutout(x, rng),
                _ => throw new ArgumentException($"unknown DiffAugment policy '{p}'"),
            };
        return x;
    }

    private static Tensor PerSample(Tensor x, Generator rng) => Torch.Rand([x.Size(0), 1, 1, 1], rng, x.DType);

    /// <summary>x + U(−0.5, 0.5) per sample.</summary>
    public static Tensor Brightness(Tensor x, Generator rng) => x + (PerSample(x, rng) - 0.5);

    /// <summary>(x − mean_c x)·U(0, 2) + mean_c x per sample.</summary>
    public static Tensor Saturation(Tensor x, Generator rng)
    {
        var mean = x.Mean(1, keepdim: true);
        return (x - mean) * (PerSample(x, rng) * 2) + mean;
    }

    /// <summary>(x − mean x)·U(0.5, 1.5) + mean x per sample.</summary>
    public static Tensor Contrast(Tensor x, Generator rng)
    {
        var mean = x.Mean([1, 2, 3], keepdim: true);
        return (x - mean) * (PerSample(x, rng) + 0.5) + mean;
    }

    /// <summary>Shifts each sample by integers in [−s, s] (s = round(H/8)), filling with zeros.</summary>
    public static Tensor Translation(Tensor x, Generator rng, double ratio = 0.125)
    {
        int n = x.Size(0), h = x.Size(2), w = x.Size(3);
        int sx = (int)(h * ratio + 0.5), sy = (int)(w * ratio + 0.5);
        var tx = new int[n];
        var ty = new int[n];
        for (int i = 0; i < n; i++) tx[i] = rng.Next(-sx, sx + 1);
        for (int i = 0; i < n; i++) ty[i] = rng.Next(-sy, sy + 1);
        return Translate(x, tx, ty);
    }

    /// <summary>out[i, :, a, b] = x[i, :, a + tx[i], b + ty[i]], zero outside.</summary>
    public static Tensor Translate(Tensor x, int[] tx, int[] ty)
    {
        int n = x.Size(0), h = x.Size(2), w = x.Size(3);
        int px = tx.Max(Math.Abs), py = ty.Max(Math.Abs);
        var padded = F.Pad(x, [py, py, px, px]);
        var parts = new Tensor[n];
        for (int i = 0; i < n; i++)
            parts[i] = padded.Narrow(0, i, 1).Narrow(2, px + tx[i], h).Narrow(3, py + ty[i], w);
        return Torch.Cat(parts, 0);
    }

    /// <summary>Zeroes a square of side round(H/2) at a random centre in each sample.</summary>
    public static Tensor Cutout(Tensor x, Generator rng, double ratio = 0.5)
    {
        int n = x.Size(0), h = x.Size(2), w = x.Size(3);
        int ch = (int)(h * ratio + 0.5), cw = (int)(w * ratio + 0.5);
        var ox = new int[n];
        var oy = new int[n];
        for (int i = 0; i < n; i++) ox[i] = rng.Next(0, h + (1 - ch % 2));
        for (int i = 0; i < n; i++) oy[i] = rng.Next(0, w + (1 - cw % 2));
        var mask = new float[n * h * w];
        Array.Fill(mask, 1f);
        for (int i = 0; i < n; i++)
            for (int a = 0; a < ch; a++)
                for (int b = 0; b < cw; b++)
                {
                    int r = Math.Clamp(a + ox[i] - ch / 2, 0, h - 1), c = Math.Clamp(b + oy[i] - cw / 2, 0, w - 1);
                    mask[(i * h + r) * w + c] = 0;
                }
        return x * Torch.FromArray(mask, n, 1, h, w).To(x.DType);
    }
}
