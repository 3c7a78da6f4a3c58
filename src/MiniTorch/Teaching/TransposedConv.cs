using MiniTorch.Nn;

namespace MiniTorch.Teaching;

/// <summary>
/// Slow, readable views of transposed convolution that return their intermediate steps as data:
/// <see cref="Scatter"/> (scaled kernel copies summed), <see cref="ZeroInsertion"/> (stretch, pad,
/// flip, convolve), <see cref="AsMatrix(Tensor, Size2, Size2?, Size2?, Size2?, int)"/> (the dense
/// matrix C of Conv2d, whose transpose is ConvTranspose2d) and <see cref="Overlap(int, int, int, int, int, int)"/>
/// (how many kernel taps reach each output position: the checkerboard diagnostic).
/// </summary>
/// <remarks>
/// Every view computes in float64 with plain loops and agrees with <see cref="F.ConvTranspose2d"/>
/// (property tests, to 1e-12). Arguments mirror <c>torch.nn.functional.conv_transpose2d</c>: input
/// [N, C_in, H, W], weight [C_in, C_out/groups, kH, kW]; no bias. Results have the input's dtype
/// and no autograd history: they are for looking at, the fast ops are for training.
/// </remarks>
public static partial class TransposedConv
{
    /// <summary>The validated geometry of one transposed convolution, in the transposed op's own terms.</summary>
    private readonly record struct Config(
        int N, int Cin, int H, int W, int Cout, int OH, int OW, int KH, int KW,
        int SH, int SW, int PH, int PW, int OPH, int OPW, int DH, int DW, int Groups)
    {
        public int CinG => Cin / Groups;
        public int CoutG => Cout / Groups;
        /// <summary>The uncropped scatter canvas: every kernel copy fits, plus outputPadding at the far side.</summary>
        public int FullH => (H - 1) * SH + DH * (KH - 1) + 1 + OPH;
        public int FullW => (W - 1) * SW + DW * (KW - 1) + 1 + OPW;
    }

    private static Config Validate(string method, Tensor input, Tensor weight, Size2? stride, Size2? padding,
                                   Size2? outputPadding, Size2? dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        Shape.TeachingInput(input.ShapeRef, method);
        Size2 s = stride ?? 1, p = padding ?? 0, op = outputPadding ?? 0, d = dilation ?? 1;
        // The fast op's own validation, so the teaching views reject exactly what PyTorch rejects.
        var g = Shape.ConvTranspose2d(input.ShapeRef, weight.ShapeRef, null, s, new Padding2d(p.H, p.W), op, groups, d);
        return new Config(g.N, g.K, g.OH, g.OW, g.C, g.H, g.W, g.KH, g.KW, s.H, s.W, p.H, p.W, op.H, op.W, d.H, d.W, groups);
    }

    private static Tensor Make(double[] data, DType dtype, params int[] shape) =>
        dtype == DType.Float64 ? Torch.FromArray(data, shape) : Torch.FromArray(Array.ConvertAll(data, v => (float)v), shape);

    private static double[] Values(Tensor t)
    {
        using var _ = Torch.NoGrad();
        return t.Detach().ToDoubleArray();
    }
}
