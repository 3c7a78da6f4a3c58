namespace MiniTorch;

public static partial class Shape
{
    /// <summary>Checks that a teaching view gets a batched input [N, C, H, W].</summary>
    internal static void TeachingInput(int[] input, string method)
    {
        if (input.Length != 4)
            throw new ArgumentException($"TransposedConv.{method} expects an input of shape [N, C_in, H, W], got {Format(input)}");
    }

    /// <summary>Checks that <c>TransposedConv.AsMatrix</c> gets a 4-D Conv2d weight.</summary>
    internal static void ConvMatrixWeight(int[] weight)
    {
        if (weight.Length != 4)
            throw new ArgumentException($"expected a Conv2d weight of shape [K, C/groups, kH, kW], got {Format(weight)}");
    }

    /// <summary>Checks a tensor against the [N, C, H, W] shape a <c>ConvMatrix</c> acts on.</summary>
    internal static void ConvMatrixOperand(int[] actual, int[] expected, string side)
    {
        if (actual.Length != 4 || actual[1] != expected[0] || actual[2] != expected[1] || actual[3] != expected[2])
            throw new ArgumentException($"expected the matrix's {side} of shape [N, {expected[0]}, {expected[1]}, {expected[2]}], got {Format(actual)}");
    }

    /// <summary>Checks the arguments of <c>TransposedConv.Overlap</c>: positive kernel, stride, length and dilation, non-negative padding.</summary>
    internal static void OverlapArguments(int kernel, int stride, int length, int padding, int dilation, int outputPadding)
    {
        if (outputPadding < 0) throw new ArgumentException("negative output_padding is not supported");
        if (kernel <= 0 || stride <= 0 || length <= 0 || dilation <= 0)
            throw new ArgumentException($"kernel, stride, length and dilation must be positive, got kernel={kernel}, stride={stride}, length={length}, dilation={dilation}");
        if (padding < 0) throw new ArgumentException("negative padding is not supported");
        int full = (length - 1) * stride + dilation * (kernel - 1) + 1 + outputPadding;
        if (full - 2 * padding <= 0)
            throw new ArgumentException($"padding {padding} crops the whole output of length {full}");
    }
}
