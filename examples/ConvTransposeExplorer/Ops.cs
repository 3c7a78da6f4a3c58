namespace ConvTransposeExplorer;

/// <summary>
/// The two fast ops the explorer calls, for both ranks. A 1-d set-up is stored as 2-d with height 1
/// (input [1, C, 1, L], kernel [C_in, C_out, 1, k], stride/padding/dilation 1/0/1 in height), which
/// the Teaching views draw as one row; the ops themselves run as F.ConvTranspose1d and F.Conv1d.
/// </summary>
public static class Ops
{
    /// <summary>The transposed convolution of <paramref name="x"/> [1, C_in, H, W] with <paramref name="w"/> [C_in, C_out, kH, kW].</summary>
    public static Tensor ConvTranspose(Setup s, Tensor x, Tensor w) => s.Rank == 1
        ? F.ConvTranspose1d(x.Squeeze(2), w.Squeeze(2), null, s.Stride.W, Padding1dOf(s), s.IsKeras ? 0 : s.OutputPadding.W, 1, s.Dilation.W).Unsqueeze(2)
        : F.ConvTranspose2d(x, w, null, Size(s.Stride), PaddingOf(s), s.IsKeras ? null : Size(s.OutputPadding), 1, Size(s.Dilation));

    /// <summary>
    /// The convolution whose input gradient is <see cref="ConvTranspose"/>: the same weight, stride and
    /// dilation; PyTorch's padding p, or Keras' 'same' as explicit padding (the transposed crop).
    /// </summary>
    public static Tensor Conv(Setup s, Tensor z, Tensor w, Crop crop)
    {
        if (s.Rank == 1)
        {
            var (z1, w1) = (z.Squeeze(2), w.Squeeze(2));
            if (!s.IsKeras) return F.Conv1d(z1, w1, null, s.Stride.W, s.Padding.W, s.Dilation.W).Unsqueeze(2);
            return F.Conv1d(F.Pad(z1, [crop.Left, Math.Max(crop.Right, 0)]), w1, null, s.Stride.W, 0, s.Dilation.W).Unsqueeze(2);
        }
        if (!s.IsKeras) return F.Conv2d(z, w, null, Size(s.Stride), Size(s.Padding), Size(s.Dilation));
        // Keras pads (before, after) = the transposed layer's crop; a negative "after" (the transposed
        // output was extended) means those positions are simply never reached.
        var padded = F.Pad(z, [crop.Left, Math.Max(crop.Right, 0), crop.Top, Math.Max(crop.Bottom, 0)]);
        return F.Conv2d(padded, w, null, Size(s.Stride), 0, Size(s.Dilation));
    }

    private static Padding1d Padding1dOf(Setup s) =>
        !s.IsKeras ? s.Padding.W : s.KerasPadding == "same" ? Padding1d.Same : Padding1d.Valid;

    private static Padding2d PaddingOf(Setup s) =>
        !s.IsKeras ? Size(s.Padding) : s.KerasPadding == "same" ? Padding2d.Same : Padding2d.Valid;

    private static Size2 Size(Pair p) => new(p.H, p.W);
}
