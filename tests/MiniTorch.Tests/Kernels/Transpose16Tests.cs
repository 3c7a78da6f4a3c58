using MiniTorch.Kernels;

namespace MiniTorch.Tests.Kernels;

/// <summary>
/// The 16×16 register transpose behind GEMM's A panels and the weight gradient's channels-last copies: bit for
/// bit the definition (NaN payloads, −0, subnormals moved untouched), rows past <c>rows</c> as zeros, only the
/// first <c>columns</c> destination rows written, and destination strides below 16 overlapping as documented.
/// </summary>
public class Transpose16Tests
{
    [Fact]
    public unsafe void Block_EveryRowAndColumnCount_IsTheDefinitionBitForBit()
    {
        if (!Transpose16.IsSupported) return; // no AVX-512: callers keep their element loops, which the GEMM and conv tests cover
        var rng = new Random(16);
        const int srcStride = 37;
        var src = new float[16 * srcStride];
        for (int i = 0; i < src.Length; i++) src[i] = (float)(rng.NextDouble() * 2 - 1);
        src[3] = -0f;
        src[srcStride + 5] = BitConverter.Int32BitsToSingle(0x7FC0_1234); // a NaN with a payload
        src[2 * srcStride + 7] = BitConverter.Int32BitsToSingle(1); // the smallest subnormal
        foreach (int dstStride in new[] { 16, 21, 14 })
            for (int rows = 0; rows <= 16; rows++)
                foreach (int columns in new[] { 1, 15, 16 })
                {
                    int length = (columns - 1) * dstStride + 16 + 8;
                    var dst = new float[length];
                    dst.AsSpan().Fill(float.NaN);
                    fixed (float* ps = src, pd = dst)
                        Transpose16.Block(ps, srcStride, rows, pd, dstStride, columns);
                    for (int j = 0; j < columns; j++)
                        for (int i = 0; i < 16; i++)
                        {
                            // With dstStride < 16 a row's values past dstStride are overwritten by the next row.
                            if (i >= dstStride && j < columns - 1) continue;
                            float want = i < rows ? src[i * srcStride + j] : 0f;
                            float got = dst[j * dstStride + i];
                            Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got),
                                        $"stride {dstStride}, rows {rows}, columns {columns}: dst[{j}, {i}] is {got}, expected {want}");
                        }
                    for (int at = (columns - 1) * dstStride + 16; at < length; at++)
                        Assert.True(float.IsNaN(dst[at]), $"stride {dstStride}, rows {rows}, columns {columns}: element {at} past the block was written");
                }
    }
}
