using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

/// <summary>
/// The phase column matrix of <see cref="ConvTranspose.PhaseGemm"/> for whole small images side by side,
/// written straight into GEMM's packed B panels (an implicit im2col): row (k, a, b), column
/// (image i, phase pixel q = (qh, qw)) holds z[i, k, BaseH[a] + qh, BaseW[b] + qw], zero outside the
/// input. The GEMM multiplies exactly the values the stored column buffer held, in the same k order and
/// blocking, so the bits are those of the stored route; what goes away is writing the column buffer and
/// reading it back to pack it (DCGAN's 4×4 → 8×8 layer gathers 16-float planes per row).
/// </summary>
internal sealed unsafe class PhasePanels<T> : IPanelSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T* _z;
    private readonly int _imageStride, _small, _pixels, _taps;
    // Per tap (a, b) and phase pixel q: the element's offset in the input plane, or −1 outside it.
    private readonly int[] _offsets;
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
    public PhasePanels(in ConvGeometry g, ConvTranspose.Phase p, T* z, int imageStride)
    {
        _z = z;
        _imageStride = imageStride;
        _small = g.SmallH * g.SmallW;
        _pixels = p.NH * p.NW;
        int th = p.TapsH.Length, tw = p.TapsW.Length;
        _taps = th * tw;
        _offsets = new int[_taps * _pixels];
        for (int a = 0; a < th; a++)
            for (int b = 0; b < tw; b++)
                for (int qh = 0; qh < p.NH; qh++)
                    for (int qw = 0; qw < p.NW; qw++)
                    {
                        int h = p.BaseH[a] + qh, w = p.BaseW[b] + qw;
                        _offsets[((a * tw + b) * p.NH + qh) * p.NW + qw] = h >= 0 && h < g.SmallH && w >= 0 && w < g.SmallW ? h * g.SmallW + w : -1;
                    }
        if (typeof(T) == typeof(float) && Avx512F.IsSupported && _small == 16 && _pixels == 16)
        {
            _index = new Vector512<int>[_taps];
            _mask = new Vector512<int>[_taps];
            for (int t = 0; t < _taps; t++)
            {
                var lanes = Vector512.Create((ReadOnlySpan<int>)_offsets.AsSpan(t * 16, 16));
                _index[t] = Vector512.Max(lanes, Vector512<int>.Zero);
                _mask[t] = ~Vector512.LessThan(lanes, Vector512<int>.Zero); // all ones where the offset is inside
            }
        }
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
        fixed (int* offsets = _offsets)
            for (int p = 0; p < kc; p++, dst += nr)
            {
                int k = k0 + p, channel = k / _taps;
                int* off = offsets + (k - channel * _taps) * _pixels;
                T* plane = _z + (nint)channel * _small;
                int img = j0 / _pixels, q = j0 - img * _pixels;
                for (int j = 0; j < cols; j++)
                {
                    int o = off[q];
                    dst[j] = o < 0 ? T.Zero : plane[(nint)img * _imageStride + o];
                    if (++q == _pixels) { q = 0; img++; }
                }
                for (int j = cols; j < nr; j++) dst[j] = T.Zero;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first training step, before tiering would optimise it
    private void PackPlanes(int k0, int kc, int j0, int cols, int nr, float* dst)
    {
        float* z = (float*)_z;
        for (int p = 0; p < kc; p++, dst += nr)
        {
            int k = k0 + p, channel = k / _taps, t = k - channel * _taps;
            var index = _index![t];
            var mask = _mask![t].AsSingle();
            float* plane = z + (nint)channel * 16 + (nint)(j0 / 16) * _imageStride;
            for (int j = 0; j < nr; j += 16, plane += _imageStride)
            {
                var v = j < cols ? Avx512F.PermuteVar16x32(Vector512.Load(plane), index) & mask : Vector512<float>.Zero;
                v.Store(dst + j);
            }
        }
    }
}
