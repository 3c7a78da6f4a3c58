using MiniTorch.Nn;
using MiniTorch.Tests.Functions;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Nn;

/// <summary>Embedding, LayerNorm, GroupNorm, InstanceNorm, BatchNorm on 2-/3-/5-d inputs, PixelShuffle/Unshuffle against PyTorch (Golden/Everyday/gen_layers.py).</summary>
public class LayerGoldenTests
{
    private static readonly Dictionary<string, Func<Case, Tensor[]>> Ops = new()
    {
        ["embedding"] = c => [F.Embedding(c[0], c[1])],
        ["embedding_pad"] = c => [F.Embedding(c[0], c[1], paddingIdx: c.Int("padding_idx"))],
        ["embedding_freq"] = c => [F.Embedding(c[0], c[1], scaleGradByFreq: true)],
        ["embedding_maxnorm"] = c => [F.Embedding(c[0], c[1], maxNorm: c.Double("max_norm"), normType: c.Double("norm_type")), c[1]],
        ["layer_norm"] = c => [F.LayerNorm(c[0], c.Ints("shape"), c[1], c[2], c.Double("eps"))],
        ["layer_norm_plain"] = c => [F.LayerNorm(c[0], c.Ints("shape"), eps: c.Double("eps"))],
        ["group_norm"] = c => [F.GroupNorm(c[0], c.Int("groups"), c[1], c[2], c.Double("eps"))],
        ["group_norm_plain"] = c => [F.GroupNorm(c[0], c.Int("groups"), eps: c.Double("eps"))],
        ["instance_norm"] = c => [F.InstanceNorm(c[0], c[1], c[2], c[3], c[4], c.Bool("use_input_stats"), c.Double("momentum")), c[1], c[2]],
        ["instance_norm_plain"] = c => [F.InstanceNorm(c[0])],
        ["batch_norm"] = c => [F.BatchNorm(c[0], c[1], c[2], c[3], c[4], c.Bool("training")), c[1], c[2]],
        ["pixel_shuffle"] = c => [F.PixelShuffle(c[0], c.Int("r"))],
        ["pixel_unshuffle"] = c => [F.PixelUnshuffle(c[0], c.Int("r"))],
    };

    [Fact]
    public void Layers_EveryCase_MatchesPyTorch() => Assert.Equal(84, OpGolden.Run("layers.json", Ops));

    [Fact]
    public void NormsEmbeddingPixelShuffle_PassGradCheckAndGradGradCheck()
    {
        var g = new Generator(31);
        var x = Torch.Randn([2, 4, 3], g, DType.Float64);
        var w4 = Torch.Randn([4], g, DType.Float64);
        var w3 = Torch.Randn([3], g, DType.Float64);
        LayoutGrad.Check(t => F.LayerNorm(t[0], [3], t[1], t[2]), true, x, w3, w3 * 0.5);
        LayoutGrad.Check(t => F.GroupNorm(t[0], 2, t[1], t[2]), true, x, w4, w4 * 0.5);
        LayoutGrad.Check(t => F.InstanceNorm(t[0], weight: t[1], bias: t[2]), true, x, w4, w4 * 0.5);
        var ids = Torch.FromArray(new long[] { 1, 3, 3, 0, 2, 1 }, 2, 3);
        // (padding_idx and scale_grad_by_freq deliberately alter the gradient, so only the plain lookup is a true derivative; the goldens cover the others.)
        LayoutGrad.Check(t => F.Embedding(ids, t[0]), true, Torch.Randn([4, 3], g, DType.Float64));
        LayoutGrad.Check(t => F.PixelShuffle(t[0], 2), true, Torch.Randn([1, 8, 2, 3], g, DType.Float64));
        LayoutGrad.Check(t => F.PixelUnshuffle(t[0], 2), true, Torch.Randn([1, 2, 4, 2], g, DType.Float64));
    }

    [Fact]
    public void PixelUnshuffle_InvertsPixelShuffle()
    {
        var x = Torch.Randn([2, 18, 3, 4], new Generator(4));
        Assert.Equal(x.ToArray(), F.PixelUnshuffle(F.PixelShuffle(x, 3), 3).ToArray());
    }

    [Fact]
    public void EmbeddingModule_PaddingRowStartsZero_GetsNoGradient_AndLoadsPretrained()
    {
        var e = new Embedding(5, 3, paddingIdx: -1, generator: new Generator(2));
        Assert.Equal(4, e.PaddingIdx);
        Assert.All(e.Weight[4].ToArray(), v => Assert.Equal(0f, v));
        var y = e.Forward(Torch.FromArray(new long[] { 4, 1, 4 }, 3));
        y.Sum().Backward();
        Assert.Equal(new float[] { 0, 0, 0 }, e.Weight.Grad![4].ToArray());
        Assert.Equal(new float[] { 1, 1, 1 }, e.Weight.Grad![1].ToArray());
        Assert.Equal("Embedding(5, 3, padding_idx=4)", e.ToString());
        var pre = Embedding.FromPretrained(Torch.Ones([2, 2]));
        Assert.False(pre.Weight.RequiresGrad);
        Assert.Throws<NotSupportedException>(() => new Embedding(3, 2, sparse: true));
        Assert.Contains("Padding_idx must be within num_embeddings", Assert.Throws<ArgumentException>(() => new Embedding(3, 2, paddingIdx: 3)).Message);
    }

    [Fact]
    public void NormModules_MatchTheFunctions_AndCheckTheirInputs()
    {
        var g = new Generator(8);
        var x = Torch.Randn([4, 3, 5], g);
        var bn1 = new BatchNorm1d(3);
        Assert.Equal(F.BatchNorm(x, null, null, training: true).ToArray(), bn1.Forward(x).ToArray());
        Assert.Equal(1.0, bn1.NumBatchesTracked!.Item());
        Assert.Contains("expected 2D or 3D input (got 4D input)", Assert.Throws<ArgumentException>(() => bn1.Forward(x.Unsqueeze(0))).Message);
        Assert.Contains("expected 5D input (got 3D input)", Assert.Throws<ArgumentException>(() => new BatchNorm3d(3).Forward(x)).Message);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], new BatchNorm3d(2).StateDict().Keys);

        var inorm = new InstanceNorm1d(3, affine: true, trackRunningStats: true);
        var y = inorm.Forward(x);
        Assert.Equal(F.InstanceNorm(x).ToArray(), y.ToArray());
        Assert.NotEqual(0f, inorm.RunningMean!.ToArray()[0]);
        inorm.Eval();
        var e = inorm.Forward(x[0]); // unbatched [C, L]
        Assert.Equal([3, 5], e.Shape);
        Assert.Contains("expected 2D or 3D input", Assert.Throws<ArgumentException>(() => new InstanceNorm1d(3).Forward(x.Unsqueeze(0))).Message);
        Assert.Equal("InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)", new InstanceNorm2d(3).ToString());
        Assert.Equal("LayerNorm((5,), eps=1e-05, elementwise_affine=True)", new LayerNorm(5).ToString());
        Assert.Equal("GroupNorm(1, 3, eps=1e-05, affine=True)", new GroupNorm(1, 3).ToString());
        Assert.Equal(F.LayerNorm(x, [5], Torch.Ones([5]), Torch.Zeros([5])).ToArray(), new LayerNorm(5).Forward(x).ToArray());
        Assert.Throws<ArgumentException>(() => new GroupNorm(2, 3));
    }

    [Fact]
    public void ChannelDropout_ZeroesWholeChannels_AndScalesTheRest()
    {
        var x = Torch.Ones([8, 16, 3, 3]);
        var y = F.Dropout2d(x, 0.5, generator: new Generator(5)).Reshape(8, 16, 9).ToArray();
        int zeroed = 0;
        for (int ch = 0; ch < 8 * 16; ch++)
        {
            var values = y.Skip(ch * 9).Take(9).Distinct().ToArray();
            Assert.Single(values);
            Assert.True(values[0] == 0 || values[0] == 2);
            if (values[0] == 0) zeroed++;
        }
        Assert.InRange(zeroed, 40, 88); // Binomial(128, 0.5): mean 64, sd 5.7
        Assert.Same(x, F.Dropout2d(x, 0.5, training: false));
        var m = new Dropout2d(0.3);
        m.Eval();
        Assert.Same(x, m.Forward(x));
        Assert.Equal([16, 4], F.Dropout1d(Torch.Ones([16, 4]), 0.5).Shape);
        Assert.Equal(0f, F.Dropout3d(Torch.Ones([2, 2, 2, 2, 2]), 1).ToArray().Max());
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentException>(() => new Dropout2d(1.5)).Message);
        Assert.Same(x, new Identity().Forward(x));
        Assert.Equal([8, 4, 4, 3, 3], new Unflatten(1, [4, -1]).Forward(x).Shape);
    }
}
