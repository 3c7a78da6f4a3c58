namespace MiniTorch.Autograd;

/// <summary>
/// Numerical gradient checks with the semantics of <c>torch.autograd.gradcheck</c> and
/// <c>gradgradcheck</c>: central differences in float64 compared with the analytic
/// vector-Jacobian products, elementwise, with |analytic − numeric| ≤ atol + rtol·|numeric|.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks the gradient of <paramref name="f"/> with respect to every input that requires a
    /// gradient. Throws <see cref="GradCheckException"/> naming the input, the element and both
    /// values on the first mismatch; returns true otherwise.
    /// </summary>
    public static bool Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        Argument.NoNullElements(inputs);
        foreach (var x in inputs)
            if (x.RequiresGrad && x.DType != DType.Float64)
                throw new ArgumentException("gradcheck expects float64 inputs that require grad (float32 is too imprecise for central differences)");
        var output = f(inputs);
        int outN = output.Numel;
        var diff = Array.FindAll(inputs, x => x.RequiresGrad);
        if (diff.Length == 0) throw new ArgumentException("gradcheck expects at least one input tensor to require gradient");
        if (!output.RequiresGrad) throw new ArgumentException("gradcheck: the output does not depend on any input that requires grad");

        // Analytic Jacobian, one row per output element (reverse mode with unit vectors).
        var analytic = new double[diff.Length][,];
        for (int k = 0; k < diff.Length; k++) analytic[k] = new double[diff[k].Numel, outN];
        for (int j = 0; j < outN; j++)
        {
            var unit = new double[outN];
            unit[j] = 1;
            var grads = Torch.Grad([f(inputs)], diff, [Torch.FromArray(unit, output.ShapeRef).To(output.DType)], allowUnused: true);
            for (int k = 0; k < diff.Length; k++)
            {
                if (grads[k] is not { } g) continue;
                var v = g.ToDoubleArray();
                for (int i = 0; i < v.Length; i++) analytic[k][i, j] = v[i];
            }
        }

        // Numerical Jacobian by central differences, perturbing each element in place.
        for (int k = 0; k < diff.Length; k++)
        {
            var x = diff[k];
            var data = x.Contiguous();
            if (!ReferenceEquals(data, x)) throw new ArgumentException($"gradcheck: input {Array.IndexOf(inputs, x)} must be contiguous");
            var span = x.Data<double>();
            for (int i = 0; i < x.Numel; i++)
            {
                int at = x.Offset + i;
                double orig = span[at];
                double[] plus, minus;
                using (Torch.NoGrad())
                {
                    span[at] = orig + eps; plus = f(inputs).ToDoubleArray();
                    span[at] = orig - eps; minus = f(inputs).ToDoubleArray();
                }
                span[at] = orig;
                for (int j = 0; j < outN; j++)
                {
                    double numeric = (plus[j] - minus[j]) / (2 * eps);
                    double a = analytic[k][i, j];
                    if (!(Math.Abs(a - numeric) <= atol + rtol * Math.Abs(numeric)))
                        throw new GradCheckException(
                            $"Jacobian mismatch for output 0 with respect to input {Array.IndexOf(inputs, x)} (shape {Shape.Format(x.ShapeRef)}), " +
                            $"element {i} of the input and {j} of the output:\nnumerical: {numeric:R}\nanalytical: {a:R}");
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Checks second derivatives, like <c>gradgradcheck</c>: with random upstream gradients v
    /// (which also require grad), the map (inputs, v) ↦ vᵀ·J(inputs) built with
    /// <c>createGraph: true</c> must itself pass <see cref="Check"/>.
    /// </summary>
    public static bool GradGradCheck(Func<Tensor[], Tensor> f, Tensor[] inputs, Generator? generator = null,
                                     double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        var output = f(inputs);
        var v = Torch.Randn(output.ShapeRef, generator ?? new Generator(1234), DType.Float64).RequiresGrad_();
        var diff = Array.FindAll(inputs, x => x.RequiresGrad);
        Tensor FirstOrder(Tensor[] all)
        {
            var ins = all[..^1];
            // Check evaluates this function under NoGrad for its central differences; the inner
            // backward still has to build a graph to produce a gradient at all.
            using var enable = Torch.EnableGrad();
            var grads = Torch.Grad([f(ins)], Array.FindAll(ins, x => x.RequiresGrad), [all[^1]], createGraph: true, allowUnused: true);
            var parts = new List<Tensor>();
            for (int k = 0; k < grads.Length; k++)
                parts.Add(grads[k] is { } g ? g.Reshape(-1) : Torch.Zeros([diff[k].Numel], DType.Float64));
            return Torch.Cat([.. parts]);
        }
        return Check(FirstOrder, [.. inputs, v], eps, atol, rtol);
    }
}

/// <summary>Thrown when an analytic gradient disagrees with its numerical estimate.</summary>
public sealed class GradCheckException(string? message) : Exception(message);
