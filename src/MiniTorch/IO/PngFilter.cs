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
    public static void Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dst)
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
    /// absolute values read as signed bytes (small residuals compress well).
    /// </summary>
    public static int Choose(ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> scratch)
    {
        int best = 0; long bestSum = long.MaxValue;
        for (int type = 0; type < 5; type++)
        {
            Filter(type, row, prior, bpp, scratch);
            long sum = 0;
            foreach (byte v in scratch) sum += Math.Abs((int)(sbyte)v);
            if (sum < bestSum) { bestSum = sum; best = type; }
        }
        return best;
    }
}
