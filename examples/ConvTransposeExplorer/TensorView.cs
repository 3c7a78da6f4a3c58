namespace ConvTransposeExplorer;

/// <summary>
/// A tensor as the page draws it: its shape, its values (for the colour scale) and each element's
/// text exactly as PyTorch prints it inside the whole tensor (one format and width for all elements).
/// </summary>
/// <param name="Shape">The shape.</param>
/// <param name="Values">The values, row-major.</param>
/// <param name="Text">Each element as <c>print(tensor)</c> shows it, without the padding.</param>
public sealed record TensorView(int[] Shape, double[] Values, string[] Text)
{
    /// <summary>PyTorch prints at most this many elements before it summarises with "...".</summary>
    private const int Chunk = 990;

    /// <summary>The view of <paramref name="t"/> (any shape).</summary>
    public static TensorView Of(Tensor t)
    {
        using var _ = Torch.NoGrad();
        var values = t.Detach().ToDoubleArray();
        return new TensorView(t.Shape, values, ElementTexts(values, t.DType));
    }

    /// <summary>
    /// The element strings of Tensor.ToString for a tensor holding <paramref name="values"/>.
    /// PyTorch's formatter depends only on the set of finite non-zero values (integer mode, the
    /// smallest and largest magnitude, the widest element), so a long tensor is printed in chunks,
    /// each together with the few values that fix that format: every chunk then prints as the whole would.
    /// </summary>
    internal static string[] ElementTexts(double[] values, DType dtype)
    {
        var finite = values.Where(v => double.IsFinite(v) && v != 0).ToArray();
        var anchors = new List<double>();
        if (finite.Length > 0)
        {
            anchors.Add(finite.MaxBy(Math.Abs));
            anchors.Add(finite.MinBy(Math.Abs));
            anchors.Add(finite.Max());
            anchors.Add(finite.Min());
            if (finite.Any(v => v < 0)) anchors.Add(finite.Where(v => v < 0).MinBy(Math.Abs));
            if (finite.FirstOrDefault(v => v != Math.Ceiling(v)) is var nonInteger && nonInteger != 0) anchors.Add(nonInteger);
        }
        var text = new string[values.Length];
        for (int start = 0; start < values.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, values.Length - start);
            var chunk = values.AsSpan(start, n).ToArray().Concat(anchors).ToArray();
            var printed = Torch.FromArray(chunk, chunk.Length).To(dtype).ToString();
            var body = printed[(printed.IndexOf('[') + 1)..printed.LastIndexOf(']')];
            var tokens = body.Split(',').Select(s => s.Trim()).ToArray();
            Array.Copy(tokens, 0, text, start, n);
        }
        return text;
    }
}
