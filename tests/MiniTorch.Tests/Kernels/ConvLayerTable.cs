using MiniTorch.Kernels;
using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>One convolution layer of a model, as the geometry its three passes run on.</summary>
/// <param name="Name">Model and layer, e.g. "DCGAN G convT 256→128 4×4 s2 (4×4 → 8×8)".</param>
/// <param name="Geometry">Big side = the convolution's input (a transposed layer's output).</param>
/// <param name="Transposed">Whether the layer is a transposed convolution (its forward is the InputGrad pass).</param>
internal sealed record ConvLayer(string Name, ConvGeometry Geometry, bool Transposed);

/// <summary>
/// Every convolution layer of the two main jobs: the DCGAN step at the paper's sizes (batch 64, nz 100,
/// ngf = ndf = 64, 3 channels, 32×32) and FSRCNN(2, d = 56, s = 12, m = 4) on a full-HD frame. Shared by
/// the planner-table test and <c>quick-conv plan</c>, which prints the table of docs/performance.md.
/// </summary>
internal static class ConvLayerTable
{
    private static ConvLayer Conv(string name, int n, int c, int h, int w, int k, int kernel, int stride, int pad) =>
        new(name, ConvKernelCalls.Conv2d([n, c, h, w], [k, c, kernel, kernel], null, stride, new Padding2d(pad, pad), 1, 1), false);

    private static ConvLayer Transposed(string name, int n, int c, int h, int w, int k, int kernel, int stride, int pad, int outputPadding) =>
        new(name, ConvKernelCalls.ConvTranspose2d([n, c, h, w], [c, k, kernel, kernel], null, stride, new Padding2d(pad, pad), outputPadding, 1, 1), true);

    public static readonly ConvLayer[] Dcgan =
    [
        Transposed("DCGAN G convT 100→256 4×4 (1×1 → 4×4)", 64, 100, 1, 1, 256, 4, 1, 0, 0),
        Transposed("DCGAN G convT 256→128 4×4 s2 (4×4 → 8×8)", 64, 256, 4, 4, 128, 4, 2, 1, 0),
        Transposed("DCGAN G convT 128→64 4×4 s2 (8×8 → 16×16)", 64, 128, 8, 8, 64, 4, 2, 1, 0),
        Transposed("DCGAN G convT 64→3 4×4 s2 (16×16 → 32×32)", 64, 64, 16, 16, 3, 4, 2, 1, 0),
        Conv("DCGAN D conv 3→64 4×4 s2 (32×32 → 16×16)", 64, 3, 32, 32, 64, 4, 2, 1),
        Conv("DCGAN D conv 64→128 4×4 s2 (16×16 → 8×8)", 64, 64, 16, 16, 128, 4, 2, 1),
        Conv("DCGAN D conv 128→256 4×4 s2 (8×8 → 4×4)", 64, 128, 8, 8, 256, 4, 2, 1),
        Conv("DCGAN D conv 256→1 4×4 (4×4 → 1×1)", 64, 256, 4, 4, 1, 4, 1, 0),
    ];

    public static readonly ConvLayer[] Fsrcnn =
    [
        Conv("FSRCNN conv 1→56 5×5 p2", 1, 1, 1080, 1920, 56, 5, 1, 2),
        Conv("FSRCNN conv 56→12 1×1", 1, 56, 1080, 1920, 12, 1, 1, 0),
        Conv("FSRCNN conv 12→12 3×3 p1 (×4)", 1, 12, 1080, 1920, 12, 3, 1, 1),
        Conv("FSRCNN conv 12→56 1×1", 1, 12, 1080, 1920, 56, 1, 1, 0),
        Transposed("FSRCNN convT 56→1 9×9 s2 p4 op1", 1, 56, 1080, 1920, 1, 9, 2, 4, 1),
    ];

    /// <summary>The layer's forward, input-gradient and weight-gradient passes, in that order.</summary>
    public static ConvPass[] Passes(ConvLayer layer) =>
        layer.Transposed ? [ConvPass.InputGrad, ConvPass.Forward, ConvPass.WeightGrad] : [ConvPass.Forward, ConvPass.InputGrad, ConvPass.WeightGrad];
}
