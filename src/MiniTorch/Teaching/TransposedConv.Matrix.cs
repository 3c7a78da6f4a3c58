using MathNet.Numerics.LinearAlgebra;
using MiniTorch.Nn;

namespace MiniTorch.Teaching;

/// <summary>
/// The dense matrix C of one Conv2d configuration: vec(Conv2d(x)) = C·vec(x) for every sample, and
/// ConvTranspose2d with the same weight is Cᵀ (so is the Conv2d input gradient: ∂L/∂x = Cᵀ·∂L/∂y).
/// </summary>
/// <param name="C">[K·OH·OW, C·H·W]; row (k, oh, ow), column (c, h, w), both row-major.</param>
/// <param name="InputShape">Conv2d's input per sample [C, H, W] (ConvTranspose2d's output).</param>
/// <param name="OutputShape">Conv2d's output per sample [K, OH, OW] (ConvTranspose2d's input).</param>
public sealed record ConvMatrix(Matrix<double> C, int[] InputShape, int[] OutputShape)
{
    /// <summary>[K·OH·OW, C·H·W]; row (k, oh, ow), column (c, h, w), both row-major.</summary>
    public Matrix<double> C { get; init => field = Argument.NotNull(value); } = Argument.NotNull(C);
    /// <summary>Conv2d's input per sample [C, H, W] (ConvTranspose2d's output).</summary>
    public int[] InputShape { get; init => field = Argument.NotNull(value); } = Argument.NotNull(InputShape);
    /// <summary>Conv2d's output per sample [K, OH, OW] (ConvTranspose2d's input).</summary>
    public int[] OutputShape { get; init => field = Argument.NotNull(value); } = Argument.NotNull(OutputShape);

    /// <summary>Conv2d as a matrix product: [N, C, H, W] → [N, K, OH, OW], row n = C·vec(x[n]).</summary>
    public Tensor Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Multiply(x, C, InputShape, OutputShape, "input");
    }

    /// <summary>ConvTranspose2d (and Conv2d's input gradient) as a matrix product: [N, K, OH, OW] → [N, C, H, W], row n = Cᵀ·vec(y[n]).</summary>
    public Tensor ApplyTransposed(Tensor y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return Multiply(y, C.Transpose(), OutputShape, InputShape, "output");
    }

    /// <summary>C as a float64 tensor [rows, columns], for printing.</summary>
    public Tensor ToTensor() => Torch.FromArray(C.ToRowMajorArray(), C.RowCount, C.ColumnCount);

    private static Tensor Multiply(Tensor t, Matrix<double> m, int[] from, int[] to, string side)
    {
        ArgumentNullException.ThrowIfNull(t);
        Shape.ConvMatrixOperand(t.ShapeRef, from, side);
        double[] values;
        using (Torch.NoGrad()) values = t.Detach().ToDoubleArray();
        int n = t.Size(0), inLen = m.ColumnCount, outLen = m.RowCount;
        var result = new double[n * outLen];
        for (int s = 0; s < n; s++)
        {
            var v = Vector<double>.Build.Dense(values.AsSpan(s * inLen, inLen).ToArray());
            (m * v).ToArray().CopyTo(result, s * outLen);
        }
        var shape = new[] { n, to[0], to[1], to[2] };
        return t.DType == DType.Float64 ? Torch.FromArray(result, shape) : Torch.FromArray(Array.ConvertAll(result, r => (float)r), shape);
    }
}

public static partial class TransposedConv
{
    /// <summary>
    /// The dense matrix C of Conv2d(·, <paramref name="weight"/>) on inputs of size
    /// <paramref name="inputSize"/>: C[(k, oh, ow), (c, h, w)] sums the taps w[k, c, i, j] with
    /// h = oh·s − p + i·d and w = ow·s − p + j·d.
    /// </summary>
    /// <remarks>Each row is one output position's kernel laid over the flattened input; Cᵀ is the transposed convolution.</remarks>
    /// <param name="weight">Conv2d's weight [K, C/groups, kH, kW] (equally: ConvTranspose2d's [C_in, C_out/groups, kH, kW]).</param>
    /// <param name="inputSize">Conv2d's input height and width (ConvTranspose2d's output size).</param>
    /// <param name="stride">Stride (default 1).</param>
    /// <param name="padding">Padding (default 0).</param>
    /// <param name="dilation">Dilation (default 1).</param>
    /// <param name="groups">Channel groups (default 1).</param>
    public static ConvMatrix AsMatrix(Tensor weight, Size2 inputSize, Size2? stride = null, Size2? padding = null,
                                      Size2? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return Build(weight, inputSize, stride, padding, dilation, groups, null);
    }

    private static ConvMatrix Build(Tensor weight, Size2 inputSize, Size2? stride, Size2? padding, Size2? dilation, int groups, Size2? rowLimit)
    {
        ArgumentNullException.ThrowIfNull(weight);
        Shape.ConvMatrixWeight(weight.ShapeRef);
        Size2 s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        int channels = weight.Size(1) * groups;
        var g = Shape.Conv([1, channels, inputSize.H, inputSize.W], weight.ShapeRef, null, s.ToArray(), new Padding2d(p.H, p.W).ToConv(), d.ToArray(), groups);
        // Output positions past rowLimit exist only when outputPadding >= stride; the transposed op never reads them.
        if (rowLimit is { } limit) g = g with { SmallH = Math.Min(g.SmallH, limit.H), SmallW = Math.Min(g.SmallW, limit.W) };
        double[] w = Values(weight);
        var c = Matrix<double>.Build.Dense(g.SmallC * g.SmallH * g.SmallW, g.BigC * g.BigH * g.BigW);
        for (int k = 0; k < g.SmallC; k++)
        for (int oh = 0; oh < g.SmallH; oh++)
        for (int ow = 0; ow < g.SmallW; ow++)
        for (int cl = 0; cl < g.BigCg; cl++)
        for (int i = 0; i < g.KH; i++)
        for (int j = 0; j < g.KW; j++)
        {
            int h = oh * g.SH - g.PH + i * g.DH, v = ow * g.SW - g.PW + j * g.DW;
            if (h < 0 || h >= g.BigH || v < 0 || v >= g.BigW) continue; // a tap on the zero padding
            int ch = k / g.SmallCg * g.BigCg + cl;
            c[(k * g.SmallH + oh) * g.SmallW + ow, (ch * g.BigH + h) * g.BigW + v] += w[((k * g.BigCg + cl) * g.KH + i) * g.KW + j];
        }
        return new ConvMatrix(c, [g.BigC, g.BigH, g.BigW], [g.SmallC, g.SmallH, g.SmallW]);
    }

    /// <summary>
    /// The matrix C of the Conv2d whose transpose is ConvTranspose2d(<paramref name="input"/>,
    /// <paramref name="weight"/>, …): the same weight, on inputs of the transposed output's size.
    /// </summary>
    /// <remarks>
    /// When outputPadding ≥ stride (allowed while it is below the dilation), Conv2d on that size has
    /// output positions beyond [H, W] that ConvTranspose2d never reads; their rows are left out.
    /// </remarks>
    /// <param name="input">ConvTranspose2d's input [N, C_in, H, W] (only its shape is used).</param>
    /// <param name="weight">[C_in, C_out/groups, kH, kW].</param>
    /// <param name="stride">Stride (default 1).</param>
    /// <param name="padding">Padding (default 0).</param>
    /// <param name="outputPadding">Output padding (default 0): picks which Conv2d input size C is built for.</param>
    /// <param name="dilation">Dilation (default 1).</param>
    /// <param name="groups">Channel groups (default 1).</param>
    public static ConvMatrix AsMatrixFor(Tensor input, Tensor weight, Size2? stride = null, Size2? padding = null,
                                         Size2? outputPadding = null, Size2? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var g = Validate(nameof(AsMatrixFor), input, weight, stride, padding, outputPadding, dilation, groups, out _);
        return Build(weight, new Size2(g.BigH, g.BigW), stride, padding, dilation, groups, new Size2(g.SmallH, g.SmallW));
    }
}
