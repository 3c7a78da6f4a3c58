using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

/// <summary>
/// The transposed phase column matrix of <see cref="ConvTranspose.PhaseGemm"/>'s pixel-major GEMM (few big-side
/// channels: outᵀ[q, c] = colᵀ·Wᵀ) for whole small images side by side, written straight into GEMM's packed A panels:
/// row (image i, phase pixel q = (qh, qw)), column (k, a, b) holds z[i, k, BaseH[a] + qh, BaseW[b] + qw], zero
/// outside the input. The stored route gathered the column matrix (<c>PhaseCols</c>) and GEMM then packed its
/// transpose; the GEMM multiplies exactly the same values in the same k order and blocking, so the bits are the
/// stored route's (DCGAN's 8×8 → 4×4 input gradient: 16-float planes, one permute per panel row).
/// </summary>
internal sealed unsafe class PhaseRowPanels<T> : PhaseSource<T>, IRowPanelSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The Vector512 form for 16-float planes whose phases are 16 pixels: per (first pixel's place o in its image, tap),
    // two-source permute indices over this image's plane and the next one's, and the lanes inside the input.
    private readonly Vector512<int>[]? _index;
    private readonly Vector512<int>[]? _inside;

    /// <summary>
    /// outᵀ[(i, q), c] = Σ_rows col[row, (i, q)]·b[row, c] for <paramref name="len"/> rows (whole images from
    /// <paramref name="z"/>, which starts at the first image's first channel of the group) and <paramref name="n"/>
    /// columns: the stored route's pixel-major GEMM with A written by the panel source.
    /// </summary>
    public static void Multiply(in ConvGeometry g, ConvTranspose.Phase p, ReadOnlySpan<T> z, int rows, int len, int n, ReadOnlySpan<T> b, Span<T> c)
    {
        if ((long)rows * n > b.Length || (long)len * n > c.Length) throw new ArgumentException("sub-kernel or output tile too short for the phase GEMM");
        fixed (T* pz = z, pb = b, pc = c)
            Gemm.Multiply(len, n, rows, new PhaseRowPanels<T>(g, p, pz, g.SmallC * g.SmallH * g.SmallW), pb, n, pc, n, parallel: false);
    }

    /// <param name="g">The transposed convolution's geometry.</param>
    /// <param name="p">The output phase whose rows this writes.</param>
    /// <param name="z">The first image's first channel of the group.</param>
    /// <param name="imageStride">Elements between images (C·H·W of the small side).</param>
    public PhaseRowPanels(in ConvGeometry g, ConvTranspose.Phase p, T* z, int imageStride) : base(g, p, z, imageStride)
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported && Small == 16 && Pixels == 16)
        {
            var lanes = Cached(LaneTables, g, p, Lanes);
            (_index, _inside) = (lanes[0], lanes[1]);
        }
    }

    private static readonly GatherCache<Vector512<int>[][]> LaneTables = new();

    /// <summary>Per (first pixel's place o in its image, tap): the two-source permute's lane indices and the lanes inside the input.</summary>
    private static Vector512<int>[][] Lanes(in ConvGeometry g, ConvTranspose.Phase p)
    {
        var offsets = ConvTranspose.PhaseOffsets(g, p);
        int taps = offsets.Length / 16;
        var indices = new Vector512<int>[16 * taps];
        var insides = new Vector512<int>[16 * taps];
        Span<int> index = stackalloc int[16], inside = stackalloc int[16];
        for (int o = 0; o < 16; o++)
            for (int t = 0; t < taps; t++)
            {
                for (int l = 0; l < 16; l++)
                {
                    // Lane l is pixel o + l of the panel's first image, or pixel o + l − 16 of the next.
                    int q = (o + l) % 16, off = offsets[t * 16 + q];
                    index[l] = (o + l < 16 ? 0 : 16) + Math.Max(off, 0);
                    inside[l] = off >= 0 ? -1 : 0;
                }
                indices[o * taps + t] = Vector512.Create((ReadOnlySpan<int>)index);
                insides[o * taps + t] = Vector512.Create((ReadOnlySpan<int>)inside);
            }
        return [indices, insides];
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int k0, int kc, int i0, int rows, int mr, T* dst)
    {
        if (_index is not null && mr <= 16)
        {
            PackPlanes(k0, kc, i0, rows, mr, (float*)dst);
            return;
        }
        for (int p = 0; p < kc; p++, dst += mr) GatherRow(k0 + p, i0, rows, mr, dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private void PackPlanes(int k0, int kc, int i0, int rows, int mr, float* dst)
    {
        int img = i0 / 16, o = i0 - img * 16;
        // The next image's plane only where the panel reaches it (the last image has none after it).
        bool two = o + rows > 16;
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var valid = Vector512.LessThan(lanes, Vector512.Create(rows));
        var store = Vector512.LessThan(lanes, Vector512.Create(mr)).AsSingle();
        float* z = (float*)Z + (nint)img * ImageStride;
        int taps = Taps;
        for (int p = 0; p < kc; p++, dst += mr)
        {
            int k = k0 + p, channel = k / taps, t = k - channel * taps;
            float* plane = z + (nint)channel * 16;
            var first = Vector512.Load(plane);
            var next = two ? Vector512.Load(plane + ImageStride) : first;
            var v = Avx512F.PermuteVar16x32x2(first, _index![o * taps + t], next) & (_inside![o * taps + t] & valid).AsSingle();
            Avx512F.MaskStore(dst, store, v);
        }
    }
}
