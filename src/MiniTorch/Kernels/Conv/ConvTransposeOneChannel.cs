using System.Numerics;

namespace MiniTorch.Kernels;

/// <summary>
/// Transposed convolution with one big-side channel per group (C_out = 1, FSRCNN's upscaling layer).
/// GEMM would have m = 1 and spend its time packing, and a column buffer would be K_g·|taps| times
/// the output; instead outputs are computed directly with the accumulators in registers.
/// </summary>
/// <remarks>
/// Phase (H0, W0) holds y[n, 0, H0 + SH·qh, W0 + SW·qw] = Σ_{k, a, b} w[k, 0, TapsH[a], TapsW[b]] · z[n, k, BaseH[a] + qh, BaseW[b] + qw].
/// <para>
/// Fused path (strided layers, e.g. FSRCNN ×2, ×3, ×4): the phases' taps all read the small side
/// near (qh, qw), in a window of a few offsets (5 × 5 for ×2), so up to four phases are one dense
/// convolution with four output slots, masked where a phase has no tap, then a pixel shuffle.
/// A register block is 5 rows × 4 slots × one vector of columns; for each channel and window cell
/// it loads the 5 input vectors once and feeds every slot that has a tap there (81 of the 100
/// products for ×2; masked ones are skipped, not multiplied by zero). Work items are bands of
/// rows; per chunk of 128 columns and block of 8 channels the band's window is copied once into
/// a zero-padded pack (no edge cases, few pages) while the next pack's source is prefetched, so
/// each input element comes from memory about once. Accumulators wait in per-item tiles between
/// channel blocks; the tiles are stored with the phases' columns interleaved in registers.
/// </para>
/// <para>
/// General path (stride 1, wide dilated windows, no vector hardware): one phase at a time, see
/// <c>ForwardGeneral</c>.
/// </para>
/// Each output is summed in a fixed order (channels, then taps) by one work item, whatever the
/// thread count. The workspace is a pack and tiles per work item (≈ 0.4 MB for FSRCNN), whatever
/// the image size; no column buffer.
/// </remarks>
internal static unsafe partial class ConvTransposeOneChannel
{
    /// <summary>Route <see cref="ConvRoute.OneChannelFused"/>: computes y (every element is written) from z and w; see the class remarks.</summary>
    public static void Fused<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var phases = ConvTranspose.Phases(g);
        ForwardFused(g, phases, FusedGroups(g, phases) ?? throw new InvalidOperationException("the fused one-channel route does not apply to " + g), z, w, y);
    }

    /// <summary>Route <see cref="ConvRoute.OneChannelGeneral"/>: computes y (every element is written), one phase at a time.</summary>
    public static void General<T>(ConvGeometry g, ReadOnlyMemory<T> z, ReadOnlyMemory<T> w, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => ForwardGeneral(g, ConvTranspose.Phases(g), z, w, y);

    /// <summary>Whether the fused path applies (vector hardware, several phases, small windows).</summary>
    internal static bool FusedApplies(in ConvGeometry g) => FusedGroups(g, ConvTranspose.Phases(g)) is not null;
}
