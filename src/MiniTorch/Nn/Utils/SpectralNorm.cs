using System.Numerics;
using MiniTorch.Kernels;

namespace MiniTorch.Nn.Utils;

/// <summary>
/// Spectral normalization as a parametrization, like PyTorch's
/// <c>torch.nn.utils.parametrizations._SpectralNorm</c>: maps a weight W to W/σ(W), with σ
/// estimated by the power method on the weight as a matrix. Registered by <see cref="Parametrizations.SpectralNorm"/>.
/// </summary>
/// <remarks>
/// W is viewed as a matrix Ŵ [W.size(dim), rest] (dimension <see cref="Dim"/> moved to the front,
/// the others flattened). The buffers <c>_u</c> [rows] and <c>_v</c> [cols] hold the current
/// estimates of the first left and right singular vectors. In training mode every forward first
/// runs <see cref="NPowerIterations"/> steps u ← normalize(Ŵv), v ← normalize(Ŵᵀu) (in place,
/// without recording), then returns W/σ with σ = uᵀŴv, where u and v are constants: the gradient
/// reaches W through both W and σ. In eval mode u and v are used as they are. A 1-D weight is
/// simply normalized, W/max(‖W‖, eps), with no buffers.
/// </remarks>
public sealed class SpectralNormParametrization : Module
{
    internal SpectralNormParametrization(Tensor weight, int nPowerIterations, int dim, double eps, Generator? generator, Tensor? u0 = null, Tensor? v0 = null)
    {
        weight.RequireFloat("spectral_norm");
        int ndim = weight.Dim;
        if (dim >= ndim || dim < -ndim)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension out of range (expected to be in range of [-{ndim}, {ndim - 1}] but got {dim})");
        if (nPowerIterations <= 0)
            throw new ArgumentException($"Expected n_power_iterations to be positive, but got n_power_iterations={nPowerIterations}");
        if (!(eps >= 0) || !double.IsFinite(eps)) throw new ArgumentException($"spectral_norm: eps must be finite and non-negative, got {eps}");
        Dim = dim >= 0 ? dim : dim + ndim;
        Eps = eps;
        NPowerIterations = nPowerIterations;
        if (ndim <= 1) return;
        Tensor mat;
        using (Torch.NoGrad()) mat = ToMatrix(weight).Contiguous();
        int rows = mat.Size(0), cols = mat.Size(1);
        // u is drawn before v, as PyTorch's normal_ calls are.
        var u = u0 ?? Torch.Randn([rows], generator, weight.DType);
        var v = v0 ?? Torch.Randn([cols], generator, weight.DType);
        if (u.Numel != rows || v.Numel != cols || u.DType != weight.DType || v.DType != weight.DType)
            throw new ArgumentException($"spectral_norm: initial u and v must have {rows} and {cols} elements of {weight.DType}");
        u = u.Detach().Reshape(rows).Clone();
        v = v.Detach().Reshape(cols).Clone();
        Normalize(u);
        Normalize(v);
        RegisterBuffer("_u", u);
        RegisterBuffer("_v", v);
        // Start from reasonable vectors: 15 iterations of the power method.
        PowerMethod(mat, 15);
    }

    /// <summary>The number of power-method steps per forward in training mode.</summary>
    public int NPowerIterations { get; }

    /// <summary>The dimension of the weight that becomes the matrix's rows (0, or 1 for transposed convolutions).</summary>
    public int Dim { get; }

    /// <summary>The floor of the norms in the normalizations.</summary>
    public double Eps { get; }

    /// <summary>The left singular vector estimate u [rows] (null for a 1-D weight).</summary>
    public Tensor? U => GetBuffer("_u");

    /// <summary>The right singular vector estimate v [cols] (null for a 1-D weight).</summary>
    public Tensor? V => GetBuffer("_v");

    /// <summary>W/σ(W); in training mode the power method first refines u and v.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim <= 1)
        {
            // F.normalize(W, dim=0, eps): √max(Σw², eps²) equals max(‖W‖, eps) and keeps the gradient finite at W = 0.
            return input / input.Pow(2).Sum().Clamp(min: Eps * Eps).Sqrt();
        }
        var u = U ?? throw new InvalidOperationException("spectral_norm: the weight was 1-D at registration and now has more dimensions");
        var mat = ToMatrix(input);
        if (mat.Size(0) != u.Numel || mat.Size(1) != V!.Numel)
            throw new InvalidOperationException($"spectral_norm: the weight's matrix is {mat.Size(0)}x{mat.Size(1)}, but u and v were made for {u.Numel}x{V!.Numel}");
        if (Training)
            using (Torch.NoGrad()) PowerMethod(mat.Detach().Contiguous(), NPowerIterations);
        // u and v are cloned, as in PyTorch, so that the next in-place update cannot change what this graph saved.
        var uc = U!.Detach().Clone();
        var vc = V!.Detach().Clone();
        var sigma = (uc * mat.MatMul(vc.Unsqueeze(1)).Reshape(uc.Numel)).Sum();
        return input / sigma;
    }

    private Tensor ToMatrix(Tensor weight)
    {
        if (Dim != 0)
        {
            var order = new int[weight.Dim];
            order[0] = Dim;
            for (int d = 0, k = 1; d < weight.Dim; d++) if (d != Dim) order[k++] = d;
            weight = weight.Permute(order);
        }
        return weight.Reshape(weight.Size(0), -1);
    }

    private void PowerMethod(Tensor mat, int iterations)
    {
        var (u, v) = (U!, V!);
        if (!u.IsContiguous || !v.IsContiguous) throw new InvalidOperationException("spectral_norm: u and v must be contiguous");
        if (mat.DType == DType.Float32) Run<float>(mat, u, v, iterations, (float)Eps);
        else Run<double>(mat, u, v, iterations, Eps);
        u.Storage.BumpVersion();   // u and v were updated in place (PyTorch's mv(out=_u)): count the writes
        v.Storage.BumpVersion();
    }

    private static void Run<T>(Tensor mat, Tensor u, Tensor v, int iterations, T eps) where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T> =>
        PowerIteration.Run(mat.Span<T>(), mat.Size(0), mat.Size(1), u.Span<T>(), v.Span<T>(), iterations, eps);

    private void Normalize(Tensor x)
    {
        if (x.DType == DType.Float32) PowerIteration.Normalize(x.Span<float>(), (float)Eps);
        else PowerIteration.Normalize(x.Span<double>(), Eps);
        x.Storage.BumpVersion();
    }

    /// <inheritdoc />
    public override string ToString() => "_SpectralNorm()";
}

/// <summary>Ready-made parametrizations, like <c>torch.nn.utils.parametrizations</c>.</summary>
public static partial class Parametrizations
{
    /// <summary>
    /// Applies spectral normalization to the tensor <paramref name="name"/> of <paramref name="module"/>,
    /// like <c>torch.nn.utils.parametrizations.spectral_norm</c> (Miyato et al. 2018): the layer then
    /// uses W/σ(W), whose largest singular value is about 1, which bounds the layer's Lipschitz constant.
    /// </summary>
    /// <remarks>
    /// W_SN = W/σ(W), σ(W) = max over h ≠ 0 of ‖Wh‖₂/‖h‖₂, estimated as uᵀŴv by the power method
    /// (see <see cref="SpectralNormParametrization"/>). At registration u and v are drawn from N(0, 1)
    /// with <paramref name="generator"/>, normalized, and refined by 15 power-method steps; then the
    /// registration check evaluates the weight once, which in training mode is one more step, as in
    /// PyTorch. The state dict keys are PyTorch's: <c>parametrizations.weight.original</c>,
    /// <c>parametrizations.weight.0._u</c>, <c>parametrizations.weight.0._v</c>. Initialise the
    /// weight before this call: afterwards <c>Weight</c> is computed, and writing into it changes nothing.
    /// </remarks>
    /// <param name="module">The layer, for example a <see cref="Conv2d"/>.</param>
    /// <param name="name">The parameter to normalize.</param>
    /// <param name="nPowerIterations">Power-method steps per training-mode forward (positive).</param>
    /// <param name="eps">The floor of the norms in the normalizations.</param>
    /// <param name="dim">The dimension that becomes the matrix's rows: by default 1 for transposed convolutions (<see cref="ConvTranspose1d"/>, <see cref="ConvTranspose2d"/>, <see cref="ConvTranspose3d"/>: their output channels), else 0.</param>
    /// <param name="generator">The source of the initial u and v (the default generator if null).</param>
    /// <returns><paramref name="module"/>.</returns>
    public static TModule SpectralNorm<TModule>(TModule module, string name = "weight", int nPowerIterations = 1, double eps = 1e-12, int? dim = null, Generator? generator = null)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(module);
        var weight = Weight(module, name);
        var sn = new SpectralNormParametrization(weight, nPowerIterations, dim ?? DefaultDim(module), eps, generator);
        Parametrize.RegisterParametrization(module, name, sn);
        return module;
    }

    /// <summary>SpectralNorm from given initial u and v (before their normalization and the 15 steps), for tests against PyTorch.</summary>
    internal static TModule SpectralNormFrom<TModule>(TModule module, Tensor u0, Tensor v0, string name = "weight", int nPowerIterations = 1, double eps = 1e-12, int? dim = null)
        where TModule : Module
    {
        var weight = Weight(module, name);
        var sn = new SpectralNormParametrization(weight, nPowerIterations, dim ?? DefaultDim(module), eps, null, u0, v0);
        Parametrize.RegisterParametrization(module, name, sn);
        return module;
    }

    // PyTorch's choice: a transposed convolution's weight is [in, out/groups, …], so its output channels are dim 1.
    private static int DefaultDim(Module module) => module is ConvTranspose1d or ConvTranspose2d or ConvTranspose3d ? 1 : 0;

    private static Tensor Weight(Module module, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Parametrize.IsParametrized(module, name)) return Parametrize.GetParametrizations(module, name).Value();
        foreach (var (n, p) in module.DirectParameters()) if (n == name) return p;
        foreach (var (n, b) in module.DirectBuffers()) if (n == name) return b;
        throw new ArgumentException($"Module '{module.GetType().Name}' has no parameter or buffer with name '{name}'");
    }
}
