using MiniTorch.Nn;

namespace MiniTorch.Teaching;

/// <summary>One input element's contribution in the scatter view: the kernel scaled by the element, placed at its offset.</summary>
/// <param name="Batch">Sample index n.</param>
/// <param name="Channel">Input channel c.</param>
/// <param name="Row">Input row.</param>
/// <param name="Col">Input column.</param>
/// <param name="Value">The input element x[n, c, Row, Col] that scales the kernel.</param>
/// <param name="Top">Row of the copy's top-left tap on the uncropped canvas: Row·stride.</param>
/// <param name="Left">Column of the copy's top-left tap on the uncropped canvas: Col·stride.</param>
/// <param name="Canvas">The copy on the uncropped canvas [C_out, fullH, fullW], zeros elsewhere (and in other groups' channels).</param>
public sealed record KernelCopy(int Batch, int Channel, int Row, int Col, double Value, int Top, int Left, Tensor Canvas)
{
    /// <summary>The copy on the uncropped canvas [C_out, fullH, fullW], zeros elsewhere (and in other groups' channels).</summary>
    public Tensor Canvas { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Canvas);
}

/// <summary>The scatter view's steps: the uncropped sum of kernel copies, the copies themselves and the cropped output.</summary>
/// <param name="Output">The transposed convolution [N, C_out, H', W'], equal to <see cref="F.ConvTranspose2d"/>.</param>
/// <param name="Full">The uncropped sum [N, C_out, (H−1)s + d(k−1) + 1 + outputPadding, …].</param>
/// <param name="Copies">Per-input-element copies (empty when the input has more elements than requested).</param>
/// <param name="Crop">Rows and columns cropped from each side of <paramref name="Full"/>: the padding p.</param>
public sealed record ScatterResult(Tensor Output, Tensor Full, IReadOnlyList<KernelCopy> Copies, Size2 Crop)
{
    /// <summary>The transposed convolution [N, C_out, H', W'], equal to <see cref="F.ConvTranspose2d"/>.</summary>
    public Tensor Output { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Output);
    /// <summary>The uncropped sum [N, C_out, (H−1)s + d(k−1) + 1 + outputPadding, …].</summary>
    public Tensor Full { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Full);
    /// <summary>Per-input-element copies (empty when the input has more elements than requested).</summary>
    public IReadOnlyList<KernelCopy> Copies { get; init => field = Argument.NotNull(value); } = Argument.NotNull(Copies);
}

public static partial class TransposedConv
{
    /// <summary>
    /// The scatter view: every input element scales the kernel, the copies are placed stride apart
    /// (taps dilation apart) on a canvas and summed; padding p is then cropped from each side.
    /// </summary>
    /// <remarks>
    /// full[n, o, h·s + i·d, w·s + j·d] += x[n, c, h, w]·weight[c, o, i, j]; output = full[p : −p].
    /// outputPadding adds zero rows/columns at the bottom/right of the canvas before the crop.
    /// </remarks>
    /// <param name="input">[N, C_in, H, W].</param>
    /// <param name="weight">[C_in, C_out/groups, kH, kW].</param>
    /// <param name="stride">Spacing of the copies (default 1).</param>
    /// <param name="padding">Cropped from each side (default 0).</param>
    /// <param name="outputPadding">Extra rows/columns at the bottom/right (default 0).</param>
    /// <param name="dilation">Spacing of the taps within a copy (default 1).</param>
    /// <param name="groups">Channel groups (default 1).</param>
    /// <param name="maxCopies">Return the copies only when the input has at most this many elements.</param>
    public static ScatterResult Scatter(Tensor input, Tensor weight, Size2? stride = null, Size2? padding = null,
                                        Size2? outputPadding = null, Size2? dilation = null, int groups = 1, int maxCopies = 64)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var g = Validate(nameof(Scatter), input, weight, stride, padding, outputPadding, dilation, groups, out var op);
        double[] x = Values(input), w = Values(weight);
        var (fh, fw) = FullSize(g, op);
        var full = new double[g.N * g.BigC * fh * fw];
        var copies = new List<KernelCopy>();
        bool keepCopies = input.Numel <= maxCopies;
        for (int n = 0; n < g.N; n++)
        for (int c = 0; c < g.SmallC; c++)
        for (int h = 0; h < g.SmallH; h++)
        for (int v = 0; v < g.SmallW; v++)
        {
            double value = x[((n * g.SmallC + c) * g.SmallH + h) * g.SmallW + v];
            var canvas = keepCopies ? new double[g.BigC * fh * fw] : null;
            int group = c / g.SmallCg;
            for (int oc = 0; oc < g.BigCg; oc++)
            {
                int o = group * g.BigCg + oc;
                for (int i = 0; i < g.KH; i++)
                for (int j = 0; j < g.KW; j++)
                {
                    int row = h * g.SH + i * g.DH, col = v * g.SW + j * g.DW;
                    double term = value * w[((c * g.BigCg + oc) * g.KH + i) * g.KW + j];
                    full[((n * g.BigC + o) * fh + row) * fw + col] += term;
                    if (canvas is not null) canvas[(o * fh + row) * fw + col] = term;
                }
            }
            if (canvas is not null)
                copies.Add(new KernelCopy(n, c, h, v, value, h * g.SH, v * g.SW, Make(canvas, input.DType, g.BigC, fh, fw)));
        }
        var output = new double[g.N * g.BigC * g.BigH * g.BigW];
        for (int n = 0; n < g.N; n++)
        for (int o = 0; o < g.BigC; o++)
        for (int r = 0; r < g.BigH; r++)
        for (int q = 0; q < g.BigW; q++)
            output[((n * g.BigC + o) * g.BigH + r) * g.BigW + q] = full[((n * g.BigC + o) * fh + r + g.PH) * fw + q + g.PW];
        return new ScatterResult(Make(output, input.DType, g.N, g.BigC, g.BigH, g.BigW), Make(full, input.DType, g.N, g.BigC, fh, fw),
                                 copies, new Size2(g.PH, g.PW));
    }
}
