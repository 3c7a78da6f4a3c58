using MiniTorch;
using MiniTorch.Nn;

namespace SuperResolution;

/// <summary>
/// An inference-only alternative to FSRCNN's last layer, for measuring: the transposed convolution
/// with one output channel computed as one GEMM, T = Wᵀ·z ([kH·kW × d] × [d × pixels], run by
/// <see cref="F.Conv2d"/> with a 1×1 kernel), followed by a col2im scatter-add of the kH·kW tap planes
/// into the output. The library's phase-decomposed kernel instead gathers an im2col block per output
/// phase that only one output channel uses; with C_out = 1 that gather dominates (see
/// docs/performance-fsrcnn.md). Equal to <c>LastPart.Call</c> up to float rounding (tested).
/// </summary>
public static class GemmDeconv
{
    /// <summary>Runs <paramref name="layer"/> (C_out = 1, groups = 1, dilation = 1, explicit padding) on <paramref name="z"/> [N, d, H, W].</summary>
    public static Tensor Forward(ConvTranspose2d layer, Tensor z)
    {
        if (layer.OutChannels != 1 || layer.Groups != 1 || layer.Dilation != new Size2(1, 1) || layer.Padding.IsSame || layer.Padding.IsValid)
            throw new ArgumentException("GemmDeconv handles one output channel, one group, no dilation and explicit padding only");
        int kh = layer.KernelSize.H, kw = layer.KernelSize.W, taps = kh * kw;
        int n = z.Size(0), h = z.Size(2), w = z.Size(3);
        var (s, p, op) = (layer.Stride, layer.Padding, layer.OutputPadding);
        int hOut = (h - 1) * s.H - 2 * p.H + kh + op.H, wOut = (w - 1) * s.W - 2 * p.W + kw + op.W;
        using var _ = Torch.NoGrad();
        // weight [d, 1, kH, kW] → [kH·kW, d, 1, 1]: one 1×1 filter per tap.
        var wTaps = layer.Weight.Reshape(layer.InChannels, taps).T.Contiguous().Reshape(taps, layer.InChannels, 1, 1);
        var t = F.Conv2d(z.Contiguous(), wTaps).Contiguous().ToArray();
        var y = new float[n * hOut * wOut];
        float bias = layer.Bias is { } b ? b.ToArray()[0] : 0f;
        Array.Fill(y, bias);
        int plane = h * w;
        for (int img = 0; img < n; img++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                {
                    var src = t.AsSpan(((img * taps) + i * kw + j) * plane, plane);
                    // Input column ow lands on output column ow·s − p + j; keep those inside [0, wOut).
                    int owLo = Math.Max(0, (p.W - j + s.W - 1) / s.W), owHi = Math.Min(w, (wOut - 1 + p.W - j) / s.W + 1);
                    for (int oh = 0; oh < h; oh++)
                    {
                        int row = oh * s.H - p.H + i;
                        if (row < 0 || row >= hOut) continue;
                        var dst = y.AsSpan((img * hOut + row) * wOut, wOut);
                        var srcRow = src.Slice(oh * w, w);
                        for (int ow = owLo; ow < owHi; ow++) dst[ow * s.W - p.W + j] += srcRow[ow];
                    }
                }
        return Torch.FromArray(y, n, 1, hOut, wOut);
    }
}
