using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>The channels-last weight gradient where the kernel covers the whole image: products of the images in place.</summary>
internal static unsafe partial class ConvWeightGradChannelsLast
{
    /// <summary>
    /// Whether the kernel covers the whole unpadded image (one output pixel, e.g. a DCGAN generator's 1×1 → 4×4 first
    /// layer and a discriminator's 4×4 → 1×1 last one), so that an image's column is the image itself and
    /// <see cref="WholeImageProducts{T}"/> applies: units of several images, [K_g, rows] partials, rows &gt; 1.
    /// </summary>
    internal static bool WholeImages(in ConvGeometry g, bool pixelMajor) =>
        g.SmallPlane == 1 && g.KD == g.BigD && g.KH == g.BigH && g.KW == g.BigW && g.PD == 0 && g.PH == 0 && g.PW == 0 &&
        !pixelMajor && g.N > 1 && g.BigCg * g.Taps > 1;

    /// <summary>
    /// The column route's products where the kernel covers the whole image: column n of a unit is image n's
    /// (tap, c) values, the same values as x[n, c, tap] in another order, so each unit's product reads x and gy in
    /// place (a GEMM with Aᵀ = gy's rows, B = x's rows) and writes [K_g, (c, tap)], gw's own order, instead of
    /// copying every image channels-last into columns and permuting the sums back. The units, chunks, k-slices,
    /// β and chunk sums are the column route's, and a column order is not part of any element's sum, so every
    /// element gets the same FMA chains (K_g = 1: the same products and additions as
    /// <see cref="Conv.Multiply{T}"/>'s weighted sum of rows) and the same bits.
    /// </summary>
    private static void WholeImageProducts<T>(ConvGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> gy, Memory<T> gw, int perUnit, int units, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kg = g.SmallCg, rows = g.BigCg * g.Taps, size = kg * rows, items = g.Groups * chunks;
        // One chunk writes gw directly (the column route copies its only partial there, and permutes it).
        var partial = chunks > 1 ? ArrayPool<T>.Shared.Rent(items * size) : null;
        Threading.For(items, 2L * g.N * g.SmallC * rows, item =>
        {
            int ch = item % chunks, grp = item / chunks;
            var acc = partial is null ? gw.Span.Slice(grp * size, size) : partial.AsSpan(item * size, size);
            long first = (long)units * ch / chunks;
            for (long u = first; u < (long)units * (ch + 1) / chunks; u++)
            {
                int n0 = (int)u * perUnit, count = Math.Min(perUnit, g.N - n0);
                var xs = x.Span[((n0 * g.BigC + grp * g.BigCg) * g.Taps)..];
                var gys = gy.Span[(n0 * g.SmallC + grp * kg)..];
                if (kg > 1)
                    Gemm.Multiply(true, false, kg, rows, count, T.One, gys, g.SmallC, xs, g.BigC * g.Taps, u != first ? T.One : T.Zero, acc, rows,
                                  parallel: items == 1);
                else
                {
                    // Conv.Multiply's one-row product: acc = Σ_n gy[n]·x[n] row by row, in image order.
                    if (u == first) acc.Clear();
                    for (int n = 0; n < count; n++) TensorPrimitives.MultiplyAdd(xs.Slice(n * g.BigC * g.Taps, rows), gys[n * g.SmallC], acc, acc);
                }
            }
        });
        if (partial is null) return;
        // Chunks summed in chunk order, element by element (as the column route sums its partials' rows).
        Threading.For(g.Groups * kg, (long)items * size, item =>
        {
            int grp = item / kg, k = item % kg;
            SumChunks(partial, grp, k, chunks, size, rows, gw.Span.Slice(grp * size + k * rows, rows));
        });
        ArrayPool<T>.Shared.Return(partial);
    }
}
