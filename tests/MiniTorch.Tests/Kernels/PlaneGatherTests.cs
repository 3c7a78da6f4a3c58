using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>PlaneGather against its one-line definitions, over random plane sizes, offsets and steps.</summary>
public class PlaneGatherTests
{
    [Fact]
    public void Gather_RandomPlanes_MatchesDefinition()
    {
        var r = new Random(11);
        for (int trial = 0; trial < 400; trial++)
        {
            int srcH = r.Next(1, 9), srcW = r.Next(1, 40), rows = r.Next(1, 9), cols = r.Next(1, 30);
            int rowStep = r.Next(1, 4), colStep = r.Next(1, 4), row0 = r.Next(-4, 5), col0 = r.Next(-4, 5);
            var src = new double[srcH * srcW];
            for (int i = 0; i < src.Length; i++) src[i] = i + 1;
            var dst = new double[rows * cols];
            Array.Fill(dst, double.NaN); // every element must be written
            PlaneGather.Gather<double>(src, srcH, srcW, row0, rowStep, col0, colStep, dst, rows, cols);
            for (int y = 0; y < rows; y++)
                for (int q = 0; q < cols; q++)
                {
                    int sr = row0 + y * rowStep, sc = col0 + q * colStep;
                    double expected = sr >= 0 && sr < srcH && sc >= 0 && sc < srcW ? src[sr * srcW + sc] : 0;
                    Assert.True(expected == dst[y * cols + q],
                                $"trial {trial} ({srcH}x{srcW}, start {row0},{col0}, step {rowStep},{colStep}) at ({y},{q}): {dst[y * cols + q]} vs {expected}");
                }
        }
    }

    [Fact]
    public void Place_RandomPlanes_MatchesDefinition()
    {
        var r = new Random(12);
        for (int trial = 0; trial < 300; trial++)
        {
            int rows = r.Next(1, 6), cols = r.Next(1, 20), rowStep = r.Next(1, 4), colStep = r.Next(1, 4);
            int row0 = r.Next(0, 3), col0 = r.Next(0, 3), ldQ = r.Next(1, 3), ldR = cols * ldQ + r.Next(0, 3);
            int dstW = col0 + (cols - 1) * colStep + 1 + r.Next(0, 3), dstH = row0 + (rows - 1) * rowStep + 1;
            var src = new double[rows * ldR];
            for (int i = 0; i < src.Length; i++) src[i] = i + 1;
            var dst = new double[dstH * dstW];
            PlaneGather.Place<double>(src, ldR, ldQ, rows, cols, dst, dstW, row0, rowStep, col0, colStep);
            var expected = new double[dst.Length];
            for (int y = 0; y < rows; y++)
                for (int q = 0; q < cols; q++) expected[(row0 + y * rowStep) * dstW + col0 + q * colStep] = src[y * ldR + q * ldQ];
            Assert.Equal(expected, dst);
        }
    }
}
