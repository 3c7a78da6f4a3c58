namespace MiniTorch.Nn;

/// <summary>How a loss reduces its element-wise values, like PyTorch's <c>reduction=</c> argument.</summary>
public enum Reduction
{
    /// <summary>No reduction: the element-wise losses.</summary>
    None,
    /// <summary>The mean over all elements (PyTorch's default).</summary>
    Mean,
    /// <summary>The sum over all elements.</summary>
    Sum,
    /// <summary>The sum divided by the batch size (the size of dimension 0): only <see cref="KLDivLoss"/> accepts it, as in PyTorch.</summary>
    BatchMean,
}
