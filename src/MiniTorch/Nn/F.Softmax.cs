using MiniTorch.Functions;

namespace MiniTorch.Nn;

public static partial class F
{
    /// <summary>
    /// Softmax along <paramref name="dim"/>, like <c>torch.nn.functional.softmax</c>: numerically
    /// stable (the maximum is subtracted first), any dimension, negative dims count from the end.
    /// </summary>
    /// <remarks>y = e^(x − max) / Σ e^(x − max) along dim; grad_fn <c>SoftmaxBackward0</c>, double backward works.</remarks>
    /// <param name="input">A floating point tensor.</param>
    /// <param name="dim">The dimension to normalise; null picks PyTorch's legacy implicit choice (0 for 0-, 1- and 3-d inputs, else 1).</param>
    /// <param name="dtype">If given, the input is converted to this type first.</param>
    public static Tensor Softmax(Tensor input, int? dim = null, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return SoftmaxBackward0.Apply(Cast(input, dtype), dim ?? ImplicitSoftmaxDim(input.Dim), log: false);
    }

    /// <summary>log(softmax(x)) along <paramref name="dim"/> in one stable pass, like <c>torch.nn.functional.log_softmax</c>.</summary>
    /// <remarks>y = x − max − ln Σ e^(x − max); grad_fn <c>LogSoftmaxBackward0</c>, double backward works.</remarks>
    /// <param name="input">A floating point tensor.</param>
    /// <param name="dim">The dimension to normalise; null picks PyTorch's legacy implicit choice.</param>
    /// <param name="dtype">If given, the input is converted to this type first.</param>
    public static Tensor LogSoftmax(Tensor input, int? dim = null, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return SoftmaxBackward0.Apply(Cast(input, dtype), dim ?? ImplicitSoftmaxDim(input.Dim), log: true);
    }

    /// <summary>softmax(−x) along <paramref name="dim"/>, like <c>torch.nn.functional.softmin</c>.</summary>
    /// <param name="input">A floating point tensor.</param>
    /// <param name="dim">The dimension to normalise; null picks PyTorch's legacy implicit choice.</param>
    /// <param name="dtype">If given, the input is converted to this type first.</param>
    public static Tensor Softmin(Tensor input, int? dim = null, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return SoftmaxBackward0.Apply(-Cast(input, dtype).RequireFloat("softmax_lastdim_kernel_impl"), dim ?? ImplicitSoftmaxDim(input.Dim), log: false);
    }

    private static Tensor Cast(Tensor input, DType? dtype) => dtype is { } d ? input.To(d) : input;

    // torch.nn.functional._get_softmax_dim.
    private static int ImplicitSoftmaxDim(int rank) => rank is 0 or 1 or 3 ? 0 : 1;
}

