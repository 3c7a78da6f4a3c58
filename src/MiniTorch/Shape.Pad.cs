namespace MiniTorch;

/// <summary>F.Pad's modes as Shape reads them (the Nn layer's PadMode has the same members in the same order).</summary>
internal enum PadKind { Constant, Reflect, Replicate, Circular }

public static partial class Shape
{
    /// <summary>
    /// Validates <c>F.pad</c>'s arguments as PyTorch does and returns one index map per padded
    /// trailing dimension (first map = first padded dimension), −1 meaning "fill".
    /// </summary>
    /// <param name="shape">The input shape.</param>
    /// <param name="pad">Pairs (before, after) starting from the last dimension, like PyTorch.</param>
    /// <param name="mode">The padding mode.</param>
    internal static int[][] PadMaps(int[] shape, int[] pad, PadKind mode)
    {
        if (pad.Length % 2 != 0) throw new ArgumentException("Padding length must be divisible by 2");
        int k = pad.Length / 2, rank = shape.Length;
        if (k > rank) throw new ArgumentException("Padding length too large");
        if (mode != PadKind.Constant && (k == 0 || k > 3 || (rank != k + 1 && rank != k + 2)))
            throw new ArgumentException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
        // The padded sizes first, in 64 bits: a size or a tensor too large is refused before any map is built.
        var padded = (int[])shape.Clone();
        for (int j = 0; j < k; j++)
        {
            int d = rank - 1 - j;
            long size = (long)shape[d] + pad[2 * j] + pad[2 * j + 1];
            if (size > int.MaxValue)
                throw new ArgumentException($"pad: padding ({pad[2 * j]}, {pad[2 * j + 1]}) makes dimension {d} of size {shape[d]} {size} long, beyond the {int.MaxValue} that MiniTorch's 32-bit sizes hold");
            padded[d] = (int)Math.Max(size, 0);
        }
        Numel(padded);
        var maps = new int[k][];
        bool anyPositive = pad.Any(p => p > 0);
        // PyTorch's 2-d and 3-d reflection pads refuse only an output empty in every padded dimension
        // (their check is output_w >= 1 || output_h >= 1 ...); the 1-d one any empty output.
        bool reflectEmptyOk = mode == PadKind.Reflect && k >= 2 && Enumerable.Range(0, k).Any(j => padded[rank - 1 - j] >= 1);
        for (int j = 0; j < k; j++)
        {
            int d = rank - 1 - j, n = shape[d], before = pad[2 * j], after = pad[2 * j + 1];
            if (mode == PadKind.Reflect && (before >= n || after >= n))
                throw new ArgumentException($"Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ({before}, {after}) at dimension {d} of input {rank}");
            if (mode == PadKind.Circular && (before > n || after > n))
                throw new ArgumentException("Padding value causes wrapping around more than once.");
            if (mode == PadKind.Replicate && n == 0)
                throw new ArgumentException($"Expected input with non-zero dimensions for replicate padding, but got: {Format(shape)}");
            long size = (long)n + before + after;
            // PyTorch's constant_pad_nd narrows when no pad is positive (an empty result is fine) and
            // otherwise wants every padded size positive.
            if (size < 0 || (size == 0 && (mode != PadKind.Constant || anyPositive) && !reflectEmptyOk))
                throw new ArgumentException(mode == PadKind.Circular
                    ? "Negative padding value is resulting in an empty dimension"
                    : $"The input size {n}, plus negative padding {before} and {after} resulted in a negative output size, which is invalid. Check dimension {d} of your input.");
            if (mode == PadKind.Circular && (long)n + Math.Min(before, 0) + Math.Min(after, 0) <= 0)
                throw new ArgumentException("Negative padding value is resulting in an empty dimension");
            var map = new int[size];
            // Circular padding wraps around what is left after negative pads crop (as PyTorch does).
            // Positions in 64 bits: a pad of ±2³¹ must not wrap.
            long cropBefore = Math.Max(-(long)before, 0), kept = n - cropBefore - Math.Max(-(long)after, 0);
            for (int o = 0; o < size; o++)
            {
                long i = (long)o - before;
                if (mode == PadKind.Circular) { map[o] = (int)(cropBefore + ((o - Math.Max(before, 0)) % kept + kept) % kept); continue; }
                map[o] = i >= 0 && i < n ? (int)i : mode switch
                {
                    PadKind.Reflect => (int)(i < 0 ? -i : 2L * (n - 1) - i),
                    PadKind.Replicate => (int)Math.Clamp(i, 0, n - 1),
                    _ => -1,
                };
            }
            maps[k - 1 - j] = map;
        }
        return maps;
    }
}
