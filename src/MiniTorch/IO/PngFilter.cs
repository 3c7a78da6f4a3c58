using System.Runtime.Intrinsics;
using System.Numerics.Tensors;

namespace MiniTorch.IO;

/// <summary>
/// The five PNG scanline filters (None, Sub, Up, Average, Paeth). Each predicts a byte from its
/// left neighbour a, the byte above b and the upper-left c; the file stores the difference.
/// </summary>
internal static class PngFilter
{
    public static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Undoes filter <paramref name="type"/> on <paramref name="row"/> in place, given the already reconstructed <paramref name="prior"/> row.</summary>
    public static void Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (type)
        {
            case 0: break;
            case 1: for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp]; break;
            case 2: for (int i = 0; i < row.Length; i++) row[i] += prior[i]; break;
            case 3:
                for (int i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prior[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                    row[i] += i >= bpp ? Paeth(row[i - bpp], prior[i], prior[i - bpp]) : Paeth(0, prior[i], 0);
                break;
            default: throw new InvalidDataException($"PNG scanline has unknown filter type {type} (valid: 0-4)");
        }
    }

    /// <summary>Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="dst"/>.</summary>
    /// <remarks>
    /// Every input is a raw (unfiltered) byte, so all filters vectorise: 16 bytes at a time, widened to
    /// 16-bit lanes where the arithmetic needs 9 bits (Average, Paeth). <see cref="FilterReference"/>
    /// is the byte-by-byte definition the tests compare with.
    /// </remarks>
    public static void Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dst)
    {
        int n = row.Length, head = Math.Min(bpp, n);
        switch (type)
        {
            case 0: row.CopyTo(dst); break;
            case 1:
                row[..head].CopyTo(dst);
                if (n > bpp) TensorPrimitives.Subtract(row[bpp..], row[..(n - bpp)], dst[bpp..]);
                break;
            case 2: TensorPrimitives.Subtract(row, prior, dst); break;
            default:
                for (int i = 0; i < head; i++) // no left neighbour: Average predicts b/2, Paeth(0, b, 0) = b
                    dst[i] = (byte)(row[i] - (type == 3 ? prior[i] >> 1 : prior[i]));
                int j = bpp;
                for (; j + 16 <= n; j += 16)
                {
                    var x = Vector128.Create(row.Slice(j, 16));
                    var a = Vector128.Create(row.Slice(j - bpp, 16));
                    var b = Vector128.Create(prior.Slice(j, 16));
                    var pred = type == 3 ? Average(a, b) : Paeth(a, b, Vector128.Create(prior.Slice(j - bpp, 16)));
                    (x - pred).CopyTo(dst.Slice(j, 16));
                }
                for (; j < n; j++)
                    dst[j] = (byte)(row[j] - (type == 3 ? (row[j - bpp] + prior[j]) >> 1 : Paeth(row[j - bpp], prior[j], prior[j - bpp])));
                break;
        }
    }

    /// <summary>⌊(a + b)/2⌋ per byte without overflow: (a AND b) + ((a XOR b) >> 1).</summary>
    private static Vector128<byte> Average(Vector128<byte> a, Vector128<byte> b) => (a & b) + Vector128.ShiftRightLogical(a ^ b, 1);

    /// <summary><see cref="Paeth(byte, byte, byte)"/> on 16 bytes, in 16-bit lanes.</summary>
    private static Vector128<byte> Paeth(Vector128<byte> a, Vector128<byte> b, Vector128<byte> c)
    {
        var (aLo, aHi) = Vector128.Widen(a);
        var (bLo, bHi) = Vector128.Widen(b);
        var (cLo, cHi) = Vector128.Widen(c);
        return Vector128.Narrow(Paeth(aLo.AsInt16(), bLo.AsInt16(), cLo.AsInt16()), Paeth(aHi.AsInt16(), bHi.AsInt16(), cHi.AsInt16()));
    }

    private static Vector128<ushort> Paeth(Vector128<short> a, Vector128<short> b, Vector128<short> c)
    {
        // p = a + b − c, so |p − a| = |b − c|, |p − b| = |a − c|, |p − c| = |a + b − 2c|.
        var pa = Vector128.Abs(b - c);
        var pb = Vector128.Abs(a - c);
        var pc = Vector128.Abs(a + b - c - c);
        var takeA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
        var takeB = Vector128.LessThanOrEqual(pb, pc);
        return Vector128.ConditionalSelect(takeA, a, Vector128.ConditionalSelect(takeB, b, c)).AsUInt16();
    }

    /// <summary>The definition of filter <paramref name="type"/>, one byte at a time (the readable reference).</summary>
    internal static void FilterReference(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dst)
    {
        for (int i = 0; i < row.Length; i++)
        {
            byte a = i >= bpp ? row[i - bpp] : (byte)0, b = prior[i], c = i >= bpp ? prior[i - bpp] : (byte)0;
            dst[i] = type switch
            {
                0 => row[i],
                1 => (byte)(row[i] - a),
                2 => (byte)(row[i] - b),
                3 => (byte)(row[i] - ((a + b) >> 1)),
                _ => (byte)(row[i] - Paeth(a, b, c)),
            };
        }
    }

    /// <summary>
    /// The filter libpng's heuristic would pick: the one whose output has the smallest sum of
    /// absolute values read as signed bytes (small residuals compress well); the first on a tie.
    /// </summary>
    public static int Choose(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> scratch)
    {
        int best = 0; long bestSum = long.MaxValue;
        for (int type = 0; type < 5; type++)
        {
            Filter(type, row, prior, bpp, scratch);
            long sum = SumOfSignedMagnitudes(scratch[..row.Length]);
            if (sum < bestSum) { bestSum = sum; best = type; }
        }
        return best;
    }

    /// <summary>Σ |v| over the bytes read as signed (|−128| = 128).</summary>
    internal static long SumOfSignedMagnitudes(ReadOnlySpan<byte> values)
    {
        long sum = 0;
        int i = 0;
        while (i + 16 <= values.Length)
        {
            // Lanes gain at most 4 · 128 per step: flush to the 64-bit sum long before they could overflow.
            var acc = Vector128<uint>.Zero;
            for (int end = Math.Min(values.Length - 15, i + 16 * 4096); i < end; i += 16)
            {
                // |v| as sbyte is 0 … 127, or −128 for −128, which read as a byte is 128: right in both cases.
                var m = Vector128.Abs(Vector128.Create(values.Slice(i, 16)).AsSByte()).AsByte();
                var (lo, hi) = Vector128.Widen(m);
                var (l0, l1) = Vector128.Widen(lo);
                var (h0, h1) = Vector128.Widen(hi);
                acc += l0 + l1 + h0 + h1;
            }
            sum += (long)Vector128.Sum(Vector128.WidenLower(acc)) + (long)Vector128.Sum(Vector128.WidenUpper(acc));
        }
        for (; i < values.Length; i++) sum += values[i] < 128 ? values[i] : 256 - values[i];
        return sum;
    }
}
