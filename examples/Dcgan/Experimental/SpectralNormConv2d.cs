using MiniTorch;
using MiniTorch.Nn;

namespace Dcgan.Experimental;

/// <summary>
/// PROTOTYPE, private to the example until MiniTorch's spectral normalization lands (issue 12,
/// library half); then this file is deleted. A Conv2d whose weight is divided by its largest
/// singular value, estimated by one power iteration per training forward (Miyato et al., 2018),
/// as <c>torch.nn.utils.parametrizations.spectral_norm</c> does: W_sn = W / σ, σ = uᵀ W v with
/// u and v treated as constants.
/// </summary>
public sealed class SpectralNormConv2d : Module
{
    private readonly int _stride, _padding;

    /// <summary>Builds the layer; the initial weight is N(0, <paramref name="std"/>) from <paramref name="generator"/>.</summary>
    public SpectralNormConv2d(int inChannels, int outChannels, int kernel, int stride, int padding, bool bias, Generator generator, double std = 0.02)
    {
        (_stride, _padding) = (stride, padding);
        var w = Torch.Zeros([outChannels, inChannels, kernel, kernel]);
        Init.Normal(w, 0, std, generator);
        RegisterParameter("weight_orig", w);
        RegisterParameter("bias", bias ? Torch.Zeros([outChannels]) : null);
        var u = Torch.Randn([outChannels], generator);
        RegisterBuffer("u", Normalize(u.ToArray()));
        RegisterBuffer("v", Torch.Zeros([inChannels * kernel * kernel]));
        // As PyTorch: 15 power iterations at registration.
        PowerIteration(15);
    }

    private Tensor WeightOrig => GetParameter("weight_orig")!;

    private static Tensor Normalize(float[] x)
    {
        double n = 0;
        foreach (var e in x) n += (double)e * e;
        n = Math.Max(Math.Sqrt(n), 1e-12);
        return Torch.FromArray(x.Select(e => (float)(e / n)).ToArray(), x.Length);
    }

    private void PowerIteration(int iterations)
    {
        using var _ = Torch.NoGrad();
        var w = WeightOrig.Reshape(WeightOrig.Size(0), -1);
        var u = GetBuffer("u")!;
        var v = GetBuffer("v")!;
        for (int i = 0; i < iterations; i++)
        {
            var nv = Normalize(w.T.MatMul(u.Reshape(-1, 1)).Reshape(-1).ToArray());
            var nu = Normalize(w.MatMul(nv.Reshape(-1, 1)).Reshape(-1).ToArray());
            v.CopyFrom(nv);
            u.CopyFrom(nu);
        }
    }

    /// <summary>The normalized weight W / σ (differentiable in W).</summary>
    public Tensor Weight()
    {
        if (Training) PowerIteration(1);
        var w = WeightOrig;
        var w2 = w.Reshape(w.Size(0), -1);
        var u = GetBuffer("u")!.Detach().Reshape(1, -1);
        var v = GetBuffer("v")!.Detach().Reshape(-1, 1);
        var sigma = u.MatMul(w2.MatMul(v)).Reshape([]);
        return w / sigma;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => F.Conv2d(input, Weight(), GetParameter("bias"), _stride, _padding);
}
