namespace MiniTorch;

public static partial class Shape
{
    /// <summary>Checks that a tensor loaded from per-channel text files is [A, B, kH, kW] or [A].</summary>
    public static void CheckTxtKernelTarget(string name, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 4 && shape.Length != 1)
            throw new ArgumentException($"LoadTxtKernels: expected '{name}' of shape [A, B, kH, kW] or [A], got {Format(shape)}");
    }

    /// <summary>Checks the number of values in one text kernel file against the tensor it fills.</summary>
    public static void CheckTxtKernelFile(string file, int count, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(shape);
        int expected = shape.Length == 4 ? shape[2] * shape[3] : 1;
        if (count != expected)
            throw new InvalidDataException(shape.Length == 4
                ? $"LoadTxtKernels: '{file}' holds {count} values, expected a {shape[2]}×{shape[3]} kernel ({expected} values) for a tensor of shape {Format(shape)}"
                : $"LoadTxtKernels: '{file}' holds {count} values, expected 1 for a tensor of shape {Format(shape)}");
    }
}
