using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Pads (or, with negative amounts, crops) the trailing dimensions, like
    /// <c>torch.nn.functional.pad</c>: <paramref name="pad"/> lists (before, after) pairs starting
    /// from the last dimension, e.g. (left, right, top, bottom).
    /// </summary>
    /// <remarks>
    /// y[…, o] = x[…, o − before] inside the input; outside it is <paramref name="value"/> (constant),
    /// the mirror image without the edge (reflect), the edge (replicate) or the wrapped-around input
    /// (circular). Non-constant modes pad the last 1–3 dimensions of a tensor with one or two more.
    /// </remarks>
    /// <param name="input">The tensor to pad.</param>
    /// <param name="pad">(before, after) pairs, last dimension first.</param>
    /// <param name="mode">Constant, reflect, replicate or circular.</param>
    /// <param name="value">The fill value of constant padding.</param>
    public static Tensor Pad(Tensor input, int[] pad, PadMode mode = PadMode.Constant, double value = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pad);
        Argument.Defined(mode);
        var maps = Shape.PadMaps(input.ShapeRef, pad, (PadKind)mode);
        // As PyTorch: constant and circular padding copy any dtype; reflection and replication kernels are floating-point only.
        if (!input.DType.IsFloatingPoint() && mode is (PadMode.Reflect or PadMode.Replicate) && maps.Length > 0)
            throw DTypes.NotImplemented(mode == PadMode.Reflect ? $"reflection_pad{maps.Length}d" : $"replication_pad{maps.Length}d_cpu", input.DType);
        if (maps.Length == 0) return input.Clone();
        string name = mode switch
        {
            PadMode.Constant => "ConstantPadNdBackward0",
            PadMode.Reflect => $"ReflectionPad{maps.Length}DBackward0",
            PadMode.Replicate => $"ReplicationPad{maps.Length}DBackward0",
            _ => $"CircularPad{maps.Length}DBackward0",
        };
        return PadBackward.Apply(input, maps, value, name);
    }
}
