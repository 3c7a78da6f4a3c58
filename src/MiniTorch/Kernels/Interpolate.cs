using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace MiniTorch.Kernels;

/// <summary>
/// Resampling kernels on dense [planes, H, W] buffers (planes = N·C), destination last. Each mode
/// is a linear map given by per-axis tap tables (<see cref="AxisTaps{T}"/>) or by area windows;
/// every forward kernel has its adjoint (transpose), which is the gradient.
/// </summary>
/// <remarks>
/// Separable modes run two passes per plane: along W into a [inH, outW] scratch row block, then
/// along H into the output. That is exactly PyTorch's evaluation order, out = Σₖ wₕₖ·(Σₗ w_wₗ·x),
/// so rounding matches too. The H pass works on whole rows and is vectorised by
/// <see cref="TensorPrimitives"/>; planes are spread over threads.
/// </remarks>
internal static partial class Interpolate
{
    // Aim for work items of about this many touched elements, so small planes are batched.
    private const int GrainElements = 1 << 15;

    /// <summary>Calls <paramref name="body"/> for chunks [begin, end) of the planes, in parallel.</summary>
    private static void ForPlanes(int planes, int workPerPlane, Action<int, int> body)
    {
        int chunk = Math.Max(1, GrainElements / Math.Max(1, workPerPlane));
        int chunks = (planes + chunk - 1) / chunk;
        Threading.For(chunks, c => body(c * chunk, Math.Min(planes, (c + 1) * chunk)));
    }

    /// <summary>y[p, oh, ow] = Σₖ wₕ[oh,k] · Σₗ w_w[ow,l] · x[p, iₕ[oh,k], i_w[ow,l]].</summary>
    public static void Separable<T>(ReadOnlyMemory<T> x, int planes, AxisTaps<T> h, AxisTaps<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = h.In * w.In, outPlane = h.Out * w.Out;
        // Rows that no output reads need no W pass (large downsampling).
        var used = new bool[h.In];
        foreach (int i in h.Index) used[i] = true;
        ForPlanes(planes, inPlane + outPlane, (begin, end) =>
        {
            var scratch = ArrayPool<T>.Shared.Rent(h.In * w.Out);
            try
            {
                for (int p = begin; p < end; p++)
                {
                    var xp = x.Span.Slice(p * inPlane, inPlane);
                    var tmp = scratch.AsSpan(0, h.In * w.Out);
                    for (int ih = 0; ih < h.In; ih++)
                        if (used[ih]) RowForward(xp.Slice(ih * w.In, w.In), w, tmp.Slice(ih * w.Out, w.Out));
                    ColumnsForward(tmp, h, w.Out, y.Span.Slice(p * outPlane, outPlane));
                }
            }
            finally { ArrayPool<T>.Shared.Return(scratch); }
        });
    }

    /// <summary>The adjoint of <see cref="Separable{T}"/>: gx[p, i, j] = Σ over outputs reading (i, j) of weight · g.</summary>
    public static void SeparableAdjoint<T>(ReadOnlyMemory<T> g, int planes, AxisTaps<T> h, AxisTaps<T> w, Memory<T> gx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPlane = h.In * w.In, outPlane = h.Out * w.Out;
        ForPlanes(planes, inPlane + outPlane, (begin, end) =>
        {
            var scratch = ArrayPool<T>.Shared.Rent(h.In * w.Out);
            try
            {
                for (int p = begin; p < end; p++)
                {
                    var tmp = scratch.AsSpan(0, h.In * w.Out);
                    tmp.Clear();
                    ColumnsAdjoint(g.Span.Slice(p * outPlane, outPlane), h, w.Out, tmp);
                    var gp = gx.Span.Slice(p * inPlane, inPlane);
                    gp.Clear();
                    for (int ih = 0; ih < h.In; ih++) RowAdjoint(tmp.Slice(ih * w.Out, w.Out), w, gp.Slice(ih * w.In, w.In));
                }
            }
            finally { ArrayPool<T>.Shared.Return(scratch); }
        });
    }

    /// <summary>One row along W: y[o] = Σₗ w[o,l]·x[i[o,l]], summed in tap order (a gather for one tap).</summary>
    private static void RowForward<T>(ReadOnlySpan<T> x, AxisTaps<T> w, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = w.Taps;
        var index = w.Index;
        var weight = w.Weight;
        if (taps == 1)
        {
            for (int o = 0; o < y.Length; o++) y[o] = x[index[o]];
            return;
        }
        for (int o = 0, t = 0; o < y.Length; o++)
        {
            T acc = x[index[t]] * weight[t];
            t++;
            for (int k = 1; k < taps; k++, t++) acc += x[index[t]] * weight[t];
            y[o] = acc;
        }
    }

    /// <summary>The transpose of <see cref="RowForward{T}"/>: x[i[o,l]] += w[o,l]·y[o] (x pre-zeroed).</summary>
    private static void RowAdjoint<T>(ReadOnlySpan<T> y, AxisTaps<T> w, Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = w.Taps;
        var index = w.Index;
        var weight = w.Weight;
        if (taps == 1)
        {
            for (int o = 0; o < y.Length; o++) x[index[o]] += y[o];
            return;
        }
        for (int o = 0, t = 0; o < y.Length; o++)
            for (int k = 0; k < taps; k++, t++) x[index[t]] += weight[t] * y[o];
    }

    /// <summary>Along H on whole rows: y[oh, :] = Σₖ wₕ[oh,k]·tmp[iₕ[oh,k], :] (vectorised over W).</summary>
    private static void ColumnsForward<T>(ReadOnlySpan<T> tmp, AxisTaps<T> h, int width, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = h.Taps;
        for (int oh = 0, t = 0; oh < h.Out; oh++, t += taps)
        {
            var dst = y.Slice(oh * width, width);
            var first = tmp.Slice(h.Index[t] * width, width);
            if (taps == 1) { first.CopyTo(dst); continue; }
            TensorPrimitives.Multiply(first, h.Weight[t], dst);
            for (int k = 1; k < taps; k++)
                TensorPrimitives.MultiplyAdd(tmp.Slice(h.Index[t + k] * width, width), h.Weight[t + k], dst, dst);
        }
    }

    /// <summary>The transpose of <see cref="ColumnsForward{T}"/>: tmp[iₕ[oh,k], :] += wₕ[oh,k]·g[oh, :].</summary>
    private static void ColumnsAdjoint<T>(ReadOnlySpan<T> g, AxisTaps<T> h, int width, Span<T> tmp) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = h.Taps;
        for (int oh = 0, t = 0; oh < h.Out; oh++, t += taps)
        {
            var src = g.Slice(oh * width, width);
            for (int k = 0; k < taps; k++)
            {
                var dst = tmp.Slice(h.Index[t + k] * width, width);
                if (taps == 1) TensorPrimitives.Add(dst, src, dst);
                else TensorPrimitives.MultiplyAdd(src, h.Weight[t + k], dst, dst);
            }
        }
    }

    /// <summary>
    /// Adaptive average pooling: y[p, a, b] is the mean of x[p] over rows [hs[a], he[a]) and
    /// columns [ws[b], we[b]), summed row by row and divided by the height then the width, as PyTorch does.
    /// </summary>
    public static void AreaForward<T>(ReadOnlyMemory<T> x, int planes, int inH, int inW,
                                      (int[] Start, int[] End) hw, (int[] Start, int[] End) ww, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = hw.Start.Length, outW = ww.Start.Length, inPlane = inH * inW, outPlane = outH * outW;
        ForPlanes(planes, inPlane + outPlane, (begin, end) =>
        {
            for (int p = begin; p < end; p++)
            {
                var xp = x.Span.Slice(p * inPlane, inPlane);
                var yp = y.Span.Slice(p * outPlane, outPlane);
                for (int a = 0; a < outH; a++)
                {
                    int h0 = hw.Start[a], h1 = hw.End[a];
                    for (int b = 0; b < outW; b++)
                    {
                        int w0 = ww.Start[b], w1 = ww.End[b];
                        T sum = T.Zero;
                        for (int i = h0; i < h1; i++)
                            for (int j = w0; j < w1; j++) sum += xp[i * inW + j];
                        yp[a * outW + b] = sum / T.CreateTruncating(h1 - h0) / T.CreateTruncating(w1 - w0);
                    }
                }
            }
        });
    }

    /// <summary>The adjoint of <see cref="AreaForward{T}"/>: each g[p, a, b]/(kh·kw) is added to every pixel of its window.</summary>
    public static void AreaAdjoint<T>(ReadOnlyMemory<T> g, int planes, int inH, int inW,
                                      (int[] Start, int[] End) hw, (int[] Start, int[] End) ww, Memory<T> gx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = hw.Start.Length, outW = ww.Start.Length, inPlane = inH * inW, outPlane = outH * outW;
        ForPlanes(planes, inPlane + outPlane, (begin, end) =>
        {
            for (int p = begin; p < end; p++)
            {
                var gp = g.Span.Slice(p * outPlane, outPlane);
                var xp = gx.Span.Slice(p * inPlane, inPlane);
                xp.Clear();
                for (int a = 0; a < outH; a++)
                {
                    int h0 = hw.Start[a], h1 = hw.End[a];
                    for (int b = 0; b < outW; b++)
                    {
                        int w0 = ww.Start[b], w1 = ww.End[b];
                        T delta = gp[a * outW + b] / T.CreateTruncating(h1 - h0) / T.CreateTruncating(w1 - w0);
                        for (int i = h0; i < h1; i++)
                            for (int j = w0; j < w1; j++) xp[i * inW + j] += delta;
                    }
                }
            }
        });
    }
}
