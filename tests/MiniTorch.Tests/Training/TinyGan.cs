using MiniTorch.Nn;
using MiniTorch.Optim;

namespace MiniTorch.Tests.Training;

/// <summary>
/// A DCGAN in miniature (the layers and the step of examples/Dcgan at toy sizes): G is ConvTranspose →
/// BatchNorm → ReLU → ConvTranspose → Tanh, D is Conv → LeakyReLU → Conv → BatchNorm → LeakyReLU →
/// Conv; BCE with logits and Adam. The memory and fused-op tests compare its parameters after a few
/// steps, bit for bit, between ways of running the same step.
/// </summary>
internal sealed class TinyGan
{
    public const int Batch = 4, Nz = 6;
    public readonly Sequential G, D;
    public readonly Adam OptG, OptD;
    private readonly Generator _noise;

    /// <summary>The batch of "real" images (replace it to feed another).</summary>
    public Tensor Real { get; set; }

    public TinyGan(int seed = 5, DType dtype = DType.Float32)
    {
        var init = new Generator(seed);
        G = new Sequential(
            new ConvTranspose2d(Nz, 8, 4, stride: 1, padding: 0, bias: false, generator: init),
            new BatchNorm2d(8),
            new ReLU(),
            new ConvTranspose2d(8, 3, 4, stride: 2, padding: 1, bias: false, generator: init),
            new Tanh());
        D = new Sequential(
            new Conv2d(3, 8, 4, stride: 2, padding: 1, bias: false, generator: init),
            new LeakyReLU(0.2),
            new Conv2d(8, 16, 3, stride: 1, padding: 1, bias: false, generator: init),
            new BatchNorm2d(16),
            new LeakyReLU(0.2),
            new Conv2d(16, 1, 4, stride: 1, padding: 0, bias: false, generator: init));
        G.To(dtype);
        D.To(dtype);
        OptG = new Adam(G.Parameters(), lr: 2e-3, betas: (0.5, 0.999));
        OptD = new Adam(D.Parameters(), lr: 2e-3, betas: (0.5, 0.999));
        _noise = new Generator(seed + 1);
        Real = Torch.Randn([Batch, 3, 8, 8], new Generator(seed + 2), dtype).Tanh();
    }

    /// <summary>One step: D on real and detached fake, then G through D. Returns the two losses.</summary>
    public (double LossD, double LossG) Step() => Step(Torch.Randn([Batch, Nz, 1, 1], _noise, Real.DType));

    /// <summary>One step with the given noise.</summary>
    public (double LossD, double LossG) Step(Tensor z)
    {
        var fake = G.Forward(z);
        OptD.ZeroGrad();
        var lossD = Bce(D.Forward(Real).Reshape(-1), 1) + Bce(D.Forward(fake.Detach()).Reshape(-1), 0);
        lossD.Backward();
        OptD.Step();
        OptG.ZeroGrad();
        var lossG = Bce(D.Forward(fake).Reshape(-1), 1);
        lossG.Backward();
        OptG.Step();
        return (lossD.Item(), lossG.Item());
    }

    private static Tensor Bce(Tensor logits, double target) =>
        F.BinaryCrossEntropyWithLogits(logits, Torch.Full(logits.Shape, target, logits.DType));

    /// <summary>Every parameter and buffer of both networks, flattened, as doubles.</summary>
    public double[] State() =>
        G.StateDict().Values.Concat(D.StateDict().Values).SelectMany(t => t.ToDoubleArray()).ToArray();
}
