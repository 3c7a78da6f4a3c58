namespace MiniTorch;

public static partial class Shape
{
    /// <summary>
    /// Checks the input [C], [N, C] or [N, C, d1, …] and class-index target [], [N] or [N, d1, …]
    /// of <c>nll_loss</c>/<c>cross_entropy</c>, with PyTorch's messages.
    /// </summary>
    public static void CheckNllLoss(ReadOnlySpan<int> input, ReadOnlySpan<int> target)
    {
        if (input.Length < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {input.Length})");
        if (input.Length == 1)
        {
            if (target.Length != 0) throw new ArgumentException($"Expected a 0-d target (a class index) for an input of shape {Format(input)}, got target of shape {Format(target)}");
            return;
        }
        if (target.Length == 0 || input[0] != target[0])
            throw new ArgumentException($"Expected input batch_size ({input[0]}) to match target batch_size ({(target.Length == 0 ? 0 : target[0])}).");
        var expected = new int[input.Length - 1];
        expected[0] = input[0];
        input[2..].CopyTo(expected.AsSpan(1));
        if (!Equal(expected, target)) throw new ArgumentException($"Expected target size {Format(expected)}, got {Format(target)}");
    }

    /// <summary>A class weight must hold one value per class (PyTorch's message).</summary>
    public static void CheckClassWeight(ReadOnlySpan<int> weight, int classes)
    {
        if (weight.Length != 1 || weight[0] != classes)
            throw new ArgumentException($"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {Format(weight)}");
    }
}
