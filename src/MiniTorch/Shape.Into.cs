namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// Checks the destination of an op that writes into a given tensor (<c>F.Conv2dInto</c>, …): the
    /// op's shape and dtype, contiguous, sharing no storage with the operands, and nothing that
    /// autograd would have to record.
    /// </summary>
    public static void CheckInto(string op, Tensor output, int[] expectedShape, Tensor input, params Tensor?[] others)
    {
        if (!Equal(output.ShapeRef, expectedShape))
            throw new ArgumentException($"{op}: expected out to have shape {Format(expectedShape)}, got {Format(output.ShapeRef)}");
        if (output.DType != input.DType)
            throw new ArgumentException($"{op}: expected out to have dtype {input.DType}, got {output.DType}");
        if (!output.IsContiguous)
            throw new ArgumentException($"{op}: out must be contiguous");
        foreach (var t in others.Prepend(input))
            if (t is not null && ReferenceEquals(t.Storage, output.Storage))
                throw new ArgumentException($"{op}: out shares memory with an operand; the op cannot write over its own input");
        if (Autograd.GradMode.IsEnabled && (output.RequiresGrad || input.RequiresGrad || others.Any(t => t is { RequiresGrad: true })))
            throw new InvalidOperationException($"{op}: writing into out records nothing for autograd, but an operand or out requires grad (use the op without out, or run under Torch.NoGrad())");
    }
}
