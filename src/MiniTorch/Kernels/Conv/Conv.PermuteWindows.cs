using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

internal static partial class Conv
{
    /// <summary>
    /// The whole-image im2col of <see cref="ForwardImagesPacked{T}"/> for small float planes with AVX-512, straight from
    /// the input plane: each 16 output pixels of a tap's row of the column matrix (for DCGAN's 4×4 and 8×8 outputs, a
    /// whole 4×4 window or two rows of an 8×8 one) is one or two two-source permutes of the plane's 16-float chunks,
    /// lanes in the padding masked to +0, stored as one vector into GEMM's packed B panel. The phase-plane gather
    /// (<see cref="Im2ColPhases{T, TSink}"/>) built the stride phases of each channel and then copied each window as
    /// rows of 4 or 8 floats (two to four times the stores). The values are the same elements of x (or +0), so the
    /// packed panels, and everything computed from them, are bitwise those of the phase-plane gather.
    /// </summary>
    /// <remarks>
    /// Applies to 2-d float geometries with AVX-512 whose input plane is whole 16-float chunks (at most 16 of them)
    /// and whose output plane is whole vectors, when every 16 output pixels of every tap read at most four chunks
    /// (two pairs; stride 2 on 8×8 → 4×4 reads four, on 16×16 → 8×8 two). <see cref="Plan"/> returns null otherwise.
    /// </remarks>
    internal sealed unsafe class PermuteWindows
    {
        private readonly int _taps, _vectors, _plane;
        // Per (tap, output vector): the chunks of the two source pairs (−1: no second pair), the lane indices and masks.
        private readonly int[] _chunks;
        private readonly Vector512<int>[] _index0, _index1;
        private readonly Vector512<float>[] _mask0, _mask1;

        private PermuteWindows(int taps, int vectors, int plane)
        {
            (_taps, _vectors, _plane) = (taps, vectors, plane);
            _chunks = new int[taps * vectors * 4];
            _index0 = new Vector512<int>[taps * vectors];
            _index1 = new Vector512<int>[taps * vectors];
            _mask0 = new Vector512<float>[taps * vectors];
            _mask1 = new Vector512<float>[taps * vectors];
        }

        private static readonly GatherCache<PermuteWindows> Plans = new();
        // Cached for geometries whose windows read more than four chunks: the phase-plane gather.
        private static readonly PermuteWindows None = new(0, 0, 0);

        /// <summary>The gather for <paramref name="g"/> (<typeparamref name="T"/> float, AVX-512, packed panels <paramref name="nr"/> wide), or null where it does not apply.</summary>
        public static PermuteWindows? Plan<T>(in ConvGeometry g, int nr)
        {
            int plane = g.BigH * g.BigW, pixels = g.SmallPlane;
            if (typeof(T) != typeof(float) || !Avx512F.IsSupported || !g.IsPlanar || plane % 16 != 0 || plane > 256
                || pixels % 16 != 0 || nr % 16 != 0 || pixels == 0)
                return null;
            var key = GatherKey.Of(g, 0);
            if (!Plans.TryGet(key, out var plan)) plan = Plans.Add(key, Build(g) ?? None);
            return ReferenceEquals(plan, None) ? null : plan;
        }

        private static PermuteWindows? Build(in ConvGeometry g)
        {
            int plane = g.BigH * g.BigW, pixels = g.SmallPlane;
            int taps = g.KH * g.KW, vectors = pixels / 16;
            var plan = new PermuteWindows(taps, vectors, plane);
            Span<int> index = stackalloc int[16], mask = stackalloc int[16], chunkOf = stackalloc int[16];
            Span<int> index1 = stackalloc int[16], mask1 = stackalloc int[16], found = stackalloc int[4];
            for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                    for (int v = 0; v < vectors; v++)
                    {
                        int e = (i * g.KW + j) * vectors + v, count = 0;
                        found.Fill(-1);
                        for (int l = 0; l < 16; l++)
                        {
                            int p = v * 16 + l, oh = p / g.SmallW, ow = p - oh * g.SmallW;
                            int ih = oh * g.SH - g.PH + i * g.DH, iw = ow * g.SW - g.PW + j * g.DW;
                            chunkOf[l] = -1;
                            if (ih < 0 || ih >= g.BigH || iw < 0 || iw >= g.BigW) continue;
                            int at = ih * g.BigW + iw, chunk = at / 16, slot = found[..count].IndexOf(chunk);
                            if (slot < 0)
                            {
                                if (count == 4) return null; // more than two pairs of chunks: the phase-plane gather
                                found[slot = count++] = chunk;
                            }
                            chunkOf[l] = slot;
                            index[l] = at % 16; // the lane within its chunk; the pair's second source adds 16 below
                        }
                        for (int l = 0; l < 16; l++)
                        {
                            int slot = chunkOf[l];
                            mask[l] = slot is 0 or 1 ? -1 : 0;
                            mask1[l] = slot is 2 or 3 ? -1 : 0;
                            index1[l] = slot is 2 or 3 ? index[l] + (slot == 3 ? 16 : 0) : 0;
                            index[l] = slot is 0 or 1 ? index[l] + (slot == 1 ? 16 : 0) : 0;
                        }
                        // Chunks of the pairs; a pair with one chunk reads it as both sources, an empty plan reads chunk 0 (masked).
                        plan._chunks[4 * e] = Math.Max(found[0], 0);
                        plan._chunks[4 * e + 1] = found[1] >= 0 ? found[1] : Math.Max(found[0], 0);
                        plan._chunks[4 * e + 2] = found[2];
                        plan._chunks[4 * e + 3] = found[3] >= 0 ? found[3] : found[2];
                        plan._index0[e] = Vector512.Create((ReadOnlySpan<int>)index);
                        plan._index1[e] = Vector512.Create((ReadOnlySpan<int>)index1);
                        plan._mask0[e] = Vector512.Create((ReadOnlySpan<int>)mask).AsSingle();
                        plan._mask1[e] = Vector512.Create((ReadOnlySpan<int>)mask1).AsSingle();
                    }
            return plan;
        }

        /// <summary>
        /// Rows [0, channels·taps) of the column matrix for one image (<paramref name="x"/>: its group's channels, planes
        /// H·W apart, at least <paramref name="channels"/> of them readable) into the packed panels as
        /// <see cref="PackedSink{T}"/>(<paramref name="packed"/>, <paramref name="height"/>, <paramref name="kc"/>,
        /// <paramref name="nr"/>, <paramref name="panels"/>, <paramref name="first"/>) would write them; <paramref name="first"/>
        /// is a multiple of 16.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Gather(ReadOnlySpan<float> x, int channels, float* packed, int height, int kc, int nr, int panels, int first)
        {
            if ((long)channels * _plane > x.Length || channels * _taps > height || first % 16 != 0)
                throw new ArgumentException("image or panel rows too short for the gather");
            fixed (float* px = x)
            fixed (int* chunks = _chunks)
            fixed (Vector512<int>* index0 = _index0, index1 = _index1)
            fixed (Vector512<float>* mask0 = _mask0, mask1 = _mask1)
                for (int c = 0; c < channels; c++)
                {
                    float* plane = px + (nint)c * _plane;
                    for (int t = 0; t < _taps; t++)
                    {
                        int k = c * _taps + t, s = k / kc, p = k - s * kc, kcs = Math.Min(kc, height - s * kc);
                        float* row = packed + (nint)s * kc * panels * nr + (nint)p * nr;
                        for (int v = 0; v < _vectors; v++)
                        {
                            int e = t * _vectors + v, col = first + 16 * v, q = col / nr;
                            int* ch = chunks + 4 * e;
                            var r = Avx512F.PermuteVar16x32x2(Vector512.Load(plane + 16 * ch[0]), index0[e], Vector512.Load(plane + 16 * ch[1])) & mask0[e];
                            if (ch[2] >= 0)
                                r |= Avx512F.PermuteVar16x32x2(Vector512.Load(plane + 16 * ch[2]), index1[e], Vector512.Load(plane + 16 * ch[3])) & mask1[e];
                            r.Store(row + (nint)q * nr * kcs + (col - q * nr));
                        }
                    }
                }
        }
    }
}
