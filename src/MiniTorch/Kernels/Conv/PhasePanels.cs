using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

/// <summary>
/// What the panel sources of <see cref="ConvTranspose.PhaseGemm"/>'s batched phase GEMMs share: the input (whole small
/// images side by side from <c>Z</c>, the group's first channel of the first image) and the gather table
/// (<see cref="ConvTranspose.PhaseOffsets"/>); the phase column matrix's row k = (channel, tap), column j = (image,
/// phase pixel) holds z[image, channel, offset] or zero outside the input.
/// </summary>
internal abstract unsafe class PhaseSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected readonly T* Z;
    protected readonly int ImageStride, Small, Pixels, Taps;
    // Per tap (a, b) and phase pixel q: the element's offset in the input plane, or −1 outside it.
    protected readonly int[] Offsets;

    /// <param name="g">The transposed convolution's geometry.</param>
    /// <param name="p">The output phase whose columns this gathers.</param>
    /// <param name="z">The first image's first channel of the group.</param>
    /// <param name="imageStride">Elements between images (C·H·W of the small side).</param>
    protected PhaseSource(in ConvGeometry g, ConvTranspose.Phase p, T* z, int imageStride)
    {
        Z = z;
        ImageStride = imageStride;
        Small = g.SmallH * g.SmallW;
        Pixels = p.NH * p.NW;
        Taps = p.TapsH.Length * p.TapsW.Length;
        Offsets = Cached(OffsetTables, g, p, ConvTranspose.PhaseOffsets);
    }

    private static readonly GatherCache<int[]> OffsetTables = new();

    /// <summary>Phase <paramref name="p"/>'s table of <paramref name="cache"/> for <paramref name="g"/>, built by <paramref name="build"/> the first time.</summary>
    protected static TTable Cached<TTable>(GatherCache<TTable> cache, in ConvGeometry g, ConvTranspose.Phase p, PhaseTableBuilder<TTable> build) where TTable : class
    {
        var key = GatherKey.Of(g, p.H0 << 16 | p.W0);
        return cache.TryGet(key, out var table) ? table : cache.Add(key, build(g, p));
    }

    /// <summary>Builds a phase's table (see <see cref="Cached{TTable}"/>).</summary>
    protected internal delegate TTable PhaseTableBuilder<TTable>(in ConvGeometry g, ConvTranspose.Phase p);

    /// <summary>dst[i] = col[k, j0 + i] for i &lt; count, and zero for count ≤ i &lt; width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected void GatherRow(int k, int j0, int count, int width, T* dst)
    {
        int channel = k / Taps;
        fixed (int* offsets = Offsets)
        {
            int* off = offsets + (k - channel * Taps) * Pixels;
            T* plane = Z + (nint)channel * Small;
            int img = j0 / Pixels, q = j0 - img * Pixels;
            for (int i = 0; i < count; i++)
            {
                int o = off[q];
                dst[i] = o < 0 ? T.Zero : plane[(nint)img * ImageStride + o];
                if (++q == Pixels) { q = 0; img++; }
            }
        }
        for (int i = count; i < width; i++) dst[i] = T.Zero;
    }
}

/// <summary>
/// The phase column matrix of <see cref="ConvTranspose.PhaseGemm"/> for whole small images side by side,
/// written straight into GEMM's packed B panels (an implicit im2col): row (k, a, b), column
/// (image i, phase pixel q = (qh, qw)) holds z[i, k, BaseH[a] + qh, BaseW[b] + qw], zero outside the
/// input. The GEMM multiplies exactly the values the stored column buffer held, in the same k order and
/// blocking, so the bits are those of the stored route; what goes away is writing the column buffer and
/// reading it back to pack it (DCGAN's 4×4 → 8×8 layer gathers 16-float planes per row).
/// </summary>
internal sealed unsafe class PhasePanels<T> : PhaseSource<T>, IPanelSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The Vector512 form for 16-float planes whose phases are 16 pixels (4×4 → 8×8 with stride 2): one
    // permute of the plane per panel row and image, lanes outside the input masked to +0.
    private readonly Vector512<int>[]? _index;
    private readonly Vector512<int>[]? _mask;

    /// <summary>
    /// out[c, (i, q)] = Σ_rows a[row, c]·col[row, (i, q)] for <paramref name="len"/> columns (whole images from
    /// <paramref name="z"/>, which starts at the first image's first channel of the group): the stored
    /// route's GEMM (A transposed, the sub-kernel stored [rows, Cg]) with B written by the panel source.
    /// </summary>
    public static void Multiply(in ConvGeometry g, ConvTranspose.Phase p, ReadOnlySpan<T> z, int rows, int len, ReadOnlySpan<T> a, Span<T> c)
    {
        fixed (T* pz = z, pa = a, pc = c)
            Gemm.Multiply(true, g.BigCg, len, rows, pa, g.BigCg, new PhasePanels<T>(g, p, pz, g.SmallC * g.SmallH * g.SmallW), pc, len, parallel: false);
    }

    /// <param name="g">The transposed convolution's geometry.</param>
    /// <param name="p">The output phase whose columns this writes.</param>
    /// <param name="z">The first image's first channel of the group.</param>
    /// <param name="imageStride">Elements between images (C·H·W of the small side).</param>
    public PhasePanels(in ConvGeometry g, ConvTranspose.Phase p, T* z, int imageStride) : base(g, p, z, imageStride)
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported && Small == 16 && Pixels == 16)
        {
            var lanes = Cached(LaneTables, g, p, Lanes);
            (_index, _mask) = (lanes[0], lanes[1]);
        }
    }

    private static readonly GatherCache<Vector512<int>[][]> LaneTables = new();

    /// <summary>Per tap: the permute's lane indices (offsets, 0 outside) and the lanes inside the input (all ones).</summary>
    private static Vector512<int>[][] Lanes(in ConvGeometry g, ConvTranspose.Phase p)
    {
        var offsets = ConvTranspose.PhaseOffsets(g, p);
        int taps = offsets.Length / 16;
        var index = new Vector512<int>[taps];
        var mask = new Vector512<int>[taps];
        for (int t = 0; t < taps; t++)
        {
            var lanes = Vector512.Create((ReadOnlySpan<int>)offsets.AsSpan(t * 16, 16));
            index[t] = Vector512.Max(lanes, Vector512<int>.Zero);
            mask[t] = ~Vector512.LessThan(lanes, Vector512<int>.Zero); // all ones where the offset is inside
        }
        return [index, mask];
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int k0, int kc, int j0, int cols, int nr, T* dst)
    {
        if (_index is not null && j0 % 16 == 0 && nr % 16 == 0 && cols % 16 == 0)
        {
            PackPlanes(k0, kc, j0, cols, nr, (float*)dst);
            return;
        }
        for (int p = 0; p < kc; p++, dst += nr) GatherRow(k0 + p, j0, cols, nr, dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private void PackPlanes(int k0, int kc, int j0, int cols, int nr, float* dst)
    {
        float* z = (float*)Z;
        for (int p = 0; p < kc; p++, dst += nr)
        {
            int k = k0 + p, channel = k / Taps, t = k - channel * Taps;
            var index = _index![t];
            var mask = _mask![t].AsSingle();
            float* plane = z + (nint)channel * 16 + (nint)(j0 / 16) * ImageStride;
            for (int j = 0; j < nr; j += 16, plane += ImageStride)
            {
                var v = j < cols ? Avx512F.PermuteVar16x32(Vector512.Load(plane), index) & mask : Vector512<float>.Zero;
                v.Store(dst + j);
            }
        }
    }
}
