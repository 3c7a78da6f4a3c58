using MiniTorch.Autograd;
using MiniTorch.Kernels;

namespace MiniTorch.Functions;

/// <summary>
/// Batch normalisation over every dimension but 1, as one primitive (PyTorch's
/// <c>native_batch_norm</c>): per-channel statistics and an affine map in one kernel pass, channel by channel.
/// </summary>
/// <remarks>
/// y = (x − μ)·invstd·γ + β with invstd = 1/√(σ² + eps), computed as y = x·α + β′ with
/// α = invstd·γ, β′ = β − μ·α. With batch statistics the backward is
/// ∂x = invstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = g·γ and x̂ = (x − μ)·invstd; ∂γ = Σ g·x̂; ∂β = Σ g.
/// When the backward is itself recorded (create_graph) it is written in differentiable tensor
/// operations — the composite <see cref="Nn.F.BatchNormComposite"/> formulas — so gradients of
/// gradients work; otherwise it runs as one kernel pass.
/// <para>
/// An activation that follows (ReLU, or leaky ReLU with a slope ≥ 0; see <see cref="BatchNormActivation"/>)
/// can run inside the same op: z = act(y) is computed while each row of y is in cache, and the
/// backward makes act's gradient row by row from z. The result is bitwise that of the two separate
/// ops; the node then shows the activation's grad_fn name, as the output of PyTorch's two ops would.
/// </para>
/// </remarks>
internal sealed class NativeBatchNormBackward0 : Function
{
    private SavedTensor _x = null!;
    private SavedTensor? _w;
    private bool _hasWeight, _hasBias, _batchStats;
    private double _eps;
    private double[] _mean = [], _invstd = [];
    private BatchNormActivation _activation;
    private SavedTensor? _z;
    public override string Name => _activation.Kind switch
    {
        BatchNormActivationKind.Relu => "ReluBackward0",
        BatchNormActivationKind.LeakyRelu => "LeakyReluBackward0",
        _ => "NativeBatchNormBackward0",
    };

    public static Tensor Apply(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, bool training, double momentum, double eps,
                               BatchNormActivation activation = default)
    {
        var shape = x.ShapeRef;
        int n = shape[0], c = shape[1], inner = Shape.Numel(shape[2..]);
        var xd = x.Detach().Contiguous();
        var mean = new double[c];
        var invstd = new double[c];
        var w = weight?.ToDoubleArray();
        var b = bias?.ToDoubleArray();
        var y = Map.Output(shape, x.DType);
        if (training)
        {
            // Statistics, α and β, and the affine map in one kernel pass, channel by channel.
            var sq = new double[c];
            if (xd.DType == DType.Float32)
                BatchNormKernels.Forward(xd.Span<float>(), n, c, inner, eps, w, b, mean, sq, invstd, y.Span<float>(), activation.For<float>());
            else
                BatchNormKernels.Forward(xd.Span<double>(), n, c, inner, eps, w, b, mean, sq, invstd, y.Span<double>(), activation.For<double>());
            double count = (double)n * inner;
            // Running statistics: r ← (1 − momentum)·r + momentum·s, with the unbiased variance.
            if (runningMean is not null)
            {
                var r = runningMean.ToDoubleArray();
                for (int i = 0; i < c; i++) r[i] = momentum * mean[i] + (1 - momentum) * r[i];
                runningMean.CopyFrom(Torch.FromArray(r, [c]));
            }
            if (runningVar is not null)
            {
                var r = runningVar.ToDoubleArray();
                for (int i = 0; i < c; i++) r[i] = momentum * (sq[i] / (count - 1)) + (1 - momentum) * r[i];
                runningVar.CopyFrom(Torch.FromArray(r, [c]));
            }
        }
        else
        {
            mean = runningMean!.ToDoubleArray();
            var v = runningVar!.ToDoubleArray();
            for (int i = 0; i < c; i++) invstd[i] = 1 / Math.Sqrt(v[i] + eps);
            var alpha = new double[c];
            var beta = new double[c];
            for (int i = 0; i < c; i++) (alpha[i], beta[i]) = BatchNormKernels.AffineScalars(mean[i], invstd[i], w, b, i);
            if (x.DType == DType.Float32)
                BatchNormKernels.Affine(xd.Span<float>(), n, c, inner, Array.ConvertAll(alpha, v => (float)v), Array.ConvertAll(beta, v => (float)v), y.Span<float>(),
                                        activation.For<float>());
            else
                BatchNormKernels.Affine(xd.Span<double>(), n, c, inner, alpha, beta, y.Span<double>(), activation.For<double>());
        }

        var fn = new NativeBatchNormBackward0
        {
            _hasWeight = weight is not null, _hasBias = bias is not null,
            _batchStats = training, _eps = eps, _mean = mean, _invstd = invstd,
            _activation = activation,
        };
        // The fused activation's output is this op's own output: saved, so a write to it is caught.
        if (activation.Kind != BatchNormActivationKind.None) fn._z = fn.SaveOutput(y);
        fn._x = fn.Save(x);
        if (weight is not null) fn._w = fn.Save(weight);
        var inputs = new List<Tensor> { x };
        if (weight is not null) inputs.Add(weight);
        if (bias is not null) inputs.Add(bias);
        return fn.Record(y, [.. inputs]);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var (gx, gw, gb) = GradMode.IsEnabled ? Differentiable(g) : Fast(g);
        var result = new List<Tensor?> { NeedsGrad(0) ? gx : null };
        if (_hasWeight) result.Add(NeedsGrad(1) ? gw.To(_w!.Value.DType) : null);
        if (_hasBias) result.Add(NeedsGrad(result.Count) ? gb.To(Inputs[result.Count].DType) : null);
        return [.. result];
    }

    /// <summary>The backward as one kernel pass over constants (no graph is being recorded).</summary>
    private (Tensor, Tensor, Tensor) Fast(Tensor g)
    {
        var x = _x.Value;
        var shape = x.ShapeRef;
        int n = shape[0], c = shape[1], inner = Shape.Numel(shape[2..]);
        var xd = x.Detach().Contiguous();
        var gd = g.Detach().Contiguous();
        var sumG = new double[c];
        var dot = new double[c];
        var w = _w?.Value.ToDoubleArray();
        var gx = Map.Output(shape, x.DType);
        // The sums, the per-channel scalars and the input gradient in one kernel pass, channel by channel.
        if (xd.DType == DType.Float32)
            BatchNormKernels.Backward(xd.Span<float>(), gd.Span<float>(), n, c, inner, _batchStats, _mean, _invstd, w, sumG, dot, gx.Span<float>(),
                                      _activation.For<float>(), Z<float>());
        else
            BatchNormKernels.Backward(xd.Span<double>(), gd.Span<double>(), n, c, inner, _batchStats, _mean, _invstd, w, sumG, dot, gx.Span<double>(),
                                      _activation.For<double>(), Z<double>());
        var gwv = new double[c];
        for (int i = 0; i < c; i++) gwv[i] = dot[i] * _invstd[i];
        return (gx, Torch.FromDoubles(gwv, [c], x.DType), Torch.FromDoubles(sumG, [c], x.DType));
    }

    /// <summary>The fused activation's output (the op's own output, contiguous), or empty.</summary>
    private ReadOnlySpan<T> Z<T>() where T : unmanaged => _z is null ? default : _z.Value.Span<T>();

    /// <summary>The same gradients in differentiable tensor operations, for create_graph.</summary>
    private (Tensor, Tensor, Tensor) Differentiable(Tensor g)
    {
        // The fused activation's own backward first, as the separate op records it.
        if (_activation.Kind == BatchNormActivationKind.Relu) g = LeakyReluGrad.Apply(g, _z!.Value, 0, "ThresholdBackwardBackward0");
        else if (_activation.Kind == BatchNormActivationKind.LeakyRelu) g = LeakyReluGrad.Apply(g, _z!.Value, _activation.Slope, "LeakyReluBackwardBackward0");
        var x = _x.Value;
        int c = x.ShapeRef[1];
        var bshape = Enumerable.Repeat(1, x.Dim).ToArray();
        bshape[1] = c;
        var dims = Enumerable.Range(0, x.Dim).Where(d => d != 1).ToArray();
        var gHat = _w is null ? g : g * _w.Value.Reshape(bshape);
        Tensor xHat, gx;
        if (_batchStats)
        {
            var centered = x - x.Mean(dims, keepdim: true);
            var invstd = 1 / ((centered * centered).Mean(dims, keepdim: true) + _eps).Sqrt();
            xHat = centered * invstd;
            gx = invstd * (gHat - gHat.Mean(dims, keepdim: true) - xHat * (gHat * xHat).Mean(dims, keepdim: true));
        }
        else
        {
            // Running statistics are constants of the graph.
            var mean = Torch.FromDoubles(_mean, bshape, x.DType);
            var invstd = Torch.FromDoubles(_invstd, bshape, x.DType);
            xHat = (x - mean) * invstd;
            gx = gHat * invstd;
        }
        return (gx, (g * xHat).Sum(dims), g.Sum(dims));
    }
}

/// <summary>Which activation <see cref="NativeBatchNormBackward0"/> fuses after the batch norm.</summary>
internal enum BatchNormActivationKind { None, Relu, LeakyRelu }

/// <summary>The activation fused into a batch norm: ReLU, or leaky ReLU with <paramref name="Slope"/> ≥ 0.</summary>
internal readonly record struct BatchNormActivation(BatchNormActivationKind Kind, double Slope)
{
    /// <summary>The kernels' form, the slope rounded to the element type as the separate op does.</summary>
    public RowActivation<T> For<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Kind switch
    {
        BatchNormActivationKind.Relu => RowActivation<T>.Relu,
        BatchNormActivationKind.LeakyRelu => RowActivation<T>.LeakyRelu(T.CreateChecked(Slope)),
        _ => default,
    };
}
