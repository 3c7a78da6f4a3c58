using MiniTorch.Nn;

namespace MiniTorch.Tests.Nn;

/// <summary>Outputs and gradients are bitwise identical for any number of threads.</summary>
public class ConvDeterminismTests
{
    private static float[][] Run(int threads)
    {
        int saved = Torch.GetNumThreads();
        try
        {
            Torch.SetNumThreads(threads);
            var g = new Generator(42);
            // 24 images so the weight gradient's batch sum splits into several fixed chunks.
            var x = Torch.Randn([24, 6, 33, 31], g).RequiresGrad_();   // large enough to run on several threads
            var w = Torch.Randn([8, 3, 3, 3], g).RequiresGrad_();
            var b = Torch.Randn([8], g).RequiresGrad_();
            var wt = Torch.Randn([8, 5, 4, 4], g).RequiresGrad_();
            var y = F.Conv2d(x, w, b, stride: 2, padding: 1, groups: 2);
            var t = F.ConvTranspose2d(y, wt, stride: 2, padding: 1, outputPadding: 1);
            var loss = (t * t).Sum();
            loss.Backward();
            return [y.ToArray(), t.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), wt.Grad!.ToArray()];
        }
        finally { Torch.SetNumThreads(saved); }
    }

    [Fact]
    public void Conv2dAndConvTranspose2d_OutputsAndGradients_BitwiseEqualFor1To3Threads()
    {
        var one = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var other = Run(threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], other[i]);
        }
    }
}
