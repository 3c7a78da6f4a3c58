using MiniTorch.Tests.Functions;
using MiniTorch.Tests.Nn;
using Case = MiniTorch.Tests.Nn.OpGolden.Case;

namespace MiniTorch.Tests.Tensors;

/// <summary>Gather, ScatterAdd, IndexSelect, IndexAdd, x[index], Repeat, Tile, Expand, Flatten, Unflatten against PyTorch (Golden/Everyday/gen_indexing.py).</summary>
public class IndexingGoldenTests
{
    private static readonly Dictionary<string, Func<Case, Tensor[]>> Ops = new()
    {
        ["gather"] = c => [c[0].Gather(c.Int("dim"), c[1])],
        ["scatter_add"] = c => [c[0].ScatterAdd(c.Int("dim"), c[1], c[2])],
        ["index_select"] = c => [Torch.IndexSelect(c[0], c.Int("dim"), c[1])],
        ["index_add"] = c => [c[0].IndexAdd(c.Int("dim"), c[1], c[2], c.Double("alpha"))],
        ["index"] = c => [c[0][c[1]]],
        ["repeat"] = c => [c[0].Repeat(c.Ints("sizes"))],
        ["tile"] = c => [Torch.Tile(c[0], c.Ints("dims"))],
        ["expand"] = c => [c[0].Expand(c.Ints("sizes"))],
        ["flatten"] = c => [Torch.Flatten(c[0], c.Int("start"), c.Int("end"))],
        ["unflatten"] = c => [c[0].Unflatten(c.Int("dim"), c.Ints("sizes"))],
    };

    [Fact]
    public void Indexing_EveryCase_MatchesPyTorch() => Assert.Equal(80, OpGolden.Run("indexing.json", Ops));

    [Fact]
    public void GatherScatterIndexSelectRepeat_PassGradCheckAndGradGradCheck()
    {
        var g = new Generator(3);
        var x = Torch.Randn([3, 4], g, DType.Float64);
        var idx = Torch.FromArray(new long[] { 0, 2, 2, 1, 1, 1, 0, 0 }, 2, 4);
        LayoutGrad.Check(t => t[0].Gather(0, idx), true, x);
        LayoutGrad.Check(t => t[0].ScatterAdd(0, idx, t[1]), true, x, Torch.Randn([2, 4], g, DType.Float64));
        var rows = Torch.FromArray(new long[] { 2, 0, 2 }, 3);
        LayoutGrad.Check(t => t[0].IndexSelect(0, rows), true, x);
        LayoutGrad.Check(t => t[0].IndexAdd(0, rows, t[1], 0.5), true, x, Torch.Randn([3, 4], g, DType.Float64));
        LayoutGrad.Check(t => t[0].Repeat(2, 1, 2), true, x);
        LayoutGrad.Check(t => t[0][x > 0], true, x);
    }

    [Fact]
    public void GatherBackward_IsAScatterAdd_AccumulatingRepeatedIndices()
    {
        var x = Torch.Zeros([3], DType.Float64).RequiresGrad_();
        var y = x.Gather(0, Torch.FromArray(new long[] { 1, 1, 2, 1 }, 4));
        var gx = Torch.Grad(y, x, Torch.FromArray(new double[] { 1, 2, 3, 4 }, 4));
        Assert.Equal(new double[] { 0, 7, 3 }, gx.ToDoubleArray());
        Assert.Equal("GatherBackward0", y.GradFn!.Name);
    }
}
