using MiniTorch.Nn;

namespace MiniTorch.Tests.Kernels;

/// <summary>The batch-norm kernels split channels over threads: forward and backward must be bitwise the same for 1, 2 and 3 threads.</summary>
public class BatchNormKernelsTests
{
    private static float[][] Run(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(21);
            // Big enough (2·N·C·HW ≥ 2^20) that the kernels do go parallel.
            var x = (Torch.Randn([16, 24, 48, 48], g) * 3 + 1).RequiresGrad_();
            var w = Torch.Randn([24], g).RequiresGrad_();
            var b = Torch.Randn([24], g).RequiresGrad_();
            var rm = Torch.Zeros([24]);
            var rv = Torch.Ones([24]);
            var y = F.BatchNorm(x, rm, rv, w, b, training: true);
            var upstream = Torch.Randn([16, 24, 48, 48], g);
            (y * upstream).Sum().Backward();
            return [y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), rm.ToArray(), rv.ToArray()];
        }
        finally { Torch.SetNumThreads(saved); }
    }

    // DCGAN's last layers: 4×4 planes, many channels, batch norm fused with leaky ReLU (Sequential fuses them):
    // the rows' calls, not the elements, make these passes long enough to split over threads.
    private static float[][] RunSmallPlanes(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(22);
            var bn = new BatchNorm2d(256);
            bn.Weight!.CopyFrom(Torch.Randn([256], g));
            bn.Bias!.CopyFrom(Torch.Randn([256], g));
            var seq = new Sequential(bn, new LeakyReLU(0.2));
            var x = (Torch.Randn([64, 256, 4, 4], g) * 2 - 0.5).RequiresGrad_();
            var y = seq.Forward(x);
            (y * Torch.Randn([64, 256, 4, 4], g)).Sum().Backward();
            return [y.ToArray(), x.Grad!.ToArray(), bn.Weight!.Grad!.ToArray(), bn.Bias!.Grad!.ToArray(), bn.RunningMean!.ToArray(), bn.RunningVar!.ToArray()];
        }
        finally { Torch.SetNumThreads(saved); }
    }

    private static void AssertSameFor1To3Threads(Func<int, float[][]> run)
    {
        var one = run(1);
        for (int threads = 2; threads <= 3; threads++)
        {
            var other = run(threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], other[i]);
        }
    }

    [Fact]
    public void BatchNorm_SmallPlanesFusedWithLeakyRelu_BitwiseEqualFor1To3Threads() => AssertSameFor1To3Threads(RunSmallPlanes);

    [Fact]
    public void BatchNorm_ForwardAndBackward_BitwiseEqualFor1To3Threads() => AssertSameFor1To3Threads(Run);
}
