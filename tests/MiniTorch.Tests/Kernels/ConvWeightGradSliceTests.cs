using System.Numerics;
using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The channels-last weight gradient builds and multiplies its units of whole images one GEMM k-slice
/// (KC pixels) at a time. Each slice is one of the whole-unit GEMM's own KC slices, so every element must
/// get exactly the bits of the whole-unit code (kept behind <c>sliceUnits: false</c>): images straddling
/// slices, ragged last slices, ragged output-channel panels, groups, pixel-major 3-d, float32 and float64,
/// on 1 to 3 threads. Likewise where the kernel covers the whole image: the products read the images in place
/// instead of building columns, and must give the columns' bits (kept behind <c>wholeImages: false</c>).
/// </summary>
public class ConvWeightGradSliceTests
{
    public static TheoryData<string> Cases => new() { "D 16->20 16x16->8x8", "5x5 outputs, 272 rows", "two groups", "3-d pixel-major s2" };

    private static ConvGeometry Geometry(string name) => name switch
    {
        // DCGAN's D 16→32 (16×16 → 8×8, 64-pixel images: two per float32 slice, straddling float64's) with a ragged 20-row output.
        "D 16->20 16x16->8x8" => ConvGeometry.Planar(37, 16, 16, 16, 20, 8, 8, 4, 4, 2, 2, 1, 1, 1, 1, 1),
        // 25-pixel images (no slice boundary on an image boundary), 17 channels (272 rows: a ragged column panel).
        "5x5 outputs, 272 rows" => ConvGeometry.Planar(80, 17, 10, 10, 6, 5, 5, 4, 4, 2, 2, 1, 1, 1, 1, 1),
        "two groups" => ConvGeometry.Planar(130, 32, 8, 8, 24, 4, 4, 4, 4, 2, 2, 1, 1, 1, 1, 2),
        // Rank 3 with 32 output channels: pixel-major partials ([rows, K_g], a transposed GEMM), stride 2 (no padded planes).
        "3-d pixel-major s2" => Shape.Conv([50, 16, 6, 6, 6], [32, 16, 3, 3, 3], null, [2, 2, 2], new ConvPadding(ConvPaddingKind.Explicit, [1, 1, 1]), [1, 1, 1], 1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SlicedUnits_AreBitwiseTheWholeUnits_OnOneToThreeThreads(string name)
    {
        var g = Geometry(name);
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(g, ConvPass.WeightGrad, ConvPlanner.Isa));
        Check<float>(g, name);
        Check<double>(g, name);
    }

    [Fact]
    public void OneOutputChannel_OrOneItem_KeepsWholeUnits()
    {
        // K_g = 1 takes dot products over a unit's k, which a split would reorder; one work item gathers on all cores.
        Assert.False(ConvWeightGradChannelsLast.SlicesUnits(ConvGeometry.Planar(64, 64, 4, 4, 1, 1, 1, 4, 4, 1, 1, 0, 0, 1, 1, 1), pixelMajor: false));
        Assert.False(ConvWeightGradChannelsLast.SlicesUnits(ConvGeometry.Planar(64, 128, 4, 4, 64, 1, 1, 4, 4, 1, 1, 0, 0, 1, 1, 1), pixelMajor: false));
    }

    private static void Check<T>(ConvGeometry g, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool pixelMajor = ConvWeightGradChannelsLast.PixelMajor<T>(g);
        Assert.True(ConvWeightGradChannelsLast.SlicesUnits(g, pixelMajor), $"{name} ({typeof(T).Name}) does not take the sliced units");
        // The vector kernels' column panels (16 or 32 wide) hold 32 output channels whole: pixel-major; the scalar 4×4 tile does not mind.
        if (Gemm.Best != Gemm.Kernel.Scalar) Assert.Equal(g.Rank == 3, pixelMajor);
        AssertNewCodeGivesOldBits<T>(g, name, sliceUnits: false, wholeImages: true, seed: name.Length * 31);
    }

    /// <summary>
    /// The route with both changes on 1, 2 and 3 threads gives bit for bit what the code before one of them
    /// (<paramref name="sliceUnits"/> or <paramref name="wholeImages"/> false) gives on one thread.
    /// </summary>
    private static void AssertNewCodeGivesOldBits<T>(ConvGeometry g, string name, bool sliceUnits, bool wholeImages, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed + (typeof(T) == typeof(float) ? 0 : 1));
        var x = Values<T>(rng, g.N * g.BigC * g.BigPlane);
        var gy = Values<T>(rng, g.N * g.SmallC * g.SmallPlane);
        int size = g.SmallC * g.BigCg * g.Taps;
        var want = new T[size];
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(1);
            ConvWeightGradChannelsLast.Compute<T>(g, x, gy, want, sliceUnits, wholeImages);
            Assert.Contains(want, v => v != T.Zero);
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Torch.SetNumThreads(threads);
                var got = new T[size];
                got.AsSpan().Fill(T.NaN);
                ConvWeightGradChannelsLast.Compute<T>(g, x, gy, got, sliceUnits: true, wholeImages: true);
                for (int i = 0; i < size; i++)
                    Assert.True(Bits(want[i]) == Bits(got[i]), $"{name} {typeof(T).Name} on {threads} threads: element {i} is {got[i]}, the code before gives {want[i]}");
            }
        }
        finally { Torch.SetNumThreads(saved); }
    }

    public static TheoryData<string> WholeImageCases => new() { "D 64->1 4x4", "G 64->128 1x1->4x4", "3x3 images, three chunks", "one channel, three chunks", "two groups" };

    private static ConvGeometry WholeImageGeometry(string name) => name switch
    {
        // The example's discriminator's last layer (one output channel: a weighted sum of the images) and its
        // generator's first layer seen from its weight gradient (128 channels 4×4 on the big side, 64 on the 1×1 side).
        "D 64->1 4x4" => ConvGeometry.Planar(64, 64, 4, 4, 1, 1, 1, 4, 4, 1, 1, 0, 0, 1, 1, 1),
        "G 64->128 1x1->4x4" => ConvGeometry.Planar(64, 128, 4, 4, 64, 1, 1, 4, 4, 1, 1, 0, 0, 1, 1, 1),
        // 144 rows: 1792 images per unit, so 3700 images make three units in three chunks (partials summed in order).
        "3x3 images, three chunks" => ConvGeometry.Planar(3700, 16, 3, 3, 5, 1, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1),
        "one channel, three chunks" => ConvGeometry.Planar(3700, 16, 3, 3, 1, 1, 1, 3, 3, 2, 2, 0, 0, 1, 1, 1),
        "two groups" => ConvGeometry.Planar(40, 32, 3, 3, 6, 1, 1, 3, 3, 1, 1, 0, 0, 1, 1, 2),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(WholeImageCases))]
    public void WholeImages_AreBitwiseTheColumns_OnOneToThreeThreads(string name)
    {
        var g = WholeImageGeometry(name);
        Assert.Equal(ConvRoute.WeightGradChannelsLast, ConvPlanner.Choose(g, ConvPass.WeightGrad, ConvPlanner.Isa));
        WholeImagesCheck<float>(g, name);
        WholeImagesCheck<double>(g, name);
    }

    private static void WholeImagesCheck<T>(ConvGeometry g, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(ConvWeightGradChannelsLast.WholeImages(g, ConvWeightGradChannelsLast.PixelMajor<T>(g)), $"{name} does not take the whole-image products");
        AssertNewCodeGivesOldBits<T>(g, name, sliceUnits: true, wholeImages: false, seed: name.Length * 17);
    }

    private static long Bits<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> =>
        v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)(object)v);

    private static T[] Values<T>(Random rng, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[count];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return a;
    }
}
