namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// Checks the shape and dtype of the destination of an op that writes into a given tensor
    /// (<c>F.Conv2dInto</c>, …) against the op's result. (Layout, aliasing and autograd are checked
    /// by the caller, which sees the tensors.)
    /// </summary>
    internal static void CheckIntoShape(string op, int[] outShape, DType outDType, int[] expectedShape, DType expectedDType)
    {
        if (!Equal(outShape, expectedShape))
            throw new ArgumentException($"{op}: expected out to have shape {Format(expectedShape)}, got {Format(outShape)}");
        if (outDType != expectedDType)
            throw new ArgumentException($"{op}: expected out to have dtype {expectedDType}, got {outDType}");
    }
}
