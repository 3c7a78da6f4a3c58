namespace MiniTorch.Nn;

/// <summary>Converts Keras (TensorFlow) convolution kernels to MiniTorch's (PyTorch's) layouts.</summary>
/// <remarks>
/// Keras and PyTorch both compute cross-correlations, and Keras' Conv2DTranspose is the gradient of
/// its Conv2D just as here, so no kernel is flipped: only the axes move.
/// </remarks>
public static class KerasInterop
{
    /// <summary>A Keras Conv2D kernel (kh, kw, in, out) as a Conv2d weight [out, in, kh, kw].</summary>
    public static Tensor Conv2dKernel(Tensor kerasKernel)
    {
        ArgumentNullException.ThrowIfNull(kerasKernel);
        return Move(kerasKernel, "Conv2D", "(kh, kw, in, out)");
    }

    /// <summary>A Keras Conv2DTranspose kernel (kh, kw, out, in) as a ConvTranspose2d weight [in, out, kh, kw].</summary>
    public static Tensor ConvTransposeKernel(Tensor kerasKernel)
    {
        ArgumentNullException.ThrowIfNull(kerasKernel);
        return Move(kerasKernel, "Conv2DTranspose", "(kh, kw, out, in)");
    }

    private static Tensor Move(Tensor kernel, string layer, string layout)
    {
        if (kernel.Dim != 4)
            throw new ArgumentException($"expected a Keras {layer} kernel of shape {layout}, got {Shape.Format(kernel.ShapeRef)}");
        return kernel.Permute(3, 2, 0, 1).Contiguous();
    }
}
