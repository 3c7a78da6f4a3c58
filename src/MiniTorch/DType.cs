namespace MiniTorch;

/// <summary>The element type of a tensor. MiniTorch computes in float32 and checks gradients in float64.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float, PyTorch's <c>torch.float32</c> (the default).</summary>
    Float32,
    /// <summary>64-bit IEEE float, PyTorch's <c>torch.float64</c>.</summary>
    Float64,
}
