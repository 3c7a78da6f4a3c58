using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MiniTorch.Kernels;

/// <summary>
/// A 16×16 float32 block transposed in sixteen Vector512 registers (four rounds of sixteen shuffles), for the
/// packing copies that turn rows into columns: GEMM's non-transposed A panels and the weight gradient's
/// channels-last copies. Only where <see cref="IsSupported"/>; callers keep their element loops otherwise.
/// A copy: no value changes.
/// </summary>
internal static unsafe class Transpose16
{
    /// <summary>Whether the AVX-512 shuffles run in hardware.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// dst[j·dstStride + i] = src[i·srcStride + j] for i &lt; 16, j &lt; <paramref name="columns"/>, with rows i ≥
    /// <paramref name="rows"/> of the source read as zeros (not touched). Each destination row is written whole (16
    /// values, in increasing j), so with dstStride &lt; 16 row j's last values land where row j + 1 then goes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Block(float* src, nint srcStride, int rows, float* dst, nint dstStride, int columns = 16)
    {
        Vector512<float> Row(int i) => i < rows ? Vector512.Load(src + i * srcStride) : Vector512<float>.Zero;
        var r0 = Row(0); var r1 = Row(1); var r2 = Row(2); var r3 = Row(3);
        var r4 = Row(4); var r5 = Row(5); var r6 = Row(6); var r7 = Row(7);
        var r8 = Row(8); var r9 = Row(9); var r10 = Row(10); var r11 = Row(11);
        var r12 = Row(12); var r13 = Row(13); var r14 = Row(14); var r15 = Row(15);
        Store(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, dst, dstStride, columns);
    }

    /// <summary>Rows r0 … r15 transposed: destination row j (16 values) for j &lt; <paramref name="columns"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> r0, Vector512<float> r1, Vector512<float> r2, Vector512<float> r3,
                             Vector512<float> r4, Vector512<float> r5, Vector512<float> r6, Vector512<float> r7,
                             Vector512<float> r8, Vector512<float> r9, Vector512<float> r10, Vector512<float> r11,
                             Vector512<float> r12, Vector512<float> r13, Vector512<float> r14, Vector512<float> r15,
                             float* dst, nint dstStride, int columns)
    {
        // Pairs of rows interleaved, then pairs of pairs, then 128-bit lanes twice: row j of the result holds element j of every row.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);

        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, t10, 0x44); r9 = Avx512F.Shuffle(t8, t10, 0xEE);
        r10 = Avx512F.Shuffle(t9, t11, 0x44); r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        r12 = Avx512F.Shuffle(t12, t14, 0x44); r13 = Avx512F.Shuffle(t12, t14, 0xEE);
        r14 = Avx512F.Shuffle(t13, t15, 0x44); r15 = Avx512F.Shuffle(t13, t15, 0xEE);

        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t9 = Avx512F.Shuffle4x128(r9, r13, 0x88);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t11 = Avx512F.Shuffle4x128(r11, r15, 0x88);
        t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
        t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);

        if (columns > 0) Avx512F.Shuffle4x128(t0, t8, 0x88).Store(dst);
        if (columns > 1) Avx512F.Shuffle4x128(t1, t9, 0x88).Store(dst + dstStride);
        if (columns > 2) Avx512F.Shuffle4x128(t2, t10, 0x88).Store(dst + 2 * dstStride);
        if (columns > 3) Avx512F.Shuffle4x128(t3, t11, 0x88).Store(dst + 3 * dstStride);
        if (columns > 4) Avx512F.Shuffle4x128(t4, t12, 0x88).Store(dst + 4 * dstStride);
        if (columns > 5) Avx512F.Shuffle4x128(t5, t13, 0x88).Store(dst + 5 * dstStride);
        if (columns > 6) Avx512F.Shuffle4x128(t6, t14, 0x88).Store(dst + 6 * dstStride);
        if (columns > 7) Avx512F.Shuffle4x128(t7, t15, 0x88).Store(dst + 7 * dstStride);
        if (columns > 8) Avx512F.Shuffle4x128(t0, t8, 0xDD).Store(dst + 8 * dstStride);
        if (columns > 9) Avx512F.Shuffle4x128(t1, t9, 0xDD).Store(dst + 9 * dstStride);
        if (columns > 10) Avx512F.Shuffle4x128(t2, t10, 0xDD).Store(dst + 10 * dstStride);
        if (columns > 11) Avx512F.Shuffle4x128(t3, t11, 0xDD).Store(dst + 11 * dstStride);
        if (columns > 12) Avx512F.Shuffle4x128(t4, t12, 0xDD).Store(dst + 12 * dstStride);
        if (columns > 13) Avx512F.Shuffle4x128(t5, t13, 0xDD).Store(dst + 13 * dstStride);
        if (columns > 14) Avx512F.Shuffle4x128(t6, t14, 0xDD).Store(dst + 14 * dstStride);
        if (columns > 15) Avx512F.Shuffle4x128(t7, t15, 0xDD).Store(dst + 15 * dstStride);
    }
}
