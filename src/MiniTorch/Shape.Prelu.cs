namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// Checks a PReLU weight against its input: one slope, or one per channel (dimension 1), with
    /// PyTorch 1.13's message otherwise (like 1.13, only the weight's element count matters).
    /// </summary>
    public static void CheckPrelu(int[] input, int[] weight)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        int parameters = Numel(weight);
        int channels = input.Length >= 2 ? input[1] : 1;
        if (parameters != 1 && parameters != channels)
            throw new ArgumentException($"Mismatch of parameter numbers and input channel size. Found parameter numbers = {parameters} and channel size = {channels}.");
    }

    /// <summary>The number of elements that share one PReLU slope: the product of the dimensions after 1.</summary>
    public static int PreluInner(int[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int inner = 1;
        for (int d = 2; d < input.Length; d++) inner *= input[d];
        return inner;
    }
}
