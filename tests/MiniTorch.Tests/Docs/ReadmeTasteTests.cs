using MiniTorch.Nn;

namespace MiniTorch.Tests.Docs;

/// <summary>The README's "taste of the API" runs and says what the README claims.</summary>
public class ReadmeTasteTests
{
    [Fact]
    public void ReadmeTaste_RunsAndPrintsAsClaimed()
    {
        var x = Torch.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3).RequiresGrad_();
        var w = Torch.Linspace(0.1, 4.8, 48, DType.Float64).Reshape(1, 3, 4, 4).RequiresGrad_();
        var y = F.ConvTranspose2d(x, w, stride: 1, padding: 0);
        Assert.Equal(new[] { 1, 3, 5, 6 }, y.Shape);
        var text = y.ToString();
        Assert.StartsWith("tensor([[[[ 0.1000,  0.4000,", text);
        Assert.EndsWith("dtype=torch.float64, grad_fn=<ConvolutionBackward0>)", text);

        var loss = y.Pow(2).Mean();
        loss.Backward();
        // x.Grad is the Conv2d of the upstream gradient dloss/dy = 2y/numel, with the same weight.
        Tensor expected;
        using (Torch.NoGrad()) expected = F.Conv2d(y.Detach() * (2.0 / y.Numel), w.Detach());
        var got = x.Grad!.ToDoubleArray();
        var want = expected.ToDoubleArray();
        for (int i = 0; i < got.Length; i++) Assert.Equal(want[i], got[i], 1e-12);

        var g = Torch.Grad((x * x).Sum(), x, createGraph: true);
        Assert.Equal(new[] { 2.0, 4, 6, 8, 10, 12 }, g.ToDoubleArray());
        Assert.True(g.RequiresGrad);
        using (Torch.NoGrad()) Assert.False((y * 2).RequiresGrad);
    }
}
