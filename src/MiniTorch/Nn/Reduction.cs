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
}
