namespace MiniTorch.Nn;

/// <summary>How <see cref="Conv2d"/> pads its input, like PyTorch's <c>padding_mode</c>.</summary>
public enum PaddingMode
{
    /// <summary>Zeros outside the input (<c>'zeros'</c>, the default).</summary>
    Zeros,
    /// <summary>Mirror without repeating the edge (<c>'reflect'</c>).</summary>
    Reflect,
    /// <summary>Repeat the edge value (<c>'replicate'</c>).</summary>
    Replicate,
    /// <summary>Wrap around (<c>'circular'</c>).</summary>
    Circular,
}

/// <summary>The mode of <see cref="F.Pad"/>, like the <c>mode</c> argument of <c>torch.nn.functional.pad</c>.</summary>
public enum PadMode
{
    /// <summary>Fill with a constant value (<c>'constant'</c>, the default).</summary>
    Constant,
    /// <summary>Mirror without repeating the edge (<c>'reflect'</c>).</summary>
    Reflect,
    /// <summary>Repeat the edge value (<c>'replicate'</c>).</summary>
    Replicate,
    /// <summary>Wrap around (<c>'circular'</c>).</summary>
    Circular,
}
