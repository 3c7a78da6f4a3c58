using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MiniTorch.Kernels;

// The fused path's register blocks (see ConvTransposeOneChannel.Fused.cs). Fully unrolled over rows
// and slots so that the accumulators live in registers; the cells of the window are a loop, and a
// slot without a tap at a cell is skipped by its mask bit (never multiplied by zero).
internal static unsafe partial class ConvTransposeOneChannel
{
    /// <summary>
    /// The Vector512 register block: tile[r, s, ·] = Σ_k Σ_(cells) mask·w[k, cell, s] · x[k, r + i, j + ·] for 5 rows × 4 slots
    /// and one vector of columns (added to the tile's values when accumulating); x rows rs apart, channels cs apart,
    /// cells (i, j) of the wh × ww window in row-major order. 20 accumulators + 5 inputs + 1 weight of the 32 registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro512<T>(T* x, nint rs, nint cs, int kg, T* w, byte* mask, int wh, int ww, T* tile, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count;
        var a00 = Vector512<T>.Zero; var a01 = Vector512<T>.Zero; var a02 = Vector512<T>.Zero; var a03 = Vector512<T>.Zero;
        var a10 = Vector512<T>.Zero; var a11 = Vector512<T>.Zero; var a12 = Vector512<T>.Zero; var a13 = Vector512<T>.Zero;
        var a20 = Vector512<T>.Zero; var a21 = Vector512<T>.Zero; var a22 = Vector512<T>.Zero; var a23 = Vector512<T>.Zero;
        var a30 = Vector512<T>.Zero; var a31 = Vector512<T>.Zero; var a32 = Vector512<T>.Zero; var a33 = Vector512<T>.Zero;
        var a40 = Vector512<T>.Zero; var a41 = Vector512<T>.Zero; var a42 = Vector512<T>.Zero; var a43 = Vector512<T>.Zero;
        if (accumulate)
        {
            a00 = Vector512.Load(tile + 0 * v); a01 = Vector512.Load(tile + 1 * v); a02 = Vector512.Load(tile + 2 * v); a03 = Vector512.Load(tile + 3 * v);
            a10 = Vector512.Load(tile + 4 * v); a11 = Vector512.Load(tile + 5 * v); a12 = Vector512.Load(tile + 6 * v); a13 = Vector512.Load(tile + 7 * v);
            a20 = Vector512.Load(tile + 8 * v); a21 = Vector512.Load(tile + 9 * v); a22 = Vector512.Load(tile + 10 * v); a23 = Vector512.Load(tile + 11 * v);
            a30 = Vector512.Load(tile + 12 * v); a31 = Vector512.Load(tile + 13 * v); a32 = Vector512.Load(tile + 14 * v); a33 = Vector512.Load(tile + 15 * v);
            a40 = Vector512.Load(tile + 16 * v); a41 = Vector512.Load(tile + 17 * v); a42 = Vector512.Load(tile + 18 * v); a43 = Vector512.Load(tile + 19 * v);
        }
        for (int k = 0; k < kg; k++, x += cs)
        {
            T* xi = x;
            byte* m = mask;
            for (int i = 0; i < wh; i++, xi += rs)
                for (int j = 0; j < ww; j++, m++, w += 4)
                {
                    T* p = xi + j;
                    var x0 = Vector512.Load(p); var x1 = Vector512.Load(p + rs); var x2 = Vector512.Load(p + 2 * rs);
                    var x3 = Vector512.Load(p + 3 * rs); var x4 = Vector512.Load(p + 4 * rs);
                    int bits = *m;
                    if ((bits & 1) != 0)
                    {
                        var wv = Vector512.Create(w[0]);
                        a00 = Simd.Fma(wv, x0, a00); a10 = Simd.Fma(wv, x1, a10); a20 = Simd.Fma(wv, x2, a20); a30 = Simd.Fma(wv, x3, a30); a40 = Simd.Fma(wv, x4, a40);
                    }
                    if ((bits & 2) != 0)
                    {
                        var wv = Vector512.Create(w[1]);
                        a01 = Simd.Fma(wv, x0, a01); a11 = Simd.Fma(wv, x1, a11); a21 = Simd.Fma(wv, x2, a21); a31 = Simd.Fma(wv, x3, a31); a41 = Simd.Fma(wv, x4, a41);
                    }
                    if ((bits & 4) != 0)
                    {
                        var wv = Vector512.Create(w[2]);
                        a02 = Simd.Fma(wv, x0, a02); a12 = Simd.Fma(wv, x1, a12); a22 = Simd.Fma(wv, x2, a22); a32 = Simd.Fma(wv, x3, a32); a42 = Simd.Fma(wv, x4, a42);
                    }
                    if ((bits & 8) != 0)
                    {
                        var wv = Vector512.Create(w[3]);
                        a03 = Simd.Fma(wv, x0, a03); a13 = Simd.Fma(wv, x1, a13); a23 = Simd.Fma(wv, x2, a23); a33 = Simd.Fma(wv, x3, a33); a43 = Simd.Fma(wv, x4, a43);
                    }
                }
        }
        a00.Store(tile + 0 * v); a01.Store(tile + 1 * v); a02.Store(tile + 2 * v); a03.Store(tile + 3 * v);
        a10.Store(tile + 4 * v); a11.Store(tile + 5 * v); a12.Store(tile + 6 * v); a13.Store(tile + 7 * v);
        a20.Store(tile + 8 * v); a21.Store(tile + 9 * v); a22.Store(tile + 10 * v); a23.Store(tile + 11 * v);
        a30.Store(tile + 12 * v); a31.Store(tile + 13 * v); a32.Store(tile + 14 * v); a33.Store(tile + 15 * v);
        a40.Store(tile + 16 * v); a41.Store(tile + 17 * v); a42.Store(tile + 18 * v); a43.Store(tile + 19 * v);
    }

    /// <summary>
    /// Two rows of the Vector256 register block (see Micro512): AVX2's 16 registers hold 8 accumulators + 2 inputs + 1 weight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro256x2<T>(T* x, nint rs, nint cs, int kg, T* w, byte* mask, int wh, int ww, T* tile, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count;
        var a00 = Vector256<T>.Zero; var a01 = Vector256<T>.Zero; var a02 = Vector256<T>.Zero; var a03 = Vector256<T>.Zero;
        var a10 = Vector256<T>.Zero; var a11 = Vector256<T>.Zero; var a12 = Vector256<T>.Zero; var a13 = Vector256<T>.Zero;
        if (accumulate)
        {
            a00 = Vector256.Load(tile + 0 * v); a01 = Vector256.Load(tile + 1 * v); a02 = Vector256.Load(tile + 2 * v); a03 = Vector256.Load(tile + 3 * v);
            a10 = Vector256.Load(tile + 4 * v); a11 = Vector256.Load(tile + 5 * v); a12 = Vector256.Load(tile + 6 * v); a13 = Vector256.Load(tile + 7 * v);
        }
        for (int k = 0; k < kg; k++, x += cs)
        {
            T* xi = x;
            byte* m = mask;
            for (int i = 0; i < wh; i++, xi += rs)
                for (int j = 0; j < ww; j++, m++, w += 4)
                {
                    T* p = xi + j;
                    var x0 = Vector256.Load(p); var x1 = Vector256.Load(p + rs);
                    int bits = *m;
                    if ((bits & 1) != 0)
                    {
                        var wv = Vector256.Create(w[0]);
                        a00 = Simd.Fma(wv, x0, a00); a10 = Simd.Fma(wv, x1, a10);
                    }
                    if ((bits & 2) != 0)
                    {
                        var wv = Vector256.Create(w[1]);
                        a01 = Simd.Fma(wv, x0, a01); a11 = Simd.Fma(wv, x1, a11);
                    }
                    if ((bits & 4) != 0)
                    {
                        var wv = Vector256.Create(w[2]);
                        a02 = Simd.Fma(wv, x0, a02); a12 = Simd.Fma(wv, x1, a12);
                    }
                    if ((bits & 8) != 0)
                    {
                        var wv = Vector256.Create(w[3]);
                        a03 = Simd.Fma(wv, x0, a03); a13 = Simd.Fma(wv, x1, a13);
                    }
                }
        }
        a00.Store(tile + 0 * v); a01.Store(tile + 1 * v); a02.Store(tile + 2 * v); a03.Store(tile + 3 * v);
        a10.Store(tile + 4 * v); a11.Store(tile + 5 * v); a12.Store(tile + 6 * v); a13.Store(tile + 7 * v);
    }

    /// <summary>
    /// One row of the Vector256 register block (see Micro256x2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Micro256x1<T>(T* x, nint rs, nint cs, int kg, T* w, byte* mask, int wh, int ww, T* tile, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count;
        var a00 = Vector256<T>.Zero; var a01 = Vector256<T>.Zero; var a02 = Vector256<T>.Zero; var a03 = Vector256<T>.Zero;
        if (accumulate)
        {
            a00 = Vector256.Load(tile + 0 * v); a01 = Vector256.Load(tile + 1 * v); a02 = Vector256.Load(tile + 2 * v); a03 = Vector256.Load(tile + 3 * v);
        }
        for (int k = 0; k < kg; k++, x += cs)
        {
            T* xi = x;
            byte* m = mask;
            for (int i = 0; i < wh; i++, xi += rs)
                for (int j = 0; j < ww; j++, m++, w += 4)
                {
                    T* p = xi + j;
                    var x0 = Vector256.Load(p);
                    int bits = *m;
                    if ((bits & 1) != 0)
                    {
                        var wv = Vector256.Create(w[0]);
                        a00 = Simd.Fma(wv, x0, a00);
                    }
                    if ((bits & 2) != 0)
                    {
                        var wv = Vector256.Create(w[1]);
                        a01 = Simd.Fma(wv, x0, a01);
                    }
                    if ((bits & 4) != 0)
                    {
                        var wv = Vector256.Create(w[2]);
                        a02 = Simd.Fma(wv, x0, a02);
                    }
                    if ((bits & 8) != 0)
                    {
                        var wv = Vector256.Create(w[3]);
                        a03 = Simd.Fma(wv, x0, a03);
                    }
                }
        }
        a00.Store(tile + 0 * v); a01.Store(tile + 1 * v); a02.Store(tile + 2 * v); a03.Store(tile + 3 * v);
    }
}
