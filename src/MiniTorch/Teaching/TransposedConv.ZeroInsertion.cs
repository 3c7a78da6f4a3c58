using MiniTorch.Nn;

namespace MiniTorch.Teaching;

/// <summary>Padding (positive) or cropping (negative) applied on the two sides of one dimension.</summary>
/// <param name="Before">Top or left: d(k−1) − p.</param>
/// <param name="After">Bottom or right: d(k−1) − p + outputPadding.</param>
public readonly record struct SidePadding(int Before, int After);

/// <summary>The zero-insertion view's steps, each a tensor that can be printed or checked.</summary>
/// <param name="Stretched">The input with s − 1 zeros between elements: [N, C_in, (H−1)s + 1, (W−1)s + 1].</param>
/// <param name="PadH">Rows added above and below (negative: cropped).</param>
/// <param name="PadW">Columns added left and right (negative: cropped).</param>
/// <param name="Padded">The stretched input after padding (or cropping).</param>
/// <param name="FlippedKernel">The weight flipped in both spatial axes with in/out channels swapped per group: [C_out, C_in/groups, kH, kW].</param>
/// <param name="Output">The ordinary stride-1 convolution (dilation d) of <paramref name="Padded"/> with <paramref name="FlippedKernel"/>.</param>
public sealed record ZeroInsertionResult(Tensor Stretched, SidePadding PadH, SidePadding PadW, Tensor Padded, Tensor FlippedKernel, Tensor Output)
{
    /// <summary>The input with s − 1 zeros between elements: [N, C_in, (H−1)s + 1, (W−1)s + 1].</summary>
    public Tensor Stretched { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Stretched);
    /// <summary>The stretched input after padding (or cropping).</summary>
    public Tensor Padded { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Padded);
    /// <summary>The weight flipped in both spatial axes with in/out channels swapped per group: [C_out, C_in/groups, kH, kW].</summary>
    public Tensor FlippedKernel { get; init => field = Argument.NotNull(value); } = Argument.NotNull(FlippedKernel);
    /// <summary>The ordinary stride-1 convolution (dilation d) of <see cref="Padded"/> with <see cref="FlippedKernel"/>.</summary>
    public Tensor Output { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Output);
}

public static partial class TransposedConv
{
    /// <summary>
    /// The zero-insertion view (Dumoulin &amp; Visin's "equivalent direct convolution"): stretch the
    /// input with s − 1 zeros between elements, pad it by d(k−1) − p on each side (plus
    /// outputPadding at the bottom/right), and convolve with stride 1 with the flipped,
    /// channel-swapped kernel.
    /// </summary>
    /// <remarks>
    /// output = Conv2d(pad(stretch(x, s), d(k−1) − p), flip(weight)ᵀ, stride 1, dilation d). When
    /// p &gt; d(k−1) the "padding" is negative and the stretched input is cropped instead.
    /// </remarks>
    /// <param name="input">[N, C_in, H, W].</param>
    /// <param name="weight">[C_in, C_out/groups, kH, kW].</param>
    /// <param name="stride">The transposed convolution's stride: s − 1 zeros are inserted (default 1).</param>
    /// <param name="padding">The transposed convolution's padding p (default 0).</param>
    /// <param name="outputPadding">Extra rows/columns at the bottom/right (default 0).</param>
    /// <param name="dilation">Spacing of the taps (default 1).</param>
    /// <param name="groups">Channel groups (default 1).</param>
    public static ZeroInsertionResult ZeroInsertion(Tensor input, Tensor weight, Size2? stride = null, Size2? padding = null,
                                                    Size2? outputPadding = null, Size2? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var g = Validate(nameof(ZeroInsertion), input, weight, stride, padding, outputPadding, dilation, groups, out var op);
        double[] x = Values(input), w = Values(weight);

        // 1. Stretch: element (h, v) moves to (h·s, v·s).
        int sh = (g.SmallH - 1) * g.SH + 1, sw = (g.SmallW - 1) * g.SW + 1;
        var stretched = new double[g.N * g.SmallC * sh * sw];
        for (int nc = 0; nc < g.N * g.SmallC; nc++)
        for (int h = 0; h < g.SmallH; h++)
        for (int v = 0; v < g.SmallW; v++)
            stretched[(nc * sh + h * g.SH) * sw + v * g.SW] = x[(nc * g.SmallH + h) * g.SmallW + v];

        // 2. Pad by d(k−1) − p; a negative amount crops. outputPadding goes to the far side only.
        var padH = new SidePadding(g.DH * (g.KH - 1) - g.PH, g.DH * (g.KH - 1) - g.PH + op.H);
        var padW = new SidePadding(g.DW * (g.KW - 1) - g.PW, g.DW * (g.KW - 1) - g.PW + op.W);
        int ph = sh + padH.Before + padH.After, pw = sw + padW.Before + padW.After;
        var padded = new double[g.N * g.SmallC * ph * pw];
        for (int nc = 0; nc < g.N * g.SmallC; nc++)
        for (int r = 0; r < ph; r++)
        for (int q = 0; q < pw; q++)
        {
            int r0 = r - padH.Before, q0 = q - padW.Before;
            if (r0 >= 0 && r0 < sh && q0 >= 0 && q0 < sw)
                padded[(nc * ph + r) * pw + q] = stretched[(nc * sh + r0) * sw + q0];
        }

        // 3. Flip the kernel in both axes and swap its channel axes within each group.
        var flipped = new double[g.BigC * g.SmallCg * g.KH * g.KW];
        for (int c = 0; c < g.SmallC; c++)
        for (int oc = 0; oc < g.BigCg; oc++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            int o = c / g.SmallCg * g.BigCg + oc, cl = c % g.SmallCg;
            flipped[((o * g.SmallCg + cl) * g.KH + (g.KH - 1 - i)) * g.KW + (g.KW - 1 - j)] = w[((c * g.BigCg + oc) * g.KH + i) * g.KW + j];
        }

        // 4. An ordinary convolution: stride 1, no padding, dilation d, the same groups.
        var output = new double[g.N * g.BigC * g.BigH * g.BigW];
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < g.BigC; o++)
        for (int r = 0; r < g.BigH; r++)
        for (int q = 0; q < g.BigW; q++)
        {
            double sum = 0;
            int group = o / g.BigCg;
            for (int cl = 0; cl < g.SmallCg; cl++)
            for (int i = 0; i < g.KH; i++)
            for (int j = 0; j < g.KW; j++)
            {
                int c = group * g.SmallCg + cl;
                sum += padded[((n * g.SmallC + c) * ph + r + i * g.DH) * pw + q + j * g.DW] * flipped[((o * g.SmallCg + cl) * g.KH + i) * g.KW + j];
            }
            output[((n * g.BigC + o) * g.BigH + r) * g.BigW + q] = sum;
        }

        var dt = input.DType;
        return new ZeroInsertionResult(Make(stretched, dt, g.N, g.SmallC, sh, sw), padH, padW, Make(padded, dt, g.N, g.SmallC, ph, pw),
                                       Make(flipped, weight.DType, g.BigC, g.SmallCg, g.KH, g.KW), Make(output, dt, g.N, g.BigC, g.BigH, g.BigW));
    }
}
